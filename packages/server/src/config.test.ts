import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('runs on defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.TICK_MS).toBe(250);
    expect(c.DATA_DIR).toMatch(/data$/);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names every bad variable and hides secrets', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TICK_MS: '1', JWT_SECRET: 'short-secret' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'TICK_MS', 'JWT_SECRET']) expect(msg).toContain(name);
      expect(msg).not.toContain('short-secret');
    }
  });

  it('treats empty values as unset and parses booleans', () => {
    const c = loadConfig({ DATABASE_URL: '', TRUST_PROXY: 'true', PORT: '8080' });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.TRUST_PROXY).toBe(true);
    expect(c.PORT).toBe(8080);
  });
});

describe('.env.example', () => {
  it('documents every setting the server reads', async () => {
    const { readFileSync } = await import('node:fs');
    const { configSchema, REPO_ROOT } = await import('./config.js');
    const example = readFileSync(`${REPO_ROOT}/.env.example`, 'utf8');
    const missing = Object.keys(configSchema.shape).filter(
      (k) => !new RegExp(`^#? ?${k}=`, 'm').test(example),
    );
    expect(missing).toEqual([]);
  });
});
