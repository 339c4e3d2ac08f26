import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentPath, FileTooLargeError, storeAttachmentStream } from './attachment-storage.ts';

const MB = 1024 * 1024;
let dir: string;

/** A stream of `total` bytes produced in 64 KiB chunks, never held in memory at once. */
function chunks(total: number): Readable {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-att-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('storeAttachmentStream', () => {
  it('streams a 25 MB file to its content address', async () => {
    const size = 25 * MB;
    const stored = await storeAttachmentStream(dir, chunks(size), { maxBytes: size });
    const expected = createHash('sha256');
    const c = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < size / c.length; i += 1) expected.update(c);
    expect(stored).toEqual({ sha256: expected.digest('hex'), sizeBytes: size });
    expect((await fs.stat(attachmentPath(dir, stored.sha256))).size).toBe(size);
  });

  it('stops at the limit and removes the partial file', async () => {
    await expect(storeAttachmentStream(dir, chunks(3 * MB), { maxBytes: 2 * MB })).rejects.toBeInstanceOf(
      FileTooLargeError,
    );
    expect(await fs.readdir(path.join(dir, 'attachments', 'tmp'))).toEqual([]);
  });

  it('refuses anything but a sha256 as a storage name', () => {
    expect(() => attachmentPath(dir, '../../etc/passwd')).toThrow();
  });
});
