import { describe, expect, it } from 'vitest';
import { findFreePort, freePortAvoiding } from './free-port.ts';

describe('freePortAvoiding', () => {
  it('asks again while the OS hands out a port it must avoid', async () => {
    const handed = [45633, 45633, 45634];
    const probe = async () => handed.shift() as number;
    expect(await freePortAvoiding([45633], probe)).toBe(45634);
    expect(handed).toEqual([]);
  });

  it('gives up loudly rather than return an avoided port', async () => {
    await expect(freePortAvoiding([7], async () => 7)).rejects.toThrow('no free port outside 7 after 20 tries');
  });

  it('answers a real free port by default', async () => {
    const avoid = await findFreePort();
    const port = await freePortAvoiding([avoid]);
    expect(port).not.toBe(avoid);
    expect(port).toBeGreaterThan(0);
  });
});
