import { randomUUID } from 'node:crypto';
import { normaliseForSearch } from '../platform/text/normalise.ts';
import { CHANNEL_WEIGHTS, PRIORITY_WEIGHTS, type TeamKey, TYPE_WEIGHTS } from './demo-catalogue.ts';
import type { DemoRandom } from './demo-random.ts';
import type { DemoBatch, DemoEventRow, DemoMessageRow, DemoTicketRow } from './demo-rows.ts';
import { type CategoryKey, type DemoLanguage, fillTemplate, LANGUAGE_PACKS, type Placeholders } from './text/index.ts';

export interface DemoCustomerRef {
  id: string;
  name: string;
  firstName: string;
  email: string;
  locale: DemoLanguage;
  organisationId: string | null;
}

export interface DemoRefs {
  now: Date;
  customers: readonly DemoCustomerRef[];
  categories: ReadonlyArray<{ id: string; key: CategoryKey; team: TeamKey; tags: readonly string[]; weight: number }>;
  /** team id and the agents/supervisors in it */
  teams: Readonly<Record<TeamKey, { id: string; memberIds: readonly string[] }>>;
  staffNames: ReadonlyMap<string, string>;
  supervisorIds: readonly string[];
  collaborators: { ceo: string | null; finance: string | null; technician: string | null };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HISTORY_DAYS = 182;

const DATE_FORMATS = new Map<DemoLanguage, Intl.DateTimeFormat>();
/** "12 March", "১২ মার্চ", "12 मार्च" (building a formatter is slow, so one per language) */
function dateFormat(language: DemoLanguage): Intl.DateTimeFormat {
  let f = DATE_FORMATS.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(`${language}-IN`, { day: 'numeric', month: 'long', timeZone: 'Asia/Kolkata' });
    DATE_FORMATS.set(language, f);
  }
  return f;
}

type Status = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';

/** Older tickets are mostly solved or closed; today's are mostly new or open. */
function statusForAge(rnd: DemoRandom, ageDays: number): Status {
  if (ageDays < 1) return rnd.weighted({ new: 45, open: 28, pending: 15, on_hold: 4, solved: 8, closed: 0 });
  if (ageDays < 7) return rnd.weighted({ new: 6, open: 24, pending: 25, on_hold: 7, solved: 38, closed: 0 });
  if (ageDays < 30) return rnd.weighted({ new: 0, open: 7, pending: 9, on_hold: 4, solved: 45, closed: 35 });
  return rnd.weighted({ new: 0, open: 2, pending: 2, on_hold: 1, solved: 15, closed: 80 });
}

function firstResponseDelay(rnd: DemoRandom, priority: string): number {
  if (priority === 'urgent') return rnd.int(5, 60) * MINUTE;
  if (priority === 'high') return rnd.int(10, 180) * MINUTE;
  if (priority === 'normal') return rnd.int(30, 600) * MINUTE;
  return rnd.int(60, 1440) * MINUTE;
}

interface Step {
  kind: 'public' | 'internal';
  author: 'customer' | 'staff';
  staffId: string | null;
  text: string;
  offset: number;
}

