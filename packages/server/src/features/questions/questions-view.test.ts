import { describe, expect, it } from 'vitest';
import type { QuestionRow } from './questions-repo.js';
import { listenerMaySee, toCsv, toQuestion } from './questions-view.js';

const row = (over: Partial<QuestionRow> = {}): QuestionRow => ({
  id: 'q1',
  session_id: 's1',
  participant_id: 'p1',
  content: 'Why?',
  status: 'open',
  approved: true,
  pinned: false,
  votes: 2,
  answer: null,
  answered_at: null,
  t_ms: 1500,
  asker_level: 3,
  rev: 4,
  created_at: new Date('2026-01-01T00:00:00Z'),
  asker_display_name: 'Ann',
  asker_anonymous: false,
  asker_role: 'listener',
  ...over,
});

describe('question views', () => {
  it('show the asker’s level to speakers only and names only when nobody is anonymous', () => {
    expect(toQuestion(row(), { sessionAnonymous: false, audience: 'speaker' })).toMatchObject({
      askerName: 'Ann',
      askerLevel: 3,
      t: 1500,
    });
    const forListener = toQuestion(row(), { sessionAnonymous: false, audience: 'listener' });
    expect(forListener.askerName).toBe('Ann');
    expect(forListener).not.toHaveProperty('askerLevel');
    expect(toQuestion(row(), { sessionAnonymous: true, audience: 'speaker' }).askerName).toBeNull();
    expect(
      toQuestion(row({ asker_anonymous: true }), { sessionAnonymous: false, audience: 'speaker' }).askerName,
    ).toBeNull();
    // A participant record that is gone: no name.
    expect(
      toQuestion(row({ asker_anonymous: null, asker_display_name: null }), {
        sessionAnonymous: false,
        audience: 'speaker',
      }).askerName,
    ).toBeNull();
  });

  it('withhold the text of a hidden or unapproved question from other listeners, not from its asker', () => {
    for (const over of [{ status: 'hidden' as const }, { approved: false }]) {
      expect(toQuestion(row(over), { sessionAnonymous: false, audience: 'listener' })).toMatchObject({
        content: '',
        askerName: null,
      });
      expect(
        toQuestion(row(over), { sessionAnonymous: false, audience: 'listener', mine: true }).content,
      ).toBe('Why?');
      expect(listenerMaySee(row(over), 'p2')).toBe(false);
      expect(listenerMaySee(row(over), 'p1')).toBe(true);
    }
  });

  it('write CSV that spreadsheets read as text', () => {
    const q = toQuestion(row({ content: '@SUM(A1)\nsecond line', asker_display_name: 'A "B", C' }), {
      sessionAnonymous: false,
      audience: 'speaker',
    });
    const csv = toCsv([q]);
    expect(csv.startsWith('\uFEFFid,t_ms,')).toBe(true);
    expect(csv).toContain(`"'@SUM(A1)\nsecond line"`);
    expect(csv).toContain('"A ""B"", C"');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
