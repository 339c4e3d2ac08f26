import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSpool } from './spool-data.ts';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-spool-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** a message arriving in chunks of `chunk` bytes, with bytes that differ by position */
function message(size: number, chunk = 16 * 1024): { bytes: Buffer; stream: () => Readable } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 31 + 7) % 251;
  return {
    bytes,
    stream: () =>
      Readable.from(
        (function* () {
          for (let i = 0; i < size; i += chunk) yield bytes.subarray(i, Math.min(size, i + chunk));
        })(),
      ),
  };
}

describe('DataSpool', () => {
  it('keeps a message within the limit in memory: no file is written', async () => {
    const file = path.join(dir, 'small.eml');
    const m = message(100 * 1024);
    const spool = new DataSpool(file, 256 * 1024);
    await pipeline(m.stream(), spool);
    expect(spool.spilled).toBe(false);
    await expect(fs.access(file)).rejects.toThrow();
    expect((await spool.contents()).equals(m.bytes)).toBe(true);
    await spool.discard();
  });

  it('moves a larger message to its file as it passes the limit, gives it back whole, and removes the file', async () => {
    const file = path.join(dir, 'large.eml');
    const m = message(1024 * 1024 + 17);
    const spool = new DataSpool(file, 256 * 1024);
    await pipeline(m.stream(), spool);
    expect(spool.spilled).toBe(true);
    expect((await fs.stat(file)).size).toBe(m.bytes.length);
    expect((await spool.contents()).equals(m.bytes)).toBe(true);
    await spool.discard();
    await expect(fs.access(file)).rejects.toThrow();
  });

  it('writes every message to its file with a limit of 0', async () => {
    const file = path.join(dir, 'zero.eml');
    const m = message(3000, 1000);
    const spool = new DataSpool(file, 0);
    await pipeline(m.stream(), spool);
    expect(spool.spilled).toBe(true);
    expect(await fs.readFile(file)).toEqual(m.bytes);
    await spool.discard();
  });

  it('fails the stream when the file cannot be written, and discarding afterwards is safe', async () => {
    const spool = new DataSpool(path.join(dir, 'no-such-dir', 'x.eml'), 10);
    await expect(pipeline(message(5000, 100).stream(), spool)).rejects.toThrow(/ENOENT/);
    await spool.discard();
  });
});
