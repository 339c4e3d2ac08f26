/**
 * A small in-memory sliding-window limiter for the visitor side. Limits are per process: with several Seva
 * processes behind a balancer a visitor could get up to N× the budget, which is acceptable for abuse limits (they
 * bound cost, they are not quotas) and keeps the hot path off the database. See docs/widget.md.
 */
export interface RateLimiter {
  /** records one hit for `key`; false when the key is over its budget (the hit is not counted then) */
  take(key: string, nowMs?: number): boolean;
}

export function createRateLimiter(opts: { max: number; windowMs: number; maxKeys?: number }): RateLimiter {
  const hits = new Map<string, number[]>();
  const maxKeys = opts.maxKeys ?? 50_000;
  return {
    take(key, nowMs = Date.now()) {
      const since = nowMs - opts.windowMs;
      const list = (hits.get(key) ?? []).filter((t) => t > since);
      if (list.length >= opts.max) {
        hits.set(key, list);
        return false;
      }
      list.push(nowMs);
      hits.delete(key);
      hits.set(key, list);
      if (hits.size > maxKeys) {
        const oldest = hits.keys().next().value;
        if (oldest !== undefined) hits.delete(oldest);
      }
      return true;
    },
  };
}

/** A token bucket for message bursts on one socket: `capacity` at once, refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {
    this.tokens = capacity;
    this.last = Date.now();
  }

  take(nowMs = Date.now()): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.last) / 1000) * this.perSecond);
    this.last = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The visitor-side limits (documented in docs/widget.md). */
export const WIDGET_LIMITS = {
  visitorsPerIp: { max: 60, windowMs: 60 * 60_000 },
  conversationsPerVisitor: { max: 5, windowMs: 10 * 60_000 },
  conversationsPerIp: { max: 30, windowMs: 60 * 60_000 },
  /** HTTP message fallback, per visitor */
  messagesPerVisitor: { max: 60, windowMs: 60_000 },
  offlinePerIp: { max: 10, windowMs: 60 * 60_000 },
  uploadsPerVisitor: { max: 20, windowMs: 10 * 60_000 },
  /** socket: burst of 10 messages, then one per second */
  socketBurst: 10,
  socketPerSecond: 1,
  /** socket: any frame (ping, typing, read …): a burst of 60, then 10 per second; beyond that frames are dropped */
  socketFrameBurst: 60,
  socketFramesPerSecond: 10,
  /** refusals within a minute after which the socket is closed with 4429 */
  socketRefusalsBeforeClose: 20,
  uploadMaxBytes: 10 * 1024 * 1024,
} as const;
