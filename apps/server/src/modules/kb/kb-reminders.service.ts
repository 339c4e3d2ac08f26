import type { StaffActor } from '../../platform/auth/permissions.ts';
import type { Deps } from '../../platform/deps.ts';
import { withClientTransaction } from '../../platform/db/client-transaction.ts';
import { emailRuntime } from '../email/email-runtime.ts';
import { remindAnnouncement } from './kb-announcements.service.ts';
import { queueKbEmail } from './kb-email-queue.ts';
import { REMINDER_KIND } from './kb-reminder-email.ts';

/**
 * "Remind the rest": in one transaction, the `kb_announcement.reminded` event naming everyone in the audience who has
 * not acknowledged (the realtime hub pushes it to exactly those people) and one queued email to each of them
 * (`kb_reminder:<event>:<person>`, written in their language when sent). People who acknowledged get nothing.
 */
export async function sendAnnouncementReminder(
  deps: Deps,
  input: { actor: StaffActor; id: string },
): Promise<{ reminded: number }> {
  const now = deps.clock.now();
  const { jobs } = emailRuntime(deps, () => {});
  return withClientTransaction(deps.database.pool, async ({ tx, client }) => {
    const r = await remindAnnouncement(tx, { actor: input.actor, id: input.id, now });
    for (const person of r.pending) {
      await queueKbEmail(
        { tx, client, jobs },
        {
          idempotencyKey: `${REMINDER_KIND}:${r.eventId}:${person.userId}`,
          kind: REMINDER_KIND,
          recipient: person.email,
          now,
        },
      );
    }
    return { reminded: r.reminded };
  });
}
