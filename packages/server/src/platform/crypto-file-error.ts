export type CryptoFileFault = 'not-encrypted' | 'truncated' | 'unknown-key' | 'corrupt';

/** Why a file cannot be read; `keyId` is set for 'unknown-key'. The message never holds a key. */
export class CryptoFileError extends Error {
  constructor(
    readonly fault: CryptoFileFault,
    message: string,
    readonly keyId?: string,
  ) {
    super(message);
    this.name = 'CryptoFileError';
  }
}
