import { SURVEY_SCALES, SurveyAnswerBody, SurveyAnswerResult, SurveyKind, VISITOR_TOKEN_HEADER } from '@seva/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { applyHtmlSecurityHeaders } from '../web/index.ts';
import { answerSurvey, commentOnSurvey, findSurveyByToken, type SurveyRow } from './answer-survey.ts';
import { pendingSurveysForVisitor } from './pending-surveys.ts';
import { messagePage, questionPage, thanksPage } from './survey-page.ts';
import { customQuestion, getSurveySettings } from './surveys-settings.ts';

const TokenParams = z.object({ token: z.string().min(10).max(200) });
const LIMIT = { rateLimit: { max: 30, timeWindow: 60_000 } };

function html(reply: FastifyReply, status: number, body: string) {
  applyHtmlSecurityHeaders(reply);
  return reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/**
 * The customer's side of surveys, outside /api/v1 (the signed link is the credential): a one-click page per
 * rating for email links, and a small JSON API the widget uses.
 */
export async function surveyPublicRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16_384 },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  const find = async (token: string): Promise<SurveyRow | null> => {
    try {
      return await findSurveyByToken(deps, token);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  };
  // the question page, in the desk's own words for this language when it set them
  const askPage = async (survey: SurveyRow, token: string) => {
    const kind = survey.kind as SurveyKind;
    return questionPage(
      survey.language,
      kind,
      token,
      customQuestion(await getSurveySettings(deps.db), kind, survey.language),
    );
  };

  r.get(
    '/survey/:token',
    {
      config: LIMIT,
      schema: {
        hide: true,
        params: TokenParams,
        querystring: z.object({ rating: z.coerce.number().int().min(0).max(10).optional() }),
      },
    },
    async (req, reply) => {
      const survey = await find(req.params.token);
      if (!survey) return html(reply, 404, messagePage('en', 'notFound'));
      const lang = survey.language;
      const now = deps.clock.now();
      if (survey.status === 'pending' && survey.expiresAt <= now) return html(reply, 410, messagePage(lang, 'expired'));
      if (req.query.rating === undefined) {
        if (survey.status !== 'pending') return html(reply, 200, messagePage(lang, 'already'));
        return html(reply, 200, await askPage(survey, req.params.token));
      }
      if (survey.status !== 'pending') return html(reply, 409, messagePage(lang, 'already'));
      const { min, max } = SURVEY_SCALES[survey.kind as SurveyKind];
      if (req.query.rating < min || req.query.rating > max)
        return html(reply, 200, await askPage(survey, req.params.token));
      try {
        await answerSurvey(deps, { token: req.params.token, rating: req.query.rating });
      } catch (err) {
        if (err instanceof AppError && err.code === 'CONFLICT') return html(reply, 409, messagePage(lang, 'already'));
        throw err;
      }
      return html(reply, 200, thanksPage(lang, req.params.token, true));
    },
  );

  r.post(
    '/survey/:token/comment',
    { config: LIMIT, schema: { hide: true, params: TokenParams, body: z.object({ comment: z.string().max(4000) }) } },
    async (req, reply) => {
      const survey = await find(req.params.token);
      if (!survey) return html(reply, 404, messagePage('en', 'notFound'));
      try {
        await commentOnSurvey(deps, { token: req.params.token, comment: req.body.comment });
      } catch (err) {
        if (err instanceof AppError && (err.code === 'CONFLICT' || err.code === 'VALIDATION_FAILED'))
          return html(reply, 409, messagePage(survey.language, 'already'));
        throw err;
      }
      return html(reply, 200, messagePage(survey.language, 'commentThanks'));
    },
  );

  r.get(
    '/survey/v1/surveys/:token',
    {
      config: LIMIT,
      schema: {
        params: TokenParams,
        response: {
          200: z.object({
            kind: SurveyKind,
            language: z.string(),
            status: z.string(),
            min: z.number(),
            max: z.number(),
          }),
        },
      },
    },
    async (req) => {
      const s = await findSurveyByToken(deps, req.params.token);
      const status = s.status === 'pending' && s.expiresAt <= deps.clock.now() ? 'expired' : s.status;
      return { kind: s.kind as SurveyKind, language: s.language, status, ...SURVEY_SCALES[s.kind as SurveyKind] };
    },
  );

  // the help widget: surveys waiting for the visitor's own customer record (the visitor token is the credential)
  r.get(
    '/survey/v1/pending',
    {
      config: LIMIT,
      schema: {
        headers: z.object({ [VISITOR_TOKEN_HEADER]: z.string().min(1).max(200) }).passthrough(),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                token: z.string(),
                kind: SurveyKind,
                language: z.string(),
                min: z.number(),
                max: z.number(),
                ticketNumber: z.number().nullable(),
                ticketSubject: z.string().nullable(),
                question: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { items: await pendingSurveysForVisitor(deps, String(req.headers[VISITOR_TOKEN_HEADER])) };
    },
  );

  r.post(
    '/survey/v1/answers',
    { config: LIMIT, schema: { body: SurveyAnswerBody, response: { 200: SurveyAnswerResult } } },
    async (req) => answerSurvey(deps, req.body),
  );
}
