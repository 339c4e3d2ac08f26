/**
 * Pure state of the chat offers shown to an agent: an offer arrives (chat.offered for me), counts down, and leaves
 * when it is accepted, declined, taken by someone else, ended or expired.
 */
export interface ChatOffer {
  ticketId: string;
  ticketNumber: number | null;
  visitorName: string;
  pageUrl: string | null;
  locale: string | null;
  /** when the offer was made (ms since epoch) */
  offeredAt: number;
  /** how long it stands (seconds) */
  timeoutSeconds: number;
}

export type OfferAction =
  | { type: 'offered'; offer: ChatOffer }
  | { type: 'gone'; ticketId: string }
  | { type: 'expire'; now: number };

export function offersReducer(state: ChatOffer[], action: OfferAction): ChatOffer[] {
  switch (action.type) {
    case 'offered': {
      // the same offer seen twice (the event and the list): keep the first countdown
      const existing = state.find((o) => o.ticketId === action.offer.ticketId);
      if (existing) return state.map((o) => (o === existing ? { ...action.offer, offeredAt: existing.offeredAt } : o));
      return [...state, action.offer];
    }
    case 'gone':
      return state.some((o) => o.ticketId === action.ticketId) ? state.filter((o) => o.ticketId !== action.ticketId) : state;
    case 'expire': {
      const left = state.filter((o) => secondsLeft(o, action.now) > 0);
      return left.length === state.length ? state : left;
    }
  }
}

/** Whole seconds left on an offer (never negative); rounds up so "1" shows until the last moment. */
export function secondsLeft(offer: Pick<ChatOffer, 'offeredAt' | 'timeoutSeconds'>, now: number): number {
  const ms = offer.offeredAt + offer.timeoutSeconds * 1000 - now;
  return ms <= 0 ? 0 : Math.ceil(ms / 1000);
}

/** Share of the offer's time still left, 0–100, for a progress ring. */
export function percentLeft(offer: Pick<ChatOffer, 'offeredAt' | 'timeoutSeconds'>, now: number): number {
  if (offer.timeoutSeconds <= 0) return 0;
  const ms = offer.offeredAt + offer.timeoutSeconds * 1000 - now;
  return Math.max(0, Math.min(100, (ms / (offer.timeoutSeconds * 10)) | 0));
}

/** Is this chat.offered event for me? The server names the agent it offers the chat to in the payload. */
export function isOfferForMe(message: { type: string; payload?: Record<string, unknown> }, userId: string | undefined): boolean {
  return message.type === 'chat.offered' && !!userId && message.payload?.userId === userId;
}

/** Events after which an offer no longer stands for anyone (someone accepted, the chat ended, or it moved on). */
export function endsOffer(message: { type: string; payload?: Record<string, unknown> }, userId: string | undefined): boolean {
  if (message.type === 'chat.accepted' || message.type === 'chat.ended' || message.type === 'chat.queued') return true;
  // offered to someone else: escalated away from me
  return message.type === 'chat.offered' && message.payload?.userId !== userId;
}

/** Waiting time as m:ss or h:mm:ss. */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Offers to restore from the list of my chats (after a reload): waiting, offered to me, not dismissed, not expired. */
export function pendingOffers(
  chats: ReadonlyArray<{ ticketId: string; ticketNumber: number; status: string; offeredToId: string | null; offeredAt: string | null; customerName: string; pageUrl: string | null; locale: string | null }>,
  userId: string,
  dismissed: ReadonlySet<string>,
  now: number,
  timeoutSeconds: number,
): ChatOffer[] {
  const out: ChatOffer[] = [];
  for (const c of chats) {
    if (c.status !== 'waiting' || c.offeredToId !== userId || dismissed.has(c.ticketId)) continue;
    const at = c.offeredAt ? new Date(c.offeredAt).getTime() : Number.NaN;
    const offer: ChatOffer = {
      ticketId: c.ticketId,
      ticketNumber: c.ticketNumber,
      visitorName: c.customerName,
      pageUrl: c.pageUrl,
      locale: c.locale,
      // a clock behind the server's would start the countdown in the future
      offeredAt: Number.isNaN(at) ? now : Math.min(at, now),
      timeoutSeconds,
    };
    if (secondsLeft(offer, now) > 0) out.push(offer);
  }
  return out;
}

/** A new message from the visitor (the server says who wrote it in the payload). */
export function isVisitorMessage(message: { type: string; authorType?: unknown; payload?: Record<string, unknown> }): boolean {
  if (message.type === 'message.received') return true;
  if (message.type !== 'message.added') return false;
  const p = message.payload ?? {};
  return (message.authorType ?? p.authorType) === 'customer' && (p.kind === undefined || p.kind === 'public');
}
