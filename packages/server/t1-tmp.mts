import { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import { existsSync, readdirSync } from 'node:fs';
const dir = '/tmp/bk/pgl1';
const t0 = Date.now();
const pg = await PGlite.create(dir);
console.log('open', Date.now() - t0, readdirSync(dir).filter(f=>f.includes('pid')));
await pg.exec(`create table if not exists a(id serial primary key, t text, j jsonb, r real, ts timestamptz default now()); insert into a(t,j,r) values ('x
INSERT INTO y', '{"b":1}', 0.1)`);
const f = await pgDump({ pg, args: ['--inserts', '--rows-per-insert=1000'] });
const text = await f.text();
console.log(text.length, text.split('\n').filter(l=>/search_path|SCHEMA|INSERT/.test(l)).join('\n'));
console.log((await pg.query('show search_path')).rows);
const pg2 = await PGlite.create('/tmp/bk/pgl2');
await pg2.exec(text);
await pg2.exec('SET search_path TO public');
console.log((await pg2.query('select * from a')).rows, (await pg2.query("select last_value from a_id_seq")).rows);
try { const pg3 = await PGlite.create(dir); console.log('second open OK?', (await pg3.query('select count(*) from a')).rows); } catch (e) { console.log('second open err', e.message); }
