import { describe, expect, it } from 'vitest';
import { buildFrameDocument, estimateFrameHeight } from './frame-document.ts';

describe('the sandboxed message frame', () => {
  it('forbids every network fetch and script through its CSP', () => {
    const doc = buildFrameDocument('<p>hello</p>');
    expect(doc).toContain("default-src 'none'");
    expect(doc).toContain('img-src data:;');
    expect(doc).not.toMatch(/script-src/);
    expect(doc).toContain('<p>hello</p>');
  });

  it('sizes short messages small and caps long ones', () => {
    expect(estimateFrameHeight('<p>hi</p>', 'hi')).toBeLessThan(80);
    expect(estimateFrameHeight('<p>x</p>'.repeat(500), 'x\n'.repeat(500))).toBe(640);
  });
});
