import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';

const conf = readFileSync(path.join(REPO_ROOT, 'deploy/nginx/rstream.conf'), 'utf8');

describe('deploy/nginx/rstream.conf', () => {
  it('logs /ws/ requests without their query string (where ?token= travels)', () => {
    const block = /location \/ws\/ \{([\s\S]*?)\n {4}\}/.exec(conf)?.[1] ?? '';
    const format = /access_log\s+\S+\s+(\w+);/.exec(block)?.[1];
    expect(format, 'an access_log with a named format in location /ws/').toBeTruthy();
    const definition = new RegExp(`log_format ${format} ([\\s\\S]*?);`).exec(conf)?.[1] ?? '';
    expect(definition).toContain('$uri');
    for (const leaky of ['$request ', '$request"', '$request_uri', '$args', '$query_string', '$arg_'])
      expect(definition).not.toContain(leaky);
  });
});
