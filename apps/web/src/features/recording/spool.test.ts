import { describe, expect, it } from 'vitest';
import { Spool } from './spool';
import type { ChunkStore, EntryStore, SpoolEntry, SpoolStorage } from './spool-storage';

/** The spool's logic over plain maps (the browser tests run it on OPFS and IndexedDB). */
function memoryStorage(): SpoolStorage & { bytes: Map<string, Blob> } {
  const entries = new Map<string, SpoolEntry>();
  const bytes = new Map<string, Blob>();
  const entryStore: EntryStore = {
    all: async () => [...entries.values()].map((e) => structuredClone(e)),
    put: async (e) => void entries.set(e.recordingId, structuredClone(e)),
    delete: async (id) => void entries.delete(id),
  };
  const chunks: ChunkStore = {
    kind: 'memory',
    put: async (id, start, data) => void bytes.set(`${id}/${start}`, data),
    get: async (id, start) => bytes.get(`${id}/${start}`) ?? null,
    delete: async (id, start) => void bytes.delete(`${id}/${start}`),
    deleteAll: async (id) => {
      for (const k of [...bytes.keys()]) if (k.startsWith(`${id}/`)) bytes.delete(k);
    },
  };
  return { entries: entryStore, chunks, bytes };
}

const init = { recordingId: 'r1', sessionId: 's1', mediaType: 'video/mp4' as const, mimeType: 'video/mp4' };
const text = (b: Blob) => b.text();

describe('Spool', () => {
  it('keeps every chunk until the server acknowledged its bytes, and reads across chunks', async () => {
    const storage = memoryStorage();
    const spool = new Spool(storage);
    await spool.create(init);
    await spool.append('r1', new Blob(['aaaa']), 1000);
    await spool.append('r1', new Blob(['bbbb']), 2000);
    await spool.append('r1', new Blob(['cc']), 3000);
    expect(await text(await spool.read('r1', 2, 9))).toBe('aabbbbc');

    // An offset inside the second chunk drops only the first.
    const e = await spool.acknowledge('r1', 6);
    expect(e.ackedBytes).toBe(6);
    expect(e.ackedMediaMs).toBe(1000);
    expect(e.chunks.map((c) => c.start)).toEqual([4, 8]);
    expect(storage.bytes.has('r1/0')).toBe(false);
    expect(await text(await spool.read('r1', 6, 100))).toBe('bbcc');
    await expect(spool.read('r1', 3, 5)).rejects.toThrow(/acknowledged/);
  });

  it('survives a reload: a new spool on the same storage sees the entry, its upload URL and its bytes', async () => {
    const storage = memoryStorage();
    const first = new Spool(storage);
    await first.create(init);
    await first.append('r1', new Blob(['hello ']), 1000);
    await first.update('r1', { uploadUrl: '/api/uploads/u1' });
    await first.acknowledge('r1', 6);
    await first.append('r1', new Blob(['world']), 2000);

    const second = new Spool(storage);
    const [entry] = await second.pending('s1');
    expect(entry?.uploadUrl).toBe('/api/uploads/u1');
    expect(entry?.recordedBytes).toBe(11);
    const final = await second.finalize('r1');
    expect(final.finalBytes).toBe(11);
    expect(await text(await second.read('r1', 6, 11))).toBe('world');
    await expect(second.append('r1', new Blob(['x']), 3000)).rejects.toThrow(/finalised/);
    await second.remove('r1');
    expect(await second.pending()).toEqual([]);
    expect(storage.bytes.size).toBe(0);
  });

  it('never counts a chunk whose bytes could not be stored (a full disk)', async () => {
    const storage = memoryStorage();
    const put = storage.chunks.put;
    let full = false;
    storage.chunks.put = async (id, start, data) => {
      if (full) throw new DOMException('full', 'QuotaExceededError');
      return put(id, start, data);
    };
    const spool = new Spool(storage);
    await spool.create(init);
    await spool.append('r1', new Blob(['abc']), 1000);
    full = true;
    await expect(spool.append('r1', new Blob(['def']), 2000)).rejects.toThrow('full');
    const e = await spool.get('r1');
    expect(e?.recordedBytes).toBe(3);
    expect(e?.chunks).toHaveLength(1);
  });
});
