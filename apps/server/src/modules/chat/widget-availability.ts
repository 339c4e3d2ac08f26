import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { calendarAssignments } from '../../platform/db/schema/index.ts';
import { addBusinessMinutes } from '../sla/business-time.ts';
import { loadCalendar } from '../sla/load-calendar.ts';
import { hasChatCapacity, listChatCandidates } from './chat-candidates.ts';

export interface WidgetAvailability {
  /** inside the widget's business hours (no calendar: always) */
  isOpen: boolean;
  /** open and someone who may take chats is available with chat capacity */
  agentsAvailable: boolean;
  /** when closed: the next moment the calendar opens (ISO), null if never or when open */
  opensAt: string | null;
}

/** Whether a widget is open now (its SLA calendar, with holidays and closures) and someone could take a chat. */
export async function widgetAvailability(db: DbOrTx, widget: { id: string; teamId: string | null }, now: Date): Promise<WidgetAvailability> {
  const [assigned] = await db
    .select({ calendarId: calendarAssignments.calendarId })
    .from(calendarAssignments)
    .where(and(eq(calendarAssignments.targetKind, 'widget'), eq(calendarAssignments.targetId, widget.id)));
  const calendar = assigned ? await loadCalendar(db, assigned.calendarId) : null;
  let isOpen = true;
  let opensAt: string | null = null;
  if (calendar) {
    // open when the next working moment is now itself
    const next = addBusinessMinutes(now, 0, calendar);
    isOpen = next !== null && next.getTime() === now.getTime();
    if (!isOpen) opensAt = next?.toISOString() ?? null;
  }
  if (!isOpen) return { isOpen, agentsAvailable: false, opensAt };
  const candidates = await listChatCandidates(db, { teamId: widget.teamId, onlyTeam: true, now });
  return { isOpen, agentsAvailable: candidates.some(hasChatCapacity), opensAt: null };
}
