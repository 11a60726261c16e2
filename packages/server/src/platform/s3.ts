import { DeleteObjectCommand, ListObjectsV2Command, S3Client, type _Object } from '@aws-sdk/client-s3';
import type { Config } from '../config.js';

/** The S3_* settings; any S3-compatible endpoint (AWS, MinIO, s3rver, R2, …). */
export type S3Settings = Pick<
  Config,
  | 'S3_ENDPOINT'
  | 'S3_REGION'
  | 'S3_BUCKET'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'S3_FORCE_PATH_STYLE'
> &
  Partial<Pick<Config, 'S3_SSE' | 'S3_SSE_KMS_KEY_ID'>>;

export interface S3Target {
  client: S3Client;
  bucket: string;
  /** `s3://bucket/key` for messages. */
  url(key: string): string;
  /** server-side encryption parameters for every write (S3_SSE): spread into Put/Upload params */
  sse: { ServerSideEncryption?: 'AES256' | 'aws:kms'; SSEKMSKeyId?: string };
}

/** The write parameters S3_SSE asks for (empty when it is off). */
export function sseParams(s: Partial<Pick<Config, 'S3_SSE' | 'S3_SSE_KMS_KEY_ID'>>): S3Target['sse'] {
  if (s.S3_SSE === 'AES256') return { ServerSideEncryption: 'AES256' };
  if (s.S3_SSE === 'aws:kms')
    return {
      ServerSideEncryption: 'aws:kms',
      ...(s.S3_SSE_KMS_KEY_ID ? { SSEKMSKeyId: s.S3_SSE_KMS_KEY_ID } : {}),
    };
  return {};
}

export class S3NotConfiguredError extends Error {
  constructor() {
    super(
      'S3 is not configured: set S3_BUCKET (and S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY as needed).',
    );
    this.name = 'S3NotConfiguredError';
  }
}

export const s3Configured = (s: S3Settings): boolean => Boolean(s.S3_BUCKET);

/**
 * A client for the configured bucket. Without S3_ACCESS_KEY_ID the SDK's default chain
 * (AWS_* variables, profile, instance role) supplies credentials.
 */
export function createS3Target(s: S3Settings): S3Target {
  if (!s.S3_BUCKET) throw new S3NotConfiguredError();
  const client = new S3Client({
    region: s.S3_REGION,
    ...(s.S3_ENDPOINT ? { endpoint: s.S3_ENDPOINT } : {}),
    forcePathStyle: s.S3_FORCE_PATH_STYLE,
    ...(s.S3_ACCESS_KEY_ID && s.S3_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: s.S3_ACCESS_KEY_ID, secretAccessKey: s.S3_SECRET_ACCESS_KEY } }
      : {}),
    // Only checksum when the operation demands it: S3-compatible servers differ in support.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
  const bucket = s.S3_BUCKET;
  return { client, bucket, url: (key) => `s3://${bucket}/${key}`, sse: sseParams(s) };
}

/** Every object under a prefix (all pages). */
export async function listAllObjects(t: S3Target, prefix: string): Promise<_Object[]> {
  const out: _Object[] = [];
  let token: string | undefined;
  do {
    const page = await t.client.send(
      new ListObjectsV2Command({ Bucket: t.bucket, Prefix: prefix, ContinuationToken: token }),
    );
    out.push(...(page.Contents ?? []));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** Deletes keys one by one, 8 at a time (DeleteObjects needs checksums some S3-compatible servers reject). */
export async function deleteKeys(t: S3Target, keys: string[]): Promise<void> {
  const queue = [...keys];
  const worker = async () => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
      await t.client.send(new DeleteObjectCommand({ Bucket: t.bucket, Key: key }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, keys.length) }, worker));
}

/** ETag without the quotes S3 puts around it. */
export const cleanEtag = (etag: string | undefined): string => (etag ?? '').replace(/"/g, '');
