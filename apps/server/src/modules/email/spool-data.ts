import { createWriteStream, type WriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { Writable } from 'node:stream';

/** bytes of one message kept in memory while it streams in; beyond that it goes to its spool file */
export const SPOOL_IN_MEMORY_BYTES = 256 * 1024;

/**
 * Where an incoming SMTP DATA stream goes while it arrives: memory for a message of up to `inMemoryBytes` (nearly
 * all mail), a spool file beyond that, so a hundred slow senders of large messages never hold their messages in
 * memory while they trickle in. Each small message spooled to disk cost an open, a write, a close, a read back and an
 * unlink — about 6% of the server's CPU under the email benchmark.
 *
 * `contents()` gives the whole message once the stream has finished; `discard()` removes the file if there was one
 * (always call it, in a `finally`).
 */
export class DataSpool extends Writable {
  #chunks: Buffer[] = [];
  #size = 0;
  #file: WriteStream | null = null;
  readonly #path: string;
  readonly #inMemoryBytes: number;

  constructor(path: string, inMemoryBytes = SPOOL_IN_MEMORY_BYTES) {
    super();
    this.#path = path;
    this.#inMemoryBytes = inMemoryBytes;
  }

  /** whether the message went to disk */
  get spilled(): boolean {
    return this.#file !== null;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (!this.#file && this.#size + chunk.length <= this.#inMemoryBytes) {
      this.#chunks.push(chunk);
      this.#size += chunk.length;
      callback();
      return;
    }
    if (!this.#file) {
      this.#file = createWriteStream(this.#path, { mode: 0o600 });
      this.#file.on('error', (err) => this.destroy(err));
      for (const held of this.#chunks) this.#file.write(held);
      this.#chunks = [];
    }
    if (this.#file.write(chunk)) callback();
    else this.#file.once('drain', () => callback());
  }

  override _final(callback: (err?: Error | null) => void): void {
    if (!this.#file) {
      callback();
      return;
    }
    this.#file.end((err?: Error | null) => callback(err));
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.#file?.destroy();
    callback(err);
  }

  /** the whole message (after the stream has finished) */
  async contents(): Promise<Buffer> {
    return this.#file ? fs.readFile(this.#path) : Buffer.concat(this.#chunks, this.#size);
  }

  async discard(): Promise<void> {
    this.#chunks = [];
    if (this.#file) await fs.rm(this.#path, { force: true });
  }
}
