import { describe, expect, it } from 'vitest';
import { blockedAddressReason, checkUrlShape, SafeFetchError } from './safe-fetch.ts';

describe('blockedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456:789a::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:7f00:1::1', '6to4'],
  ])('refuses %s (%s)', (ip, reason) => {
    expect(blockedAddressReason(ip)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'accepts public unicast %s',
    (ip) => {
      expect(blockedAddressReason(ip)).toBeNull();
    },
  );

  it('treats a non-address as blocked', () => {
    expect(blockedAddressReason('example.com')).not.toBeNull();
  });
});

describe('checkUrlShape', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err instanceof SafeFetchError ? err.code : 'other';
    }
    return 'ok';
  };

  it('refuses schemes other than http and https', () => {
    expect(code(() => checkUrlShape('file:///etc/passwd'))).toBe('INVALID_URL');
    expect(code(() => checkUrlShape('gopher://example.com/'))).toBe('INVALID_URL');
    expect(code(() => checkUrlShape('not a url'))).toBe('INVALID_URL');
  });

  it('refuses credentials in the URL', () => {
    expect(code(() => checkUrlShape('https://user:pw@example.com/'))).toBe('INVALID_URL');
  });

  it('refuses literal private, loopback and mapped addresses', () => {
    expect(code(() => checkUrlShape('http://127.0.0.1/'))).toBe('BLOCKED_ADDRESS');
    expect(code(() => checkUrlShape('http://[::1]:8080/'))).toBe('BLOCKED_ADDRESS');
    expect(code(() => checkUrlShape('http://[::ffff:127.0.0.1]/'))).toBe('BLOCKED_ADDRESS');
    expect(code(() => checkUrlShape('http://169.254.169.254/latest/meta-data'))).toBe('BLOCKED_ADDRESS');
    expect(code(() => checkUrlShape('http://localhost:3000/'))).toBe('BLOCKED_ADDRESS');
    // WHATWG URL parsing normalises odd IPv4 spellings, so these are caught too
    expect(code(() => checkUrlShape('http://2130706433/'))).toBe('BLOCKED_ADDRESS');
    expect(code(() => checkUrlShape('http://0x7f.1/'))).toBe('BLOCKED_ADDRESS');
  });

  it('allows loopback only on the ports a test names', () => {
    expect(code(() => checkUrlShape('http://127.0.0.1:4000/', { allowLoopbackPorts: [4000] }))).toBe('ok');
    expect(code(() => checkUrlShape('http://127.0.0.1:4001/', { allowLoopbackPorts: [4000] }))).toBe('BLOCKED_ADDRESS');
    expect(code(() => checkUrlShape('http://10.0.0.1:4000/', { allowLoopbackPorts: [4000] }))).toBe('BLOCKED_ADDRESS');
  });

  it('accepts ordinary public URLs', () => {
    expect(code(() => checkUrlShape('https://hooks.example.com/seva?x=1'))).toBe('ok');
  });
});
