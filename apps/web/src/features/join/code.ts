import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '@rstream/protocol/light';

const CODE_RE = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

/** What the code box keeps while typing: upper case, no spaces or dashes, at most 6 characters. */
export function normalizeCodeInput(raw: string): string {
  return raw
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, JOIN_CODE_LENGTH);
}

export function isValidCode(code: string): boolean {
  return CODE_RE.test(code);
}
