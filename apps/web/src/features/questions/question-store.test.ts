import { describe, expect, it } from 'vitest';
import type { Question } from '@rstream/protocol';
import { QuestionStore } from './question-store';

const q = (over: Partial<Question> = {}): Question => ({
  id: 'a',
  content: 'Why?',
  status: 'open',
  votes: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  answeredAt: null,
  answer: null,
  approved: true,
  pinned: false,
  t: 1000,
  askerName: 'Ann',
  rev: 1,
  ...over,
});

describe('QuestionStore', () => {
  it('drops a question whose asker erased themselves (question:removed), for speakers and listeners', () => {
    for (const role of ['speaker', 'listener'] as const) {
      const s = new QuestionStore(role);
      s.load([q({ id: 'a' }), q({ id: 'b' })]);
      s.handle({ type: 'question:new', question: q({ id: 'c', rev: 1 }) });
      expect(s.handle({ type: 'question:removed', questionId: 'c' })).toBe(true);
      expect(s.handle({ type: 'question:removed', questionId: 'a' })).toBe(true);
      expect(s.getSnapshot().questions.map((x) => x.id)).toEqual(['b']);
      expect(s.getSnapshot().fresh.has('c')).toBe(false);
      // an unknown id is still a question message (handled, nothing changes)
      expect(s.handle({ type: 'question:removed', questionId: 'unknown' })).toBe(true);
    }
  });

  it('merges live copies by rev and keeps per-viewer fields from broadcasts that lack them', () => {
    const s = new QuestionStore('listener');
    s.load([q({ votedByMe: true, mine: false })]);
    s.handle({ type: 'question:updated', question: q({ votes: 3, rev: 3 }) });
    expect(s.getSnapshot().questions[0]).toMatchObject({ votes: 3, votedByMe: true, mine: false });
    // An older copy arriving late changes nothing.
    s.handle({ type: 'question:updated', question: q({ votes: 1, rev: 2 }) });
    expect(s.getSnapshot().questions[0]!.votes).toBe(3);
  });

  it('counts new questions as unread for the speaker, highlights them, and sorts by votes or time', () => {
    const s = new QuestionStore('speaker');
    s.load([q({ id: 'old', votes: 5, createdAt: '2026-01-01T00:00:00.000Z' })]);
    s.handle({
      type: 'question:new',
      question: q({ id: 'new', votes: 0, createdAt: '2026-01-01T00:01:00.000Z' }),
    });
    const snap = s.getSnapshot();
    expect(snap.unread).toBe(1);
    expect(snap.fresh.has('new')).toBe(true);
    expect(snap.lastArrived?.id).toBe('new');
    expect(snap.questions.map((x) => x.id)).toEqual(['old', 'new']);
    s.setSort('time');
    expect(s.getSnapshot().questions.map((x) => x.id)).toEqual(['new', 'old']);
    s.handle({
      type: 'question:updated',
      question: q({ id: 'new', pinned: true, rev: 2, createdAt: '2026-01-01T00:01:00.000Z' }),
    });
    s.setSort('votes');
    expect(s.getSnapshot().questions[0]!.id).toBe('new');
    s.markRead();
    expect(s.getSnapshot().unread).toBe(0);
  });

  it('shows listeners only approved, not hidden questions — and always their own, with its text', () => {
    const s = new QuestionStore('listener');
    s.handle({ type: 'question:new', question: q({ id: 'mine', approved: false, mine: true }) });
    s.handle({ type: 'question:new', question: q({ id: 'other', approved: false }) });
    expect(s.getSnapshot().questions.map((x) => x.id)).toEqual(['mine']);
    expect(s.getSnapshot().unread).toBe(0);
    s.handle({ type: 'question:new', question: q({ id: 'x', content: 'Visible' }) });
    s.handle({
      type: 'question:updated',
      question: q({ id: 'x', status: 'hidden', content: '', askerName: null, rev: 2 }),
    });
    expect(s.getSnapshot().questions.map((x) => x.id)).toEqual(['mine']);
    s.handle({
      type: 'question:updated',
      question: q({ id: 'mine', status: 'hidden', content: '', rev: 2 }),
    });
    expect(s.getSnapshot().questions[0]).toMatchObject({ id: 'mine', status: 'hidden', content: 'Why?' });
  });
});
