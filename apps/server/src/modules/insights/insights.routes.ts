import {
  CostReport,
  CreateInsightsShiftBody,
  CustomersAtRisk,
  CustomersAtRiskQuery,
  Heatmap,
  HeatmapQuery,
  HotButtons,
  HotButtonsQuery,
  InsightsAlertList,
  InsightsDashboard,
  InsightsDrilldown,
  InsightsDrilldownQuery,
  InsightsExportQuery,
  InsightsFilterQuery,
  InsightsSettings,
  InsightsShift,
  InsightsShiftList,
  InsightsSla,
  InsightsSlaQuery,
  RebuildInsightsResult,
  StaffingPlan,
  StaffingQuery,
  UpdateInsightsSettingsBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { recordEvent } from '../../platform/events.ts';
import { dashboard } from './dashboard.service.ts';
import { drilldown } from './drilldown.service.ts';
import { exportCsv } from './export.service.ts';
import { hotButtons, listAlerts } from './hot-buttons.service.ts';
import { getInsightsSettings, updateInsightsSettings } from './insights-settings.ts';
import { createShift, deleteShift, listShifts } from './insights-shifts.service.ts';
import { slaAchievement } from './insights-sla.ts';
import { rebuildInsights, vacuumRebuiltTables } from './maintain-ticket-facts.ts';
import { costReport, heatmap, staffingPlan } from './operations.service.ts';
import { recordHandleTime } from './record-handle-time.ts';
import { customersAtRisk, refreshRiskSnapshots } from './risk-snapshots.ts';

export async function insightsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['insights'];

  r.get(
    '/insights/dashboard',
    {
      config: { policy: 'reports:read' },
      schema: { tags, querystring: InsightsFilterQuery, response: { 200: InsightsDashboard } },
    },
    async (req) => dashboard(deps, req.query),
  );

  r.get(
    '/insights/sla',
    {
      config: { policy: 'reports:read' },
      schema: { tags, querystring: InsightsSlaQuery, response: { 200: InsightsSla } },
    },
    async (req) => slaAchievement(deps, req.query),
  );

  r.get(
    '/insights/drilldown',
    {
      config: { policy: 'reports:read' },
      schema: { tags, querystring: InsightsDrilldownQuery, response: { 200: InsightsDrilldown } },
    },
    async (req) => drilldown(deps, req.query),
  );

  r.get(
    '/insights/export',
    { config: { policy: 'reports:read' }, schema: { tags, querystring: InsightsExportQuery } },
    async (req, reply) => {
      const csv = await exportCsv(deps, req.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="seva-${req.query.report}.csv"`)
        .send(csv);
    },
  );

  r.get(
    '/insights/hot-buttons',
    {
      config: { policy: 'reports:read' },
      schema: { tags, querystring: HotButtonsQuery, response: { 200: HotButtons } },
    },
    async (req) => hotButtons(deps, req.query),
  );

  r.get(
    '/insights/alerts',
    {
      config: { policy: 'reports:read' },
      schema: {
        tags,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
        response: { 200: InsightsAlertList },
      },
    },
    async (req) => listAlerts(deps, req.query),
  );

  r.get(
    '/insights/heatmap',
    { config: { policy: 'reports:read' }, schema: { tags, querystring: HeatmapQuery, response: { 200: Heatmap } } },
    async (req) => heatmap(deps, req.query),
  );

  r.get(
    '/insights/staffing',
    {
      config: { policy: 'reports:read' },
      schema: { tags, querystring: StaffingQuery, response: { 200: StaffingPlan } },
    },
    async (req) => staffingPlan(deps, req.query),
  );

  r.get(
    '/insights/cost',
    {
      config: { policy: 'reports:read' },
      schema: { tags, querystring: InsightsFilterQuery.pick({ from: true, to: true }), response: { 200: CostReport } },
    },
    async (req) => costReport(deps, req.query),
  );

  r.get(
    '/insights/shifts',
    { config: { policy: 'reports:read' }, schema: { tags, response: { 200: InsightsShiftList } } },
    async () => listShifts(deps),
  );

  r.post(
    '/insights/shifts',
    {
      config: { policy: 'teams:manage' },
      schema: { tags, body: CreateInsightsShiftBody, response: { 201: InsightsShift } },
    },
    async (req, reply) => reply.status(201).send(await createShift(deps, { actor: requireActor(req), body: req.body })),
  );

  r.delete(
    '/insights/shifts/:id',
    { config: { policy: 'teams:manage' }, schema: { tags, params: z.object({ id: z.uuid() }) } },
    async (req, reply) => {
      await deleteShift(deps, { actor: requireActor(req), id: req.params.id });
      return reply.status(204).send();
    },
  );

  r.get(
    '/insights/settings',
    { config: { policy: 'reports:read' }, schema: { tags, response: { 200: InsightsSettings } } },
    async () => getInsightsSettings(deps.db),
  );

  r.patch(
    '/insights/settings',
    {
      config: { policy: 'settings:manage' },
      schema: { tags, body: UpdateInsightsSettingsBody, response: { 200: InsightsSettings } },
    },
    async (req) =>
      deps.db.transaction((tx) =>
        updateInsightsSettings(tx, { actor: requireActor(req), body: req.body, now: deps.clock.now() }),
      ),
  );

  r.post(
    '/insights/rebuild',
    { config: { policy: 'settings:manage' }, schema: { tags, response: { 200: RebuildInsightsResult } } },
    async (req) => {
      const out = await deps.db.transaction(async (tx) => {
        const rebuilt = await rebuildInsights(tx);
        await recordEvent(tx, {
          type: 'insights.rebuilt',
          actor: requireActor(req),
          payload: rebuilt,
          at: deps.clock.now(),
        });
        return rebuilt;
      });
      await vacuumRebuiltTables(deps.db, req.log);
      // the customers-at-risk snapshots went with the old facts: the page would compute them on every view until
      // the worker's next run
      await refreshRiskSnapshots(deps);
      return out;
    },
  );

  r.put(
    '/insights/messages/:messageId/handle-time',
    {
      config: { policy: 'tickets:reply' },
      schema: {
        tags,
        params: z.object({ messageId: z.uuid() }),
        body: z.object({ seconds: z.number().int().min(0).max(86_400) }).strict(),
        response: { 200: z.object({ messageId: z.uuid(), handleSeconds: z.number() }) },
      },
    },
    async (req) =>
      recordHandleTime(deps, { actor: requireActor(req), messageId: req.params.messageId, seconds: req.body.seconds }),
  );

  r.get(
    '/insights/customers-at-risk',
    {
      config: { policy: 'reports:read' },
      schema: { tags, querystring: CustomersAtRiskQuery, response: { 200: CustomersAtRisk } },
    },
    async (req) => customersAtRisk(deps, req.query),
  );
}
