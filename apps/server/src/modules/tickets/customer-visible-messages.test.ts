import { describe, expect, it } from 'vitest';
import { type MessageLike, toCustomerVisibleMessages } from './customer-visible-messages.ts';

function msg(seq: number, over: Partial<MessageLike>): MessageLike {
  return {
    id: `00000000-0000-4000-8000-00000000000${seq}`,
    seq,
    kind: 'public',
    authorType: 'staff',
    author: { id: 'a', name: 'Asha' },
    bodyText: `m${seq}`,
    bodyHtml: null,
    status: 'sent',
    attachments: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

describe('toCustomerVisibleMessages', () => {
  it('never lets internal notes, system entries, pending or rejected replies through', () => {
    const out = toCustomerVisibleMessages([
      msg(1, { authorType: 'customer', status: 'received' }),
      msg(2, { kind: 'internal', bodyText: 'secret note' }),
      msg(3, { kind: 'system', authorType: 'system', author: null }),
      msg(4, { status: 'pending_approval', bodyText: 'draft' }),
      msg(5, { status: 'rejected' }),
      msg(6, {}),
      msg(7, { kind: 'internal', status: 'received', authorType: 'customer' }),
    ]);
    expect(out.map((m) => m.seq)).toEqual([1, 6]);
    expect(JSON.stringify(out)).not.toMatch(/secret note|draft/);
  });

  it('keeps sequence order and exposes no internal fields', () => {
    const out = toCustomerVisibleMessages([msg(3, {}), msg(1, { authorType: 'customer', status: 'received' })]);
    expect(out.map((m) => m.seq)).toEqual([1, 3]);
    expect(Object.keys(out[0] ?? {}).sort()).toEqual(
      ['attachments', 'authorName', 'authorType', 'bodyHtml', 'bodyText', 'createdAt', 'id', 'seq'].sort(),
    );
  });
});
