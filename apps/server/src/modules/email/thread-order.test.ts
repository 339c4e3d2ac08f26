import { describe, expect, it } from 'vitest';
import { threadKeys, threadLockKey, threadLocksSql } from './thread-order.ts';

describe('thread locks', () => {
  it('writes only the keys’ digits into the SQL, whatever the Message-IDs hold', () => {
    const hostile = ["x'); DROP TABLE tickets; --@evil", 'a\\b"c@d', 'বাংলা@উদাহরণ', '{1,2}@x', ''];
    const text = threadLocksSql(hostile);
    const literal = /unnest\('\{([^}]*)\}'::bigint\[\]\)/.exec(text)?.[1];
    expect(literal).toBeDefined();
    expect(literal).toMatch(/^-?\d+(,-?\d+)*$/);
    for (const id of hostile) if (id !== '') expect(text).not.toContain(id);
    expect(text).not.toContain('DROP');
  });

  it('gives one key per distinct Message-ID, the same in every process, sorted so locks are taken in one order', () => {
    const ids = ['b@x', 'a@x', 'b@x', 'c@x'];
    const literal = /unnest\('\{([^}]*)\}'/.exec(threadLocksSql(ids))?.[1] ?? '';
    const keys = literal.split(',').map((k) => BigInt(k));
    expect(keys).toHaveLength(3);
    expect([...keys].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0))).toEqual(keys);
    expect(new Set(keys)).toEqual(new Set(['a@x', 'b@x', 'c@x'].map(threadLockKey)));
    expect(threadLockKey('a@x')).toBe(threadLockKey('a@x'));
    expect(threadLockKey('a@x')).not.toBe(threadLockKey('b@x'));
  });

  it('locks nothing for a mail without Message-IDs', () => {
    expect(threadLocksSql(threadKeys({ messageId: null, inReplyTo: [], references: [] }))).toContain("'{}'::bigint[]");
  });
});
