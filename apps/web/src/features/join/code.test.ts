import { describe, expect, it } from 'vitest';
import { isValidCode, normalizeCodeInput } from './code';

describe('join code', () => {
  it('normalises typing', () => {
    expect(normalizeCodeInput(' ac-d ef7x9')).toBe('ACDEF7');
  });
  it('accepts only the look-alike-free alphabet', () => {
    expect(isValidCode('ACDEF7')).toBe(true);
    expect(isValidCode('ACDEF0')).toBe(false); // 0 is not in the alphabet
    expect(isValidCode('ACDE')).toBe(false);
  });
});
