import { randomBytes } from 'node:crypto';
import { count } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { widgets } from '../platform/db/schema/index.ts';

/**
 * A "Website" help widget with greetings in English, Bengali and Hindi, so /widget-demo works on a demo desk.
 * Added only when the desk has no widget yet; it may be embedded by Seva's own demo page only (no site origins).
 */
export async function seedDemoWidget(db: Db, now: Date): Promise<number> {
  const [existing] = await db.select({ n: count() }).from(widgets);
  if ((existing?.n ?? 0) > 0) return 0;
  await db.insert(widgets).values({
    publicKey: `wk_${randomBytes(18).toString('base64url')}`,
    name: 'Website',
    greetings: {
      en: 'Hi! How can we help you today?',
      bn: 'নমস্কার! আজ আমরা আপনাকে কীভাবে সাহায্য করতে পারি?',
      hi: 'नमस्ते! आज हम आपकी कैसे मदद कर सकते हैं?',
    },
    options: { kb: true, chat: true, message: true, callback: true },
    createdAt: now,
    updatedAt: now,
  });
  return 1;
}
