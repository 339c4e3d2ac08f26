import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * Frames sent to one socket within one turn of the event loop leave in one write. Every event goes to every staff
 * socket that may see it, and each `ws.send` was a `writev` system call of its own: in the chat benchmark (100
 * agent sockets hearing every message) those calls were a fifth of the server's CPU. Events arrive in bursts (one
 * read from the LISTEN connection carries several notifications), so the socket is corked at its first frame of a
 * turn and uncorked once the turn's I/O callbacks have run (setImmediate): no timer, no added wait beyond the turn.
 *
 * Text frames can be given as a Buffer encoded once, so a frame for a hundred sockets is not encoded a hundred
 * times.
 */
export class BatchedSender {
  private readonly corked = new Set<Socket>();
  private scheduled = false;

  send(socket: WebSocket, data: string | Buffer): void {
    const raw = (socket as unknown as { _socket?: Socket | null })._socket;
    if (raw && !this.corked.has(raw)) {
      raw.cork();
      this.corked.add(raw);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    }
    socket.send(data, { binary: false });
  }

  /** Sends everything held back (also run at the end of each turn). */
  flush(): void {
    this.scheduled = false;
    const sockets = [...this.corked];
    this.corked.clear();
    for (const s of sockets) if (!s.destroyed) s.uncork();
  }
}
