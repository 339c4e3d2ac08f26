import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { widgets } from '../src/platform/db/schema/index.ts';
import { widgetSecretBox } from '../src/modules/widget/widget-secret-box.ts';
import type { TestApp } from './harness.ts';
import { openSocket, type TestSocket } from './realtime-helpers.ts';

export interface TestWidget {
  id: string;
  key: string;
  secret: string;
}

/** A widget row as the admin API would store it (identity secret sealed with the credentials box). */
export async function insertWidget(
  t: TestApp,
  opts: {
    teamId?: string | null;
    options?: Partial<{ kb: boolean; chat: boolean; message: boolean; callback: boolean }>;
    preChatFields?: unknown[];
  } = {},
): Promise<TestWidget> {
  const key = `wk_${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(24).toString('hex');
  const [row] = await t.deps.db
    .insert(widgets)
    .values({
      publicKey: key,
      name: 'Test widget',
      teamId: opts.teamId ?? null,
      greetings: { en: 'Hello!', bn: 'নমস্কার!', hi: 'नमस्ते!' },
      options: { kb: true, chat: true, message: true, callback: true, ...opts.options },
      preChatFields: (opts.preChatFields ?? []) as never,
      identitySecretEnc: widgetSecretBox(t.deps).seal(secret),
    })
    .returning({ id: widgets.id });
  if (!row) throw new Error('no widget');
  return { id: row.id, key, secret };
}

type Method = 'GET' | 'POST';

/** A request to /widget/v1 as a visitor (token in x-seva-visitor), from a distinct test IP unless given. */
export function visitorRequest(
  app: FastifyInstance,
  token: string | null,
  method: Method,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url: `/widget/v1${url}`,
    headers: { ...(token ? { 'x-seva-visitor': token } : {}), ...headers },
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}

export async function newVisitor(app: FastifyInstance, key: string, body: Record<string, unknown> = {}, ip?: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/widget/v1/visitors',
    headers: { 'x-forwarded-for': ip ?? `198.51.100.${Math.floor(Math.random() * 250) + 1}` },
    payload: { key, ...body },
  });
  if (res.statusCode !== 200) throw new Error(`visitor failed: ${res.statusCode} ${res.body}`);
  return res.json() as {
    visitorToken: string;
    visitorId: string;
    isVerified: boolean;
    name: string;
    email: string | null;
  };
}

export async function startChat(
  app: FastifyInstance,
  token: string,
  body = 'Hello, I need help with my order',
  extra: Record<string, unknown> = {},
) {
  const res = await visitorRequest(app, token, 'POST', '/conversations', {
    clientId: `c-${randomUUID()}`,
    body,
    ...extra,
  });
  if (res.statusCode !== 201) throw new Error(`start failed: ${res.statusCode} ${res.body}`);
  return res.json() as { conversation: { id: string; number: number; lastSeq: number }; message: { seq: number } };
}

export function visitorSocket(base: string, key: string, token: string): Promise<TestSocket> {
  return openSocket(`${base}/widget/v1/socket?key=${encodeURIComponent(key)}&token=${encodeURIComponent(token)}`);
}

export type Frame = Record<string, unknown> & { type: string };

/** The `message` frames of a socket for one conversation, as seqs in arrival order. */
export function seqsOf(received: Array<Record<string, unknown>>, conversationId: string): number[] {
  return received
    .filter((m) => m.type === 'message' && m.conversationId === conversationId)
    .map((m) => (m.message as { seq: number }).seq);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
