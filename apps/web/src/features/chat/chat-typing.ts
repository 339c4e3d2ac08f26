/**
 * Pure parts of the chat panel: when to tell the visitor the agent is typing (throttled), and read receipts.
 */
export interface TypingSender {
  /** the agent typed something */
  input(): void;
  /** the agent left the composer or sent: stop at once if we said we were typing */
  stop(): void;
  dispose(): void;
}

export interface TypingSenderOptions {
  send(isTyping: boolean): void;
  /** at most one "typing" every this many ms while typing continues */
  throttleMs?: number;
  /** "stopped typing" after this long without input */
  idleMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export function createTypingSender(opts: TypingSenderOptions): TypingSender {
  const throttle = opts.throttleMs ?? 3000;
  const idle = opts.idleMs ?? 5000;
  const now = opts.now ?? Date.now;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let lastSent = -Infinity;
  let typing = false;
  let timer: unknown = null;
  const stop = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
    if (typing) {
      typing = false;
      lastSent = -Infinity;
      opts.send(false);
    }
  };
  return {
    input() {
      const t = now();
      if (!typing || t - lastSent >= throttle) {
        typing = true;
        lastSent = t;
        opts.send(true);
      }
      if (timer !== null) clearTimer(timer);
      timer = setTimer(stop, idle);
    },
    stop,
    dispose() {
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}

interface SeqMessage {
  seq: number;
  kind: string;
  authorType: string;
}

/** The newest message the visitor could see (public), or 0. */
export function newestPublicSeq(messages: readonly SeqMessage[]): number {
  let max = 0;
  for (const m of messages) if (m.kind === 'public' && m.seq > max) max = m.seq;
  return max;
}

/** The agent side's last public message, if it is the newest public message of the chat. */
export function lastStaffMessageSeq(messages: readonly SeqMessage[]): number | null {
  const pub = messages.filter((m) => m.kind === 'public');
  const last = pub.reduce<SeqMessage | null>((a, m) => (!a || m.seq > a.seq ? m : a), null);
  return last && last.authorType === 'staff' ? last.seq : null;
}

/** "Seen": the visitor has read up to (or past) the agent's last message. */
export function isSeenByVisitor(messages: readonly SeqMessage[], visitorReadSeq: number): boolean {
  const seq = lastStaffMessageSeq(messages);
  return seq !== null && visitorReadSeq >= seq;
}

/** Should the agent send a read receipt? Only for something newer than what was already marked read. */
export function readReceiptSeq(messages: readonly SeqMessage[], alreadyRead: number): number | null {
  const newest = newestPublicSeq(messages);
  return newest > alreadyRead ? newest : null;
}
