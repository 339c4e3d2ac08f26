import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Content-addressed attachment storage: <dataDir>/attachments/<sha[0:2]>/<sha[2:4]>/<sha>. Uploads stream to a
 * temporary file while being hashed and counted, then are renamed into place (atomic; identical content dedupes).
 */
export function attachmentsRoot(dataDir: string): string {
  return path.join(dataDir, 'attachments');
}

export function attachmentPath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
  return path.join(attachmentsRoot(dataDir), sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

export interface StoredFile {
  sha256: string;
  sizeBytes: number;
}

/** Thrown when the upload is larger than allowed; the partial file is already removed. */
export class FileTooLargeError extends Error {
  constructor() {
    super('file too large');
    this.name = 'FileTooLargeError';
  }
}

/**
 * Streams `source` to disk. `isTruncated` reports whether the source stopped at its size limit (busboy marks the
 * stream truncated instead of failing when the limit is reached); `maxBytes` is also enforced here.
 */
export async function storeAttachmentStream(
  dataDir: string,
  source: Readable,
  opts: { maxBytes: number; isTruncated?: () => boolean },
): Promise<StoredFile> {
  const tmpDir = path.join(attachmentsRoot(dataDir), 'tmp');
  await fs.mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > opts.maxBytes) {
        cb(new FileTooLargeError());
        return;
      }
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
    if (opts.isTruncated?.()) throw new FileTooLargeError();
  } catch (err) {
    await fs.rm(tmp, { force: true });
    const e = err as { code?: string; statusCode?: number };
    if (err instanceof FileTooLargeError || e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413)
      throw new FileTooLargeError();
    throw err;
  }
  const sha256 = hash.digest('hex');
  const final = attachmentPath(dataDir, sha256);
  await fs.mkdir(path.dirname(final), { recursive: true });
  await fs.rename(tmp, final);
  return { sha256, sizeBytes: size };
}
