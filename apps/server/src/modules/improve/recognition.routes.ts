import {
  CustomerThanks,
  Leaderboard,
  LeaderboardQuery,
  MonthlyAwards,
  MonthlyAwardsQuery,
  RecognitionSettings,
  UpdateRecognitionSettingsBody,
  WeeklyDigest,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import {
  customerThanks,
  getRecognitionSettings,
  leaderboard,
  monthlyAwards,
  updateRecognitionSettings,
  weeklyDigest,
} from './recognition.service.ts';

export async function recognitionRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['recognition'];

  r.get(
    '/recognition/settings',
    { config: { policy: 'staff:read' }, schema: { tags, response: { 200: RecognitionSettings } } },
    async () => getRecognitionSettings(deps.db),
  );
  r.put(
    '/recognition/settings',
    { config: { policy: 'settings:manage' }, schema: { tags, body: UpdateRecognitionSettingsBody, response: { 200: RecognitionSettings } } },
    async (req) => updateRecognitionSettings(deps, { actor: requireActor(req), body: req.body }),
  );
  r.get(
    '/recognition/leaderboard',
    { config: { policy: 'staff:read' }, schema: { tags, querystring: LeaderboardQuery, response: { 200: Leaderboard } } },
    async (req) => leaderboard(deps, { actor: requireActor(req), period: req.query.period, teamId: req.query.teamId }),
  );
  r.get(
    '/recognition/awards',
    { config: { policy: 'staff:read' }, schema: { tags, querystring: MonthlyAwardsQuery, response: { 200: MonthlyAwards } } },
    async (req) => monthlyAwards(deps, req.query.month),
  );
  r.get(
    '/recognition/thanks',
    {
      config: { policy: 'staff:read' },
      schema: { tags, querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }), response: { 200: CustomerThanks } },
    },
    async (req) => customerThanks(deps, req.query.limit),
  );
  r.get(
    '/recognition/digest',
    { config: { policy: 'staff:read' }, schema: { tags, response: { 200: WeeklyDigest } } },
    async (req) => weeklyDigest(deps, requireActor(req)),
  );
}
