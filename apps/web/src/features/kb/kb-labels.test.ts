import { describe, expect, it } from 'vitest';
import { allowedStatuses } from './kb-labels.ts';

describe('knowledge-base statuses', () => {
  it('lets agents choose only draft and review, editors every status', () => {
    expect(allowedStatuses(false)).toEqual(['draft', 'in_review']);
    expect(allowedStatuses(true)).toContain('published');
  });
});
