import type { Material } from '@rstream/protocol';
import { describe, expect, it } from 'vitest';
import { applyMaterialMessage } from './materials-store';

const file = (id: string, status: Material['status'], title = id): Material => ({
  id,
  sessionId: 's',
  title,
  fileName: `${id}.pdf`,
  mediaType: 'application/pdf',
  sizeBytes: 10,
  status,
  createdAt: '2026-12-03T10:00:00.000Z',
  url: status === 'ready' ? `/api/media/materials/${id}?exp=1&sig=x` : null,
});

describe('applyMaterialMessage', () => {
  it('adds a new file at the end, replaces a known one in place, drops a removed one', () => {
    const a = file('a', 'ready');
    let list = applyMaterialMessage([a], { type: 'material:updated', material: file('b', 'uploading') });
    expect(list.map((m) => [m.id, m.status])).toEqual([
      ['a', 'ready'],
      ['b', 'uploading'],
    ]);
    list = applyMaterialMessage(list, { type: 'material:updated', material: file('b', 'ready', 'Budget') });
    expect(list.map((m) => [m.id, m.status, m.title])).toEqual([
      ['a', 'ready', 'a'],
      ['b', 'ready', 'Budget'],
    ]);
    list = applyMaterialMessage(list, { type: 'material:removed', materialId: 'a' });
    expect(list.map((m) => m.id)).toEqual(['b']);
  });

  it('is idempotent (a push applied again on top of a fresher listing changes nothing) and ignores other messages', () => {
    const listed = [file('a', 'ready'), file('b', 'ready')];
    const again = applyMaterialMessage(listed, { type: 'material:updated', material: file('b', 'ready') });
    expect(again).toEqual(listed);
    expect(applyMaterialMessage(listed, { type: 'material:removed', materialId: 'zz' })).toEqual(listed);
    expect(applyMaterialMessage(listed, { type: 'turn:update', turn: null })).toBe(listed);
  });
});
