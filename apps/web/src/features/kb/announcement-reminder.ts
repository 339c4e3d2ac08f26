/**
 * The live "please read" reminder the server pushes (`kb_announcement.reminded`) only to staff who have not
 * acknowledged an announcement; the realtime bridge shows it as a notification linking to the announcement.
 */
export interface AnnouncementReminder {
  announcementId: string;
  title: string;
}

export const ANNOUNCEMENT_ANCHOR_PREFIX = 'announcement-';

export function announcementReminder(
  message: { type: string; payload?: Record<string, unknown> } | null,
): AnnouncementReminder | null {
  if (message?.type !== 'kb_announcement.reminded') return null;
  const id = message.payload?.announcementId;
  const title = message.payload?.title;
  if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  return { announcementId: id, title: typeof title === 'string' ? title.slice(0, 300) : '' };
}

/** The announcement id named by a `#announcement-<id>` hash on the knowledge-base page, or null. */
export function announcementFromHash(hash: string): string | null {
  const h = hash.replace(/^#/, '');
  return h.startsWith(ANNOUNCEMENT_ANCHOR_PREFIX) ? h.slice(ANNOUNCEMENT_ANCHOR_PREFIX.length) || null : null;
}
