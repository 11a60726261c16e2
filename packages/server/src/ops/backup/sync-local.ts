import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** The sync's local side (ops/backup/sync.ts): its state file, the files it walks, their ETags. */

export const MiB = 1024 * 1024;
const fileState = z.object({ size: z.number(), mtimeMs: z.number(), etag: z.string() });
const uploadState = z.object({
  size: z.number(),
  mtimeMs: z.number(),
  uploadId: z.string(),
  partSize: z.number(),
  parts: z.array(z.object({ PartNumber: z.number(), ETag: z.string() })),
});
export const stateSchema = z.object({
  version: z.literal(1),
  target: z.string(),
  files: z.record(z.string(), fileState),
  uploads: z.record(z.string(), uploadState),
});
export type State = z.infer<typeof stateSchema>;

export async function loadState(file: string, target: string): Promise<State> {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (parsed.success && parsed.data.target === target) return parsed.data;
  } catch {
    // missing or unreadable: start over (the comparison with S3 still avoids re-uploads)
  }
  return { version: 1, target, files: {}, uploads: {} };
}

export async function walk(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(root, r)));
    // `.tmp` files are being written by someone (house rule: write .tmp, then rename).
    else if (e.isFile() && !e.name.endsWith('.tmp')) out.push(r);
  }
  return out;
}

/** The ETags S3 would give the file: plain MD5, and the multipart form for `partSize`. */
export async function localEtags(
  file: string,
  partSize: number,
): Promise<{ whole: string; multipart: string }> {
  const whole = createHash('md5');
  const partDigests: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: MiB })) {
    let buf = chunk as Buffer;
    whole.update(buf);
    while (buf.length) {
      const take = Math.min(buf.length, partSize - inPart);
      part.update(buf.subarray(0, take));
      inPart += take;
      buf = buf.subarray(take);
      if (inPart === partSize) {
        partDigests.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0 || partDigests.length === 0) partDigests.push(part.digest());
  const multipart = `${createHash('md5').update(Buffer.concat(partDigests)).digest('hex')}-${partDigests.length}`;
  return { whole: whole.digest('hex'), multipart };
}

export async function readSlice(file: string, start: number, length: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, start);
    if (bytesRead !== length) throw new Error(`${file} changed while uploading`);
    return buf;
  } finally {
    await fh.close();
  }
}

export const md5b64 = (b: Buffer) => createHash('md5').update(b).digest('base64');
