import { describe, expect, it } from 'vitest';
import { findMentions } from './mentions.ts';

const people = [
  { id: 'a', name: 'Asha', email: 'asha.k@example.com' },
  { id: 'ar', name: 'Asha Rahman', email: 'arahman@example.com' },
  { id: 'r', name: 'রিনা দাস', email: 'rina@example.com' },
  { id: 'p', name: 'प्रिया', email: 'priya@example.com' },
];

describe('mentions', () => {
  it('finds full names in any script and email local parts, longest first', () => {
    expect(findMentions('@Asha Rahman can you check?', people)).toEqual(['ar']);
    expect(findMentions('cc @asha and @রিনা দাস, also @priya', people).sort()).toEqual(['a', 'p', 'r']);
    expect(findMentions('@प्रिया देखिए', people)).toEqual(['p']);
  });

  it('ignores near misses and plain text', () => {
    expect(findMentions('@Ashanti please', people)).toEqual([]);
    expect(findMentions('email asha.k@example.com', people)).toEqual([]);
    expect(findMentions('no mentions here', people)).toEqual([]);
  });
});