/** Generates `count` tickets with their conversations, collaborators and events, backdated over six months. */
export function generateTickets(rnd: DemoRandom, refs: DemoRefs, count: number): DemoBatch {
  const batch: DemoBatch = { tickets: [], messages: [], events: [], collaborators: [] };
  const categoryWeights = Object.fromEntries(refs.categories.map((c, i) => [String(i), c.weight]));
  const now = refs.now.getTime();

  for (let i = 0; i < count; i += 1) {
    // a few customers write often: skew the pick towards the start of the list
    const customer = refs.customers[Math.floor(refs.customers.length * rnd.next() ** 1.7)] ?? refs.customers[0];
    const category = refs.categories[Number(rnd.weighted(categoryWeights))];
    if (!customer || !category) throw new Error('demo references are empty');
    const language: DemoLanguage = rnd.chance(0.9) ? customer.locale : 'en';
    const pack = LANGUAGE_PACKS[language];
    const texts = pack.categories[category.key];
    const channel = rnd.weighted(CHANNEL_WEIGHTS);
    const priority = rnd.weighted(PRIORITY_WEIGHTS);
    const type = rnd.weighted(TYPE_WEIGHTS);
    const ageMs = Math.max(15 * MINUTE, HISTORY_DAYS * DAY * rnd.next() ** 1.35);
    const t0 = now - ageMs;
    const status = statusForAge(rnd, ageMs / DAY);
    const team = refs.teams[category.team];

    let assigneeId: string | null = null;
    if (status !== 'new' || rnd.chance(0.3)) {
      assigneeId =
        category.key === 'plumbing' && refs.collaborators.technician && rnd.chance(0.25)
          ? refs.collaborators.technician
          : team.memberIds.length > 0
            ? rnd.pick(team.memberIds)
            : null;
    }
    const replierId =
      assigneeId && refs.collaborators.technician !== assigneeId ? assigneeId : (team.memberIds[0] ?? assigneeId);

    const productIndex = rnd.int(0, pack.products.length - 1);
    const values: Placeholders = {
      name: customer.firstName,
      agent: (replierId && refs.staffNames.get(replierId)?.replace(/ \(.*\)$/, '')) || 'Seva',
      order: `SV-${rnd.int(100_000, 999_999)}`,
      invoice: `INV-${new Date(t0).getUTCFullYear()}-${rnd.int(10_000, 99_999)}`,
      product: pack.products[productIndex] ?? '',
      amount: rnd.int(299, 45_999).toLocaleString('en-IN'),
      days: String(rnd.int(3, 7)),
      city: rnd.pick(pack.cities),
      date: dateFormat(language).format(new Date(t0 + rnd.int(1, 5) * DAY)),
    };
    const fill = (template: string) => fillTemplate(template, values);
    const staffBody = (text: string) =>
      channel === 'email' ? `${fill(rnd.pick(pack.greetings))}\n\n${text}\n\n${fill(rnd.pick(pack.signOffs))}` : text;

    // who else is on the ticket
    const collaboratorIds: string[] = [];
    const c = refs.collaborators;
    if (c.technician && category.key === 'plumbing' && assigneeId !== c.technician && rnd.chance(0.3))
      collaboratorIds.push(c.technician);
    if (c.finance && (category.key === 'billing' || category.key === 'returns') && rnd.chance(0.1))
      collaboratorIds.push(c.finance);
    const escalated = c.ceo !== null && (priority === 'urgent' || category.key === 'feedback') && rnd.chance(0.15);
    if (escalated && c.ceo) collaboratorIds.push(c.ceo);

    // the conversation
    const steps: Step[] = [
      { kind: 'public', author: 'customer', staffId: null, text: fill(rnd.pick(texts.openings)), offset: 0 },
    ];
    const target = status === 'new' ? (rnd.chance(0.2) ? 2 : 1) : 2 + Math.floor(rnd.next() ** 1.5 * 7);
    const finished = status === 'solved' || status === 'closed';
    let offset = 0;
    while (steps.length < target) {
      const last = steps[steps.length - 1] as Step;
      const remaining = target - steps.length;
      if (status === 'new') {
        offset += rnd.int(20, 600) * MINUTE;
        steps.push({
          kind: 'public',
          author: 'customer',
          staffId: null,
          text: fill(rnd.pick(texts.followUps)),
          offset,
        });
      } else if (last.author === 'customer' && remaining > 1 && rnd.chance(0.22)) {
        const noteAuthor = collaboratorIds.length > 0 && rnd.chance(0.5) ? rnd.pick(collaboratorIds) : replierId;
        offset += rnd.int(2, 90) * MINUTE;
        steps.push({
          kind: 'internal',
          author: 'staff',
          staffId: noteAuthor ?? null,
          text: fill(rnd.pick(texts.notes)),
          offset,
        });
      } else if (last.author === 'customer' || last.kind === 'internal') {
        const firstReply = !steps.some((s) => s.author === 'staff' && s.kind === 'public');
        offset += firstReply ? firstResponseDelay(rnd, priority) : rnd.int(15, 480) * MINUTE;
        const text = finished && remaining === 1 ? rnd.pick(pack.closings) : fill(rnd.pick(texts.replies));
        steps.push({ kind: 'public', author: 'staff', staffId: replierId ?? null, text: staffBody(text), offset });
      } else {
        offset += rnd.int(20, 1800) * MINUTE;
        const text = finished && remaining === 1 ? rnd.pick(pack.thanks) : fill(rnd.pick(texts.followUps));
        steps.push({ kind: 'public', author: 'customer', staffId: null, text, offset });
      }
    }
    // squeeze young tickets so nothing lies in the future
    const room = now - t0 - 5 * MINUTE;
    const endOffset = offset + 30 * MINUTE;
    const squeeze = endOffset > room ? Math.max(0, room) / endOffset : 1;
    const at = (o: number) => new Date(t0 + Math.round(o * squeeze));

    const ticketId = randomUUID();
    const subject = fill(rnd.pick(texts.subjects));
    const actorOf = (s: { author: 'customer' | 'staff'; staffId: string | null }) =>
      s.author === 'customer'
        ? { actorType: 'customer' as const, actorId: customer.id }
        : { actorType: 'staff' as const, actorId: s.staffId };
    const event = (
      type: string,
      when: Date,
      actor: { actorType: DemoEventRow['actorType']; actorId: string | null },
      payload: Record<string, unknown>,
    ) =>
      batch.events.push({
        type,
        ticketId,
        customerId: type === 'ticket.created' ? customer.id : null,
        ...actor,
        payload,
        createdAt: when,
      });

    const createdAt = new Date(t0);
    const creator =
      channel === 'phone' && replierId
        ? { actorType: 'staff' as const, actorId: replierId }
        : actorOf({ author: 'customer', staffId: null });
    event('ticket.created', createdAt, creator, { subject, channel, customerId: customer.id, priority, type });

    let current: Status = 'new';
    let updatedAt = createdAt;
    let firstResponseAt: Date | null = null;
    let lastCustomerMessageAt: Date | null = null;
    const move = (to: Status, when: Date, actor: { actorType: DemoEventRow['actorType']; actorId: string | null }) => {
      if (current === to) return;
      event('ticket.status_changed', when, actor, { from: current, to });
      current = to;
      if (when > updatedAt) updatedAt = when;
    };

    const firstStaffStep = steps.find((s) => s.author === 'staff');
    if (assigneeId) {
      const when = at(firstStaffStep ? Math.max(0, firstStaffStep.offset - 2 * MINUTE) : rnd.int(1, 20) * MINUTE);
      event(
        'ticket.assigned',
        when,
        { actorType: 'system', actorId: null },
        {
          assigneeId: { from: null, to: assigneeId },
          teamId: { from: null, to: team.id },
        },
      );
    }
    for (const userId of collaboratorIds) {
      const when = at(firstStaffStep ? firstStaffStep.offset : rnd.int(5, 60) * MINUTE);
      const addedById = rnd.pick(refs.supervisorIds.length > 0 ? refs.supervisorIds : [replierId ?? userId]);
      batch.collaborators.push({ ticketId, userId, addedById, createdAt: when });
      event('ticket.collaborator_added', when, { actorType: 'staff', actorId: addedById }, { userId });
    }

    steps.forEach((s, index) => {
      const when = at(s.offset);
      const seq = index + 1;
      const messageId = randomUUID();
      const message: DemoMessageRow = {
        id: messageId,
        ticketId,
        seq,
        kind: s.kind,
        authorType: s.author,
        authorStaffId: s.author === 'staff' ? s.staffId : null,
        authorCustomerId: s.author === 'customer' ? customer.id : null,
        channel: s.kind === 'internal' ? 'internal' : channel,
        bodyText: s.text,
        status: s.author === 'customer' ? 'received' : 'sent',
        meta: channel === 'phone' && s.kind === 'public' ? { callSeconds: rnd.int(45, 900) } : {},
        handleSeconds: s.author === 'staff' ? rnd.int(40, 900) : null,
        searchText: normaliseForSearch(s.text),
        createdAt: when,
      };
      batch.messages.push(message);
      event('message.added', when, actorOf(s), {
        messageId,
        seq,
        kind: s.kind,
        authorType: s.author,
        status: message.status,
        attachmentCount: 0,
      });
      if (when > updatedAt) updatedAt = when;
      if (s.author === 'customer') {
        lastCustomerMessageAt = when;
        if (current === 'pending' || current === 'on_hold') move('open', when, actorOf(s));
      } else if (s.kind === 'public') {
        firstResponseAt ??= when;
        if (current === 'new' || current === 'open') move('pending', when, actorOf(s));
      }
    });

    const lastStep = steps[steps.length - 1] as Step;
    const endAt = at(lastStep.offset + rnd.int(1, 30) * MINUTE);
    const staffActor = { actorType: 'staff' as const, actorId: replierId ?? null };
    let solvedAt: Date | null = null;
    let closedAt: Date | null = null;
    if (status === 'solved' || status === 'closed') {
      move('solved', endAt, staffActor);
      solvedAt = endAt;
      if (status === 'closed') {
        closedAt = new Date(Math.min(endAt.getTime() + 4 * DAY, now - MINUTE));
        move('closed', closedAt, { actorType: 'system', actorId: null });
      }
    } else if (status !== 'new') {
      move(status, endAt, staffActor);
    }

    const tags = rnd.sample(category.tags, rnd.int(0, 2));
    if (escalated) tags.push('escalated');
    if (customer.organisationId && rnd.chance(0.3)) tags.push('vip');
    const customFields: Record<string, unknown> = {};
    if (['billing', 'delivery', 'returns'].includes(category.key)) customFields.order_number = values.order;
    if (category.key === 'technical' || category.key === 'account')
      customFields.device = rnd.pick(['android', 'ios', 'web']);
    if (category.key === 'plumbing') customFields.under_warranty = rnd.chance(0.6);

    const lastMessage = steps.length > 0 ? at(lastStep.offset) : createdAt;
    const ticket: DemoTicketRow = {
      id: ticketId,
      subject,
      status,
      priority,
      type,
      categoryId: category.id,
      tags,
      customFields,
      language,
      channel,
      teamId: status === 'new' && !assigneeId && rnd.chance(0.5) ? null : team.id,
      assigneeId,
      customerId: customer.id,
      organisationId: customer.organisationId,
      lastSeq: steps.length,
      messageCount: steps.length,
      searchText: normaliseForSearch(`${subject} ${customer.name} ${customer.email}`),
      createdAt,
      updatedAt,
      firstResponseAt,
      lastMessageAt: lastMessage,
      lastCustomerMessageAt,
      solvedAt,
      closedAt,
    };
    batch.tickets.push(ticket);
  }
  return batch;
}
