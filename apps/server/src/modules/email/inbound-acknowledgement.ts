import type { checkAuthentication } from './check-authentication.ts';
import { type isAutoSubmitted, mayAutoReply } from './is-auto-submitted.ts';
import type { MailboxRow } from './mailboxes.service.ts';

/** acknowledgements per recipient per hour */
export const ACK_LIMIT_PER_HOUR = 3;

/**
 * Whether a new email ticket gets an acknowledgement: 'queued', 'rate_limited' (ACK_LIMIT_PER_HOUR to one address),
 * or null when none is due at all (switched off, an automated sender, staff, a failed authentication).
 */
export function decideAcknowledgement(o: {
  mailbox: MailboxRow;
  auto: ReturnType<typeof isAutoSubmitted>;
  staff: { id: string } | undefined;
  authCheck: ReturnType<typeof checkAuthentication>;
  /** acknowledgements to the sender in the last hour */
  recentAcks: number;
}): 'queued' | 'rate_limited' | null {
  if (!o.mailbox.isAckEnabled || !mayAutoReply(o.auto) || o.staff || o.authCheck.verdict === 'fail') return null;
  return o.recentAcks >= ACK_LIMIT_PER_HOUR ? 'rate_limited' : 'queued';
}
