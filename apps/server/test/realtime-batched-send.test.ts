import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { BatchedSender } from '../src/platform/realtime/batched-send.ts';

let wss: WebSocketServer;
let server: WebSocket;
let client: WebSocket;
const received: string[] = [];

beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const connected = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  client.on('message', (data, isBinary) => {
    expect(isBinary).toBe(false);
    received.push(data.toString('utf8'));
  });
  server = await connected;
});
afterAll(async () => {
  client.close();
  await new Promise((resolve) => wss.close(resolve));
});

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i += 1) await new Promise((r) => setTimeout(r, 5));
};

describe('BatchedSender', () => {
  it("holds a turn's frames to one socket back until the turn ends, then delivers them all in order as text", async () => {
    const sender = new BatchedSender();
    const raw = (server as unknown as { _socket: Socket })._socket;
    received.length = 0;
    sender.send(server, 'one');
    sender.send(server, Buffer.from('two ✓ দুই'));
    sender.send(server, 'three');
    // nothing has left yet: all three frames wait in the corked socket
    expect(raw.writableCorked).toBeGreaterThan(0);
    expect(raw.writableLength).toBeGreaterThan(0);
    await new Promise((r) => setImmediate(r));
    expect(raw.writableCorked).toBe(0);
    await until(() => received.length === 3);
    expect(received).toEqual(['one', 'two ✓ দুই', 'three']);
  });

  it('corks again in the next turn, and a flush sends at once', async () => {
    const sender = new BatchedSender();
    const raw = (server as unknown as { _socket: Socket })._socket;
    received.length = 0;
    sender.send(server, 'a');
    sender.flush();
    expect(raw.writableCorked).toBe(0);
    await until(() => received.length === 1);
    sender.send(server, 'b');
    expect(raw.writableCorked).toBeGreaterThan(0);
    await until(() => received.length === 2);
    expect(received).toEqual(['a', 'b']);
  });
});
