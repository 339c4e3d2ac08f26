import {
  AssignmentReport,
  CloseFollowupBody,
  DutyShift,
  DutyShiftBody,
  DutyShiftList,
  DutyShiftSeries,
  DutyShiftSeriesBody,
  DutyShiftSeriesList,
  DutyShiftsQuery,
  EscalateBody,
  ExpertList,
  ExpertsQuery,
  FollowupList,
  RoutingReportQuery,
  RoutingRule,
  RoutingRuleBody,
  RoutingRuleList,
  SetAvailabilityBody,
  StaffRouting,
  StaffRoutingList,
  TeamStrategyBody,
  Ticket,
  TicketIdParams,
  TimeOffBody,
  TimeOffEntry,
  TimeOffList,
  TransferBody,
  TransferReport,
  UpdateDutyShiftBody,
  UpdateDutyShiftSeriesBody,
  UpdateStaffRoutingBody,
  UpdateTimeOffBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import {
  addDutyShift,
  addTimeOff,
  deleteDutyShift,
  deleteTimeOff,
  listDutyShifts,
  listTimeOff,
  updateDutyShift,
  updateTimeOff,
} from './rota.service.ts';
import {
  assignmentReport,
  deleteRoutingRule,
  findExperts,
  listRoutingRules,
  listStaffRouting,
  saveRoutingRule,
  setTeamStrategy,
  teamStrategies,
  transferReport,
  updateStaffRouting,
} from './routing-admin.service.ts';
import { addShiftSeries, deleteShiftSeries, listShiftSeries, updateShiftSeries } from './shift-series.service.ts';
import { closeFollowup, escalateToLead, myFollowups, transferTicket } from './teamwork.service.ts';

const tags = ['routing'];
const Id = z.object({ id: z.uuid() });
const manage = { policy: 'teams:manage' } as const;
const staff = { policy: 'tickets:read' } as const;

export async function routingRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = app;
  const { db, clock } = deps;

  r.get(
    '/routing/staff',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Skills, languages, availability and load of everyone',
        response: { 200: StaffRoutingList },
      },
    },
    async () => ({
      items: await listStaffRouting(db),
    }),
  );
  r.put(
    '/routing/me/availability',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Go online, away or offline',
        body: SetAvailabilityBody,
        response: { 200: StaffRouting },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return db.transaction((tx) =>
        updateStaffRouting(tx, actor, actor.userId, { status: req.body.status }, clock.now()),
      );
    },
  );
  r.patch(
    '/routing/staff/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: "A person's skills, languages, capacity and availability",
        params: Id,
        body: UpdateStaffRoutingBody,
        response: { 200: StaffRouting },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return db.transaction((tx) => updateStaffRouting(tx, actor, req.params.id, req.body, clock.now()));
    },
  );
  r.post(
    '/routing/staff/:id/time-off',
    { config: manage, schema: { tags, summary: 'Time off: no work is routed to them', params: Id, body: TimeOffBody } },
    async (req, reply) => {
      await db.transaction((tx) => addTimeOff(tx, req.params.id, req.body));
      return reply.status(204).send();
    },
  );
  r.get(
    '/routing/time-off',
    {
      config: manage,
      schema: { tags, summary: "Everyone's time off that has not ended", response: { 200: TimeOffList } },
    },
    async () => ({
      items: await listTimeOff(db, clock.now()),
    }),
  );
  r.patch(
    '/routing/time-off/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Move time off or change its note (409 when it would overlap their other time off)',
        params: Id,
        body: UpdateTimeOffBody,
        response: { 200: TimeOffEntry },
      },
    },
    async (req) => db.transaction((tx) => updateTimeOff(tx, req.params.id, req.body)),
  );
  r.delete(
    '/routing/time-off/:id',
    { config: manage, schema: { tags, summary: 'Cancel time off', params: Id } },
    async (req, reply) => {
      await db.transaction((tx) => deleteTimeOff(tx, req.params.id));
      return reply.status(204).send();
    },
  );
  r.post(
    '/routing/shifts',
    {
      config: manage,
      schema: {
        tags,
        summary: 'A support duty shift (people outside support take work only then)',
        body: DutyShiftBody,
      },
    },
    async (req, reply) => {
      await db.transaction((tx) => addDutyShift(tx, req.body));
      return reply.status(204).send();
    },
  );
  r.get(
    '/routing/shifts',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Duty shifts that have not ended (with the occurrences of repeating ones unless oneOff=true)',
        querystring: DutyShiftsQuery,
        response: { 200: DutyShiftList },
      },
    },
    async (req) => ({
      items: await listDutyShifts(db, clock.now(), { oneOff: req.query.oneOff === 'true' }),
    }),
  );
  r.patch(
    '/routing/shifts/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Move a duty shift or change its team or note (409 when it would overlap their other shifts)',
        params: Id,
        body: UpdateDutyShiftBody,
        response: { 200: DutyShift },
      },
    },
    async (req) => db.transaction((tx) => updateDutyShift(tx, req.params.id, req.body)),
  );
  r.delete(
    '/routing/shifts/:id',
    { config: manage, schema: { tags, summary: 'Cancel a duty shift', params: Id } },
    async (req, reply) => {
      await db.transaction((tx) => deleteDutyShift(tx, req.params.id));
      return reply.status(204).send();
    },
  );
  r.get(
    '/routing/shift-series',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Repeating duty shifts whose last day has not passed',
        response: { 200: DutyShiftSeriesList },
      },
    },
    async () => ({ items: await listShiftSeries(db, clock.now()) }),
  );
  r.post(
    '/routing/shift-series',
    {
      config: manage,
      schema: {
        tags,
        summary: 'A repeating duty shift, e.g. every Monday–Friday 09:00–17:00 in a time zone until a date',
        body: DutyShiftSeriesBody,
        response: { 201: DutyShiftSeries },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await db.transaction((tx) => addShiftSeries(tx, req.body, clock.now()))),
  );
  r.patch(
    '/routing/shift-series/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a repeating duty shift: its coming occurrences are written anew',
        params: Id,
        body: UpdateDutyShiftSeriesBody,
        response: { 200: DutyShiftSeries },
      },
    },
    async (req) => db.transaction((tx) => updateShiftSeries(tx, req.params.id, req.body, clock.now())),
  );
  r.delete(
    '/routing/shift-series/:id',
    {
      config: manage,
      schema: { tags, summary: 'Stop a repeating duty shift (its coming occurrences go)', params: Id },
    },
    async (req, reply) => {
      await db.transaction((tx) => deleteShiftSeries(tx, req.params.id, clock.now()));
      return reply.status(204).send();
    },
  );
  r.get(
    '/routing/teams',
    {
      config: staff,
      schema: { tags, summary: "Each team's assignment strategy", response: { 200: z.record(z.string(), z.string()) } },
    },
    async () => teamStrategies(db),
  );
  r.put(
    '/routing/teams/:id',
    { config: manage, schema: { tags, summary: 'How the team hands out tickets', params: Id, body: TeamStrategyBody } },
    async (req, reply) => {
      await db.transaction((tx) => setTeamStrategy(tx, req.params.id, req.body.strategy, clock.now()));
      return reply.status(204).send();
    },
  );
  r.get(
    '/routing/rules',
    { config: staff, schema: { tags, summary: 'Routing rules in order', response: { 200: RoutingRuleList } } },
    async () => ({ items: await listRoutingRules(db) }),
  );
  r.post(
    '/routing/rules',
    {
      config: manage,
      schema: { tags, summary: 'Add a routing rule', body: RoutingRuleBody, response: { 201: RoutingRule } },
    },
    async (req, reply) =>
      reply.status(201).send(await db.transaction((tx) => saveRoutingRule(tx, null, req.body, clock.now()))),
  );
  r.put(
    '/routing/rules/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a routing rule',
        params: Id,
        body: RoutingRuleBody,
        response: { 200: RoutingRule },
      },
    },
    async (req) => db.transaction((tx) => saveRoutingRule(tx, req.params.id, req.body, clock.now())),
  );
  r.delete(
    '/routing/rules/:id',
    { config: manage, schema: { tags, summary: 'Delete a routing rule', params: Id } },
    async (req, reply) => {
      await db.transaction((tx) => deleteRoutingRule(tx, req.params.id));
      return reply.status(204).send();
    },
  );

  r.post(
    '/tickets/:id/transfer',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Hand the ticket on; you stay its follow-up owner',
        params: TicketIdParams,
        body: TransferBody,
        response: { 200: Ticket },
      },
    },
    async (req) => transferTicket(deps, requireActor(req), req.params.id, req.body),
  );
  r.post(
    '/tickets/:id/escalate',
    {
      config: staff,
      schema: {
        tags,
        summary: "Escalate to the team's lead",
        params: TicketIdParams,
        body: EscalateBody,
        response: { 200: Ticket },
      },
    },
    async (req) => escalateToLead(deps, requireActor(req), req.params.id, req.body.note),
  );
  r.get(
    '/routing/following-up',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Tickets I handed on and follow up',
        querystring: z.object({ state: z.enum(['open', 'closed']).optional() }),
        response: { 200: FollowupList },
      },
    },
    async (req) => ({ items: await myFollowups(db, requireActor(req), clock.now(), req.query.state ?? 'open') }),
  );
  r.post(
    '/routing/followups/:id/close',
    { config: staff, schema: { tags, summary: 'Close a follow-up', params: Id, body: CloseFollowupBody } },
    async (req, reply) => {
      await closeFollowup(deps, requireActor(req), req.params.id, req.body.contactedCustomer);
      return reply.status(204).send();
    },
  );
  r.get(
    '/routing/experts',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Find an expert by topic and language',
        querystring: ExpertsQuery,
        response: { 200: ExpertList },
      },
    },
    async (req) => ({
      items: await findExperts(db, req.query, clock.now()),
    }),
  );
  r.get(
    '/routing/reports/assignments',
    {
      config: { policy: 'reports:read' },
      schema: {
        tags,
        summary: 'Assignments per person per day',
        querystring: RoutingReportQuery,
        response: { 200: AssignmentReport },
      },
    },
    async (req) => assignmentReport(db, req.query.from, req.query.to),
  );
  r.get(
    '/routing/reports/transfers',
    {
      config: { policy: 'reports:read' },
      schema: {
        tags,
        summary: 'Transfers and follow-ups kept or missed per person',
        querystring: RoutingReportQuery,
        response: { 200: TransferReport },
      },
    },
    async (req) => transferReport(db, req.query.from, req.query.to),
  );
}
