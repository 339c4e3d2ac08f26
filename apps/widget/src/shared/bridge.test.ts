import { describe, expect, it } from 'vitest';
import { isParentAllowed } from '../frame/parent-bridge.ts';
import { localInputToIso } from '../frame/screens/callback-screen.tsx';
import { clipPage, isFrameToHost, isHostToFrame } from './bridge.ts';

describe('the loader ↔ frame bridge', () => {
  it('talks only to Seva itself or an origin the widget allows, compared exactly', () => {
    const allowed = ['https://shop.example'];
    expect(isParentAllowed('https://shop.example', allowed, 'https://seva.example')).toBe(true);
    expect(isParentAllowed('https://seva.example', allowed, 'https://seva.example')).toBe(true);
    expect(isParentAllowed('https://shop.example.evil.test', allowed, 'https://seva.example')).toBe(false);
    expect(isParentAllowed('http://shop.example', allowed, 'https://seva.example')).toBe(false);
    expect(isParentAllowed('null', allowed, 'https://seva.example')).toBe(false);
    expect(isParentAllowed(null, allowed, 'https://seva.example')).toBe(false);
  });

  it('accepts only its own message types in each direction', () => {
    expect(isHostToFrame({ type: 'seva:page', page: {} })).toBe(true);
    expect(isHostToFrame({ type: 'seva:close' })).toBe(false);
    expect(isFrameToHost({ type: 'seva:close' })).toBe(true);
    expect(isFrameToHost({ type: 'seva:init' })).toBe(false);
    for (const junk of [null, 'seva:close', 42, {}, { type: 7 }]) {
      expect(isHostToFrame(junk)).toBe(false);
      expect(isFrameToHost(junk)).toBe(false);
    }
  });

  it('keeps page details within the sizes the server accepts and drops empty ones', () => {
    const page = clipPage({ url: `https://shop.example/${'a'.repeat(3000)}`, title: '', referrer: 'https://search.example/' });
    expect(page.url).toHaveLength(2000);
    expect(page.title).toBeUndefined();
    expect(page.referrer).toBe('https://search.example/');
  });
});

describe('call me back', () => {
  it('sends the preferred time as the visitor meant it, with their offset', () => {
    const iso = localInputToIso('2030-03-04T15:30');
    expect(iso).toMatch(/^2030-03-04T15:30:00[+-]\d{2}:\d{2}$/);
    // the same instant as the browser reads the local time
    expect(new Date(iso as string).getTime()).toBe(new Date('2030-03-04T15:30').getTime());
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('not a time')).toBeNull();
  });
});
