import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from '../src/platform/realtime/origin.ts';

describe('the WebSocket origin check', () => {
  it('accepts a browser on the same host and port', () => {
    expect(isAllowedOrigin({ origin: 'http://localhost:3000', host: 'localhost:3000' })).toBe(true);
    expect(isAllowedOrigin({ origin: 'https://desk.example.com', host: 'desk.example.com:443' })).toBe(true);
  });

  it('refuses another site, another port and look-alike hosts', () => {
    expect(isAllowedOrigin({ origin: 'https://evil.example', host: 'desk.example.com' })).toBe(false);
    expect(isAllowedOrigin({ origin: 'http://localhost:4000', host: 'localhost:3000' })).toBe(false);
    expect(isAllowedOrigin({ origin: 'https://desk.example.com.evil.example', host: 'desk.example.com' })).toBe(false);
    expect(isAllowedOrigin({ origin: 'https://evil.example', host: 'evil.example@desk.example.com' })).toBe(false);
  });

  it('refuses opaque and non-web origins', () => {
    expect(isAllowedOrigin({ origin: 'null', host: 'localhost:3000' })).toBe(false);
    expect(isAllowedOrigin({ origin: 'file://', host: 'localhost:3000' })).toBe(false);
    expect(isAllowedOrigin({ origin: 'chrome-extension://abc', host: 'abc' })).toBe(false);
  });

  it('accepts the configured public URL behind a proxy that rewrites Host', () => {
    expect(
      isAllowedOrigin({
        origin: 'https://help.example.org',
        host: '127.0.0.1:3000',
        publicUrl: 'https://help.example.org/',
      }),
    ).toBe(true);
    expect(
      isAllowedOrigin({
        origin: 'https://help.example.org',
        host: '127.0.0.1:3000',
        forwardedHost: 'help.example.org',
      }),
    ).toBe(true);
    expect(
      isAllowedOrigin({
        origin: 'https://other.example.org',
        host: '127.0.0.1:3000',
        publicUrl: 'https://help.example.org',
      }),
    ).toBe(false);
  });

  it('lets non-browser clients without an Origin through (they still need a token)', () => {
    expect(isAllowedOrigin({ origin: undefined, host: 'localhost:3000' })).toBe(true);
  });
});
