import { describe, expect, it } from 'vitest';
import { createTypingSender, isSeenByVisitor, lastStaffMessageSeq, newestPublicSeq, readReceiptSeq } from './chat-typing.ts';

function harness() {
  let now = 0;
  const sent: boolean[] = [];
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const sender = createTypingSender({
    send: (v) => sent.push(v),
    throttleMs: 3000,
    idleMs: 5000,
    now: () => now,
    setTimer: (fn, ms) => {
      const id = next++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer: (h) => timers.delete(h as number),
  });
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...timers]) {
      if (t.at <= now) {
        timers.delete(id);
        t.fn();
      }
    }
  };
  return { sender, sent, advance };
}

describe('typing sender', () => {
  it('says "typing" once per throttle window while the agent keeps typing', () => {
    const { sender, sent, advance } = harness();
    sender.input();
    advance(1000);
    sender.input();
    advance(1000);
    sender.input();
    expect(sent).toEqual([true]);
    advance(1000);
    sender.input();
    expect(sent).toEqual([true, true]);
  });

  it('says "stopped" after a pause, and at once when asked', () => {
    const { sender, sent, advance } = harness();
    sender.input();
    advance(4999);
    expect(sent).toEqual([true]);
    advance(1);
    expect(sent).toEqual([true, false]);
    sender.input();
    sender.stop();
    expect(sent).toEqual([true, false, true, false]);
    sender.stop();
    expect(sent).toEqual([true, false, true, false]);
  });
});

describe('read receipts', () => {
  const msgs = [
    { seq: 1, kind: 'public', authorType: 'customer' },
    { seq: 2, kind: 'public', authorType: 'staff' },
    { seq: 3, kind: 'internal', authorType: 'staff' },
  ];

  it('marks read only what is newer than what was read', () => {
    expect(newestPublicSeq(msgs)).toBe(2);
    expect(readReceiptSeq(msgs, 0)).toBe(2);
    expect(readReceiptSeq(msgs, 2)).toBeNull();
    expect(readReceiptSeq([], 0)).toBeNull();
  });

  it('shows "Seen" when the visitor has read the agent\'s last message, not for notes or older replies', () => {
    expect(lastStaffMessageSeq(msgs)).toBe(2);
    expect(isSeenByVisitor(msgs, 1)).toBe(false);
    expect(isSeenByVisitor(msgs, 2)).toBe(true);
    const answered = [...msgs, { seq: 4, kind: 'public', authorType: 'customer' }];
    expect(lastStaffMessageSeq(answered)).toBeNull();
    expect(isSeenByVisitor(answered, 9)).toBe(false);
  });
});
