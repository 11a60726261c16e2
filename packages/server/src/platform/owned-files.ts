import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from './db-schema.js';
import type { Storage } from './storage.js';

/**
 * Who owns which stored files, so that deleting an owner deletes its files first (docs/security.md,
 * "Owned files"). The one mechanism for every feature: the sessions feature's only
 * `session.deleting` handler (emitStrict) calls `deleteOwnedBy('session', id)`, and a failure
 * refuses the deletion (fail closed: no row goes while a file of it is still stored).
 *
 * The convention: every file an owner has lives under one key prefix `<family>/<ownerId>/` of
 * `app.storage` (local disk or S3) — `recordings/<sessionId>/` (media and thumbnails),
 * `reports/<sessionId>/`, `exports/<sessionId>/`, `users/<userId>/`. A feature whose files live
 * elsewhere too (the recordings' tus uploads, keyed by upload id) registers a deleter for them.
 * Every step is idempotent (deleting what is already gone succeeds), so a refused deletion
 * completes on retry. Files without an owner row are found by `orphans()` (the security audit's
 * safety net) and removed by `rstream audit delete-orphans`.
 */
export type OwnerKind = 'session' | 'user';

export interface FileFamily {
  /** top-level key folder, e.g. `recordings` */
  family: string;
  owner: OwnerKind;
  /** which of these owner ids still exist (the orphan check); default: the owner's table */
  existing?(ids: string[]): Promise<Set<string>>;
}

export interface OrphanedPrefix {
  prefix: string;
  family: string;
  where: 'local' | 's3';
}

type Deleter = (ownerId: string) => Promise<void>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const tableIds = (db: Kysely<Database>, table: 'sessions' | 'users') => async (ids: string[]) => {
  // ids that are not uuids cannot be rows: keep them out of the uuid comparison
  const uuids = ids.filter((i) => UUID.test(i));
  if (uuids.length === 0) return new Set<string>();
  const found = new Set<string>();
  for (let i = 0; i < uuids.length; i += 500) {
    const rows = await db
      .selectFrom(table)
      .select('id')
      .where('id', 'in', uuids.slice(i, i + 500))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
};

export function createOwnedFiles(deps: {
  db: Kysely<Database>;
  storage: Storage;
  config: Pick<Config, 'STORAGE_DIR' | 'RECORDINGS_DIR' | 'S3_BUCKET' | 'S3_PREFIX'>;
}) {
  const { storage, config } = deps;
  const families: FileFamily[] = [
    { family: 'recordings', owner: 'session' },
    { family: 'reports', owner: 'session' },
    { family: 'exports', owner: 'session' },
    { family: 'users', owner: 'user' },
  ];
  const deleters: Array<{ kind: OwnerKind; name: string; run: Deleter }> = [];
  const existingOf = (f: FileFamily) =>
    f.existing ?? tableIds(deps.db, f.owner === 'session' ? 'sessions' : 'users');

  const prefixesOf = (kind: OwnerKind, id: string): string[] => {
    if (!UUID.test(id)) throw new Error(`not an owner id: ${id}`);
    return families.filter((f) => f.owner === kind).map((f) => `${f.family}/${id}/`);
  };

  /** Every prefix is tried; the first failure is thrown at the end (nothing is skipped silently). */
  async function deletePrefixes(prefixes: string[]): Promise<void> {
    let failure: unknown = null;
    for (const p of prefixes) {
      try {
        await storage.deletePrefix(p);
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure) throw failure;
  }

  return {
    families,
    registerFamily(f: FileFamily) {
      const i = families.findIndex((x) => x.family === f.family);
      if (i >= 0) families.splice(i, 1);
      families.push(f);
    },
    /** Files an owner has outside its family prefixes (e.g. tus uploads); must be idempotent. */
    registerDeleter(kind: OwnerKind, name: string, run: Deleter) {
      deleters.push({ kind, name, run });
    },
    prefixesOf,
    deletePrefixes,
    /**
     * Deletes every file of an owner: the registered deleters, then the family prefixes. Throws
     * when storage fails (after trying every step); safe to call again.
     */
    async deleteOwnedBy(kind: OwnerKind, id: string): Promise<string[]> {
      const prefixes = prefixesOf(kind, id);
      let failure: unknown = null;
      for (const d of deleters.filter((x) => x.kind === kind)) {
        try {
          await d.run(id);
        } catch (e) {
          failure ??= e;
        }
      }
      try {
        await deletePrefixes(prefixes);
      } catch (e) {
        failure ??= e;
      }
      if (failure) throw failure;
      return prefixes;
    },
    /** Where a prefix is, for messages: `s3://bucket/…` or the local folder. */
    locate(prefix: string): string {
      if (storage.kind === 's3') {
        const base = config.S3_PREFIX ? config.S3_PREFIX.replace(/^\/+|\/+$/g, '') + '/' : '';
        return `s3://${config.S3_BUCKET}/${base}${prefix}`;
      }
      if (prefix.startsWith('recordings/'))
        return path.join(config.RECORDINGS_DIR, prefix.slice('recordings/'.length)) + '/';
      return path.join(config.STORAGE_DIR, prefix) + '/';
    },
    /**
     * Owner folders whose owner row is gone. `minAgeMs`: only folders whose newest file is at
     * least that old (a feature may write a file a moment before its row).
     */
    async orphans(minAgeMs = 0): Promise<OrphanedPrefix[]> {
      const out: OrphanedPrefix[] = [];
      const cutoff = Date.now() - minAgeMs;
      for (const f of families) {
        const newest = new Map<string, number>();
        for (const o of await storage.list(`${f.family}/`)) {
          const id = o.key.split('/')[1];
          if (!id || o.key.split('/').length < 3) continue;
          newest.set(id, Math.max(newest.get(id) ?? 0, o.modifiedAt.getTime()));
        }
        const existing = await existingOf(f)([...newest.keys()]);
        for (const [id, t] of newest) {
          if (existing.has(id) || (minAgeMs > 0 && t > cutoff)) continue;
          out.push({ prefix: `${f.family}/${id}/`, family: f.family, where: storage.kind });
        }
      }
      return out;
    },
  };
}
export type OwnedFiles = ReturnType<typeof createOwnedFiles>;
