import type { FastifyInstance } from 'fastify';
import { registerSurveyHook } from './create-survey-requests.ts';
import { surveyPublicRoutes } from './survey-public.routes.ts';
import { surveysRoutes } from './surveys.routes.ts';

registerSurveyHook();

/** Surveys (CSAT after solve, optional CES and periodic NPS): staff API under /api/v1. See docs/insights.md. */
export async function surveysModule(app: FastifyInstance): Promise<void> {
  await app.register(surveysRoutes);
}

/** The customer's side: signed one-click links at /survey/:token and the widget's /survey/v1 JSON API. */
export async function surveyPublicModule(app: FastifyInstance): Promise<void> {
  await app.register(surveyPublicRoutes);
}

export { signSurveyToken, surveySigningKey, verifySurveyToken } from './survey-token.ts';
export { getSurveySettings } from './surveys-settings.ts';
