import {
  SurveyFollowup,
  SurveyFollowupList,
  SurveyResults,
  SurveyResultsQuery,
  SurveySettings,
  UpdateSurveyFollowupBody,
  UpdateSurveySettingsBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { listFollowups, surveyLink, updateFollowup } from './survey-followups.service.ts';
import { surveyResults } from './survey-results.ts';
import { getSurveySettings, updateSurveySettings } from './surveys-settings.ts';

export async function surveysRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['surveys'];

  r.get(
    '/surveys/results',
    {
      config: { policy: 'reports:read' },
      schema: { tags, querystring: SurveyResultsQuery, response: { 200: SurveyResults } },
    },
    async (req) => surveyResults(deps, req.query),
  );

  r.get(
    '/surveys/followups',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        querystring: z.object({ status: z.enum(['open', 'done']).optional() }),
        response: { 200: SurveyFollowupList },
      },
    },
    async (req) => listFollowups(deps, { actor: requireActor(req), status: req.query.status }),
  );

  r.patch(
    '/surveys/followups/:id',
    {
      config: { policy: 'tickets:update' },
      schema: {
        tags,
        params: z.object({ id: z.uuid() }),
        body: UpdateSurveyFollowupBody,
        response: { 200: SurveyFollowup },
      },
    },
    async (req) => updateFollowup(deps, { actor: requireActor(req), id: req.params.id, body: req.body }),
  );

  r.get(
    '/surveys/:id/link',
    {
      config: { policy: 'reports:read' },
      schema: { tags, params: z.object({ id: z.uuid() }), response: { 200: z.object({ url: z.string() }) } },
    },
    async (req) => surveyLink(deps, { actor: requireActor(req), id: req.params.id }),
  );

  r.get(
    '/surveys/settings',
    { config: { policy: 'reports:read' }, schema: { tags, response: { 200: SurveySettings } } },
    async () => getSurveySettings(deps.db),
  );

  r.patch(
    '/surveys/settings',
    {
      config: { policy: 'settings:manage' },
      schema: { tags, body: UpdateSurveySettingsBody, response: { 200: SurveySettings } },
    },
    async (req) =>
      deps.db.transaction((tx) =>
        updateSurveySettings(tx, { actor: requireActor(req), body: req.body, now: deps.clock.now() }),
      ),
  );
}
