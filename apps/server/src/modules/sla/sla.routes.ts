import {
  AddHolidayBody,
  BusinessCalendar,
  CalendarHoliday,
  CalendarList,
  CreateCalendarBody,
  CreateSlaPolicyBody,
  HolidayParams,
  ImportHolidaysBody,
  ImportHolidaysResult,
  SlaIdParams,
  SlaPolicy,
  SlaPolicyList,
  SlaReport,
  SlaReportQuery,
  TicketIdParams,
  TicketSla,
  UpdateCalendarBody,
  UpdateSlaPolicyBody,
} from '@seva/contracts';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { slaPolicies } from '../../platform/db/schema/index.ts';
import { notFound } from '../../platform/errors.ts';
import { findVisibleTicket } from '../tickets/index.ts';
import { addHoliday, createCalendar, deleteCalendar, deleteHoliday, getCalendar, importHolidays, listCalendars, updateCalendar } from './calendars.service.ts';
import { createPolicy, deletePolicy, listPolicies, updatePolicy } from './policies.service.ts';
import { ticketClocks } from './ticket-clocks.ts';
import { slaReport } from './sla-report.ts';

const tags = ['sla'];

export async function slaRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const admin = { policy: 'settings:manage' } as const;
  const staff = { policy: 'tickets:read' } as const;

  r.get('/sla/calendars', { config: staff, schema: { tags, summary: 'Business-hours calendars', response: { 200: CalendarList } } }, async () => ({
    items: await listCalendars(db),
  }));
  r.get(
    '/sla/calendars/:id',
    { config: staff, schema: { tags, summary: 'One calendar with its holidays', params: SlaIdParams, response: { 200: BusinessCalendar } } },
    async (req) => getCalendar(db, req.params.id),
  );
  r.post(
    '/sla/calendars',
    { config: admin, schema: { tags, summary: 'Create a calendar', body: CreateCalendarBody, response: { 201: BusinessCalendar } } },
    async (req, reply) => {
      const actor = requireActor(req);
      const c = await db.transaction((tx) => createCalendar(tx, { actor, body: req.body, now: clock.now() }));
      return reply.status(201).send(c);
    },
  );
  r.patch(
    '/sla/calendars/:id',
    { config: admin, schema: { tags, summary: 'Change a calendar (due times follow)', params: SlaIdParams, body: UpdateCalendarBody, response: { 200: BusinessCalendar } } },
    async (req) => {
      const actor = requireActor(req);
      return db.transaction((tx) => updateCalendar(tx, { actor, id: req.params.id, body: req.body, now: clock.now() }));
    },
  );
  r.delete('/sla/calendars/:id', { config: admin, schema: { tags, summary: 'Delete a calendar', params: SlaIdParams } }, async (req, reply) => {
    const actor = requireActor(req);
    await db.transaction((tx) => deleteCalendar(tx, { actor, id: req.params.id, now: clock.now() }));
    return reply.status(204).send();
  });
  r.post(
    '/sla/calendars/:id/holidays',
    { config: admin, schema: { tags, summary: 'Add a holiday or one-off closure', params: SlaIdParams, body: AddHolidayBody, response: { 201: CalendarHoliday } } },
    async (req, reply) => {
      const actor = requireActor(req);
      const h = await db.transaction((tx) => addHoliday(tx, { actor, id: req.params.id, body: req.body, now: clock.now() }));
      return reply.status(201).send(h);
    },
  );
  r.delete(
    '/sla/calendars/:id/holidays/:holidayId',
    { config: admin, schema: { tags, summary: 'Remove a holiday or closure', params: HolidayParams } },
    async (req, reply) => {
      await db.transaction((tx) => deleteHoliday(tx, { id: req.params.id, holidayId: req.params.holidayId, now: clock.now() }));
      return reply.status(204).send();
    },
  );
  r.post(
    '/sla/calendars/:id/holidays/import',
    {
      config: admin,
      schema: { tags, summary: "Import a country's public holidays for a year", params: SlaIdParams, body: ImportHolidaysBody, response: { 200: ImportHolidaysResult } },
    },
    async (req) => {
      const actor = requireActor(req);
      return db.transaction((tx) => importHolidays(tx, { actor, id: req.params.id, body: req.body, now: clock.now() }));
    },
  );

  r.get('/sla/policies', { config: staff, schema: { tags, summary: 'SLA policies in the order they are tried', response: { 200: SlaPolicyList } } }, async () => ({
    items: await listPolicies(db),
  }));
  r.post(
    '/sla/policies',
    { config: admin, schema: { tags, summary: 'Create an SLA policy', body: CreateSlaPolicyBody, response: { 201: SlaPolicy } } },
    async (req, reply) => {
      const actor = requireActor(req);
      const p = await db.transaction((tx) => createPolicy(tx, { actor, body: req.body, now: clock.now() }));
      return reply.status(201).send(p);
    },
  );
  r.patch(
    '/sla/policies/:id',
    { config: admin, schema: { tags, summary: 'Change an SLA policy', params: SlaIdParams, body: UpdateSlaPolicyBody, response: { 200: SlaPolicy } } },
    async (req) => {
      const actor = requireActor(req);
      return db.transaction((tx) => updatePolicy(tx, { actor, id: req.params.id, body: req.body, now: clock.now() }));
    },
  );
  r.delete('/sla/policies/:id', { config: admin, schema: { tags, summary: 'Delete an SLA policy', params: SlaIdParams } }, async (req, reply) => {
    const actor = requireActor(req);
    await db.transaction((tx) => deletePolicy(tx, { actor, id: req.params.id, now: clock.now() }));
    return reply.status(204).send();
  });

  r.get(
    '/sla/report',
    { config: { policy: 'reports:read' }, schema: { tags, summary: 'SLA achievement per policy, team, person, channel or metric', querystring: SlaReportQuery, response: { 200: SlaReport } } },
    async (req) => slaReport(db, req.query),
  );

  r.get(
    '/tickets/:id/sla',
    { config: staff, schema: { tags, summary: "A ticket's SLA clocks", params: TicketIdParams, response: { 200: TicketSla } } },
    async (req) => {
      const actor = requireActor(req);
      const t = await findVisibleTicket(db, actor, req.params.id);
      if (!t) throw notFound('Ticket');
      const [p] = t.slaPolicyId ? await db.select({ id: slaPolicies.id, name: slaPolicies.name }).from(slaPolicies).where(eq(slaPolicies.id, t.slaPolicyId)) : [];
      return {
        policy: p ?? null,
        dueAt: t.slaDueAt?.toISOString() ?? null,
        state: (t.slaState as 'ok' | 'at_risk' | 'breached' | null) ?? null,
        clocks: await ticketClocks(db, t.id, clock.now()),
      };
    },
  );
}
