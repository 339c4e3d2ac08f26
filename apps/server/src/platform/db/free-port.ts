import net from 'node:net';

/** Asks the OS for a free TCP port on loopback. Never assume a fixed port is free. */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a probe socket'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A free port that is none of `avoid` (ports the caller has been told are someone else's): a port probed and
 * released a moment ago by another process is free again, and the OS may hand it out once more.
 */
export async function freePortAvoiding(
  avoid: readonly number[],
  probe: () => Promise<number> = findFreePort,
): Promise<number> {
  for (let i = 0; i < 20; i += 1) {
    const port = await probe();
    if (!avoid.includes(port)) return port;
  }
  throw new Error(`no free port outside ${avoid.join(', ')} after 20 tries`);
}
