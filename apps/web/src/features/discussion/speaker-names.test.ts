import type { Participant } from '@rstream/protocol';
import { describe, expect, it } from 'vitest';
import { speakerChoices } from './speaker-names';

const p = (
  id: string,
  name: string | null,
  ordinal: number,
  role: Participant['role'] = 'listener',
): Participant => ({
  participantId: id,
  displayName: name,
  ordinal,
  role,
  connected: true,
  level: null,
});

describe('speaker choices', () => {
  it('keeps listed names first, binds them to the participant of that name, then the others', () => {
    const choices = speakerChoices(
      ['Carol', 'Dan'],
      [p('a', 'Alice', 1), p('c', 'carol', 2), p('f', 'Fran', 3, 'presenter')],
      ['Guest'],
    );
    expect(choices).toEqual([
      { value: 'c', label: 'carol', participantId: 'c' },
      { value: 'Dan', label: 'Dan', participantId: null },
      { value: 'a', label: 'Alice', participantId: 'a' },
      { value: 'Guest', label: 'Guest', participantId: null },
    ]);
  });

  it('labels anonymous participants by number and drops duplicate names', () => {
    const choices = speakerChoices(['Bob', 'bob'], [p('x', null, 7)], ['BOB']);
    expect(choices.map((c) => c.label)).toEqual(['Bob', '#7']);
  });
});
