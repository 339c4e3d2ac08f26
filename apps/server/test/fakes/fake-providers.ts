import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { whatsappPayloadProblem } from './graph-payload-limits.ts';
import { fixture } from './provider-fixtures.ts';

/**
 * One loopback HTTP server that plays the providers' APIs as their public documentation describes them:
 * Twilio's Messages resource (basic auth, form body, JSON errors with Twilio codes), the Graph API for WhatsApp
 * Cloud (bearer token, the 24-hour customer-service window enforced with error 131047, media download in two
 * steps) and for Messenger/Instagram (Send API), the Telegram Bot API (token in the path, `{ ok, result }`
 * envelopes, getFile + file download), and an app's callback URL for the API channel (checks Seva's signature).
 * Response bodies come from test/fixtures/channels (provider-fixtures.ts) so a reader can compare them with the
 * documentation; the webhooks' signatures are in provider-fixtures.ts too, polling in until.ts.
 */

export { fixture, metaSign, sevaSign, twilioSign } from './provider-fixtures.ts';
export { until } from './until.ts';

export interface SentRequest {
  provider: 'twilio' | 'whatsapp' | 'meta' | 'telegram' | 'callback';
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json?: Record<string, unknown>;
  form?: Record<string, string>;
  /** Twilio: every MediaUrl parameter (it may repeat) */
  mediaUrls?: string[];
}

export interface FakeProviders {
  port: number;
  baseUrl: string;
  sent: SentRequest[];
  /** the next n calls to a send endpoint answer 500 (a transient provider failure) */
  failNext(n: number): void;
  /**
   * From now on the fake records each request at once but keeps its answer until the returned function is called
   * (a provider that is slow to answer): a test can look at what happens while a send is in flight.
   */
  holdResponses(): () => void;
  /** WhatsApp: when `waId` last wrote to the business (opens the 24-hour window in the fake, as on the platform) */
  customerWrote(waId: string, at: Date): void;
  /** a media file the fake serves (WhatsApp media id, Telegram file id, Twilio/Messenger URL path) */
  addMedia(id: string, data: Buffer, contentType: string): string;
  mediaFetches: string[];
  /** Messenger/Instagram User Profile API: the profile the fake answers for a PSID / IGSID */
  addProfile(
    id: string,
    profile:
      | { kind: 'messenger'; firstName: string; lastName: string }
      | { kind: 'instagram'; name: string; username: string },
  ): void;
  /** the next n profile lookups answer 500 */
  failProfilesNext(n: number): void;
  /** every profile lookup: the id and the `fields` asked for */
  profileFetches: Array<{ id: string; fields: string }>;
  /** credentials the fake accepts */
  creds: { accountSid: string; authToken: string; accessToken: string; botToken: string; callbackSecret: string };
  waitForSent(n: number, timeoutMs?: number): Promise<SentRequest[]>;
  close(): Promise<void>;
}

export async function startFakeProviders(opts: { now: () => Date }): Promise<FakeProviders> {
  const sent: SentRequest[] = [];
  const mediaFetches: string[] = [];
  const windows = new Map<string, Date>();
  const media = new Map<string, { data: Buffer; contentType: string }>();
  const profiles = new Map<string, Parameters<FakeProviders['addProfile']>[1]>();
  const profileFetches: FakeProviders['profileFetches'] = [];
  let profileFailures = 0;
  let failures = 0;
  let held: Array<() => void> | null = null;
  const creds = {
    accountSid: `AC${randomBytes(16).toString('hex')}`,
    authToken: randomBytes(16).toString('hex'),
    accessToken: `EAAG${randomBytes(24).toString('hex')}`,
    botToken: `7000000001:${randomBytes(18).toString('base64url')}`,
    callbackSecret: '',
  };
  let seq = 0;
  const nextId = (prefix: string) => `${prefix}${(++seq).toString().padStart(6, '0')}${randomBytes(6).toString('hex')}`;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://fake');
      const send = (status: number, payload: string, type = 'application/json') => {
        const answer = () => res.writeHead(status, { 'content-type': type }).end(payload);
        if (held) held.push(answer);
        else answer();
      };
      const json = (): Record<string, unknown> => {
        try {
          return JSON.parse(body) as Record<string, unknown>;
        } catch {
          return {};
        }
      };
      const transientFailure = () => {
        if (failures > 0) {
          failures -= 1;
          send(
            500,
            JSON.stringify({
              error: { message: 'An unexpected error has occurred. Please retry your request later.', code: 2 },
            }),
          );
          return true;
        }
        return false;
      };
      const p = url.pathname;

      // ---- media downloads (all providers) ----
      const mediaMatch = /^\/media\/([\w.-]+)$/.exec(p);
      if (req.method === 'GET' && mediaMatch) {
        const m = media.get(mediaMatch[1] ?? '');
        mediaFetches.push(p);
        if (!m) return send(404, '{}');
        return res.writeHead(200, { 'content-type': m.contentType, 'content-length': m.data.length }).end(m.data);
      }

      // ---- Twilio ----
      const tw = /^\/2010-04-01\/Accounts\/(\w+)\/Messages\.json$/.exec(p);
      if (tw && req.method === 'POST') {
        const auth = req.headers.authorization ?? '';
        const expected = `Basic ${Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString('base64')}`;
        if (auth !== expected || tw[1] !== creds.accountSid) {
          return send(
            401,
            JSON.stringify({
              code: 20003,
              message: 'Authenticate',
              more_info: 'https://www.twilio.com/docs/errors/20003',
              status: 401,
            }),
          );
        }
        const params = new URLSearchParams(body);
        const form = Object.fromEntries(params);
        sent.push({
          provider: 'twilio',
          path: p,
          headers: req.headers,
          body,
          form,
          mediaUrls: params.getAll('MediaUrl'),
        });
        if (transientFailure()) return;
        if (!/^\+[1-9]\d{6,14}$/.test(form.To ?? ''))
          return send(400, fixture('twilio-error-21211.json', { TO: form.To ?? '' }));
        return send(
          201,
          fixture('twilio-send-response.json', {
            ACCOUNT_SID: creds.accountSid,
            BODY: form.Body ?? '',
            FROM: form.From ?? '',
            TO: form.To ?? '',
            SID: nextId('SM'),
          }),
        );
      }

      // ---- Graph API (WhatsApp Cloud, Messenger, Instagram) ----
      const graph = /^\/v\d+\.\d+\/([\w.-]+)(\/messages)?$/.exec(p);
      if (graph) {
        if (req.headers.authorization !== `Bearer ${creds.accessToken}`) {
          return send(
            401,
            JSON.stringify({
              error: {
                message: 'Invalid OAuth access token - Cannot parse access token',
                type: 'OAuthException',
                code: 190,
                fbtrace_id: 'Afake',
              },
            }),
          );
        }
        if (req.method === 'GET' && !graph[2] && url.searchParams.has('fields')) {
          // User Profile API (Messenger PSID / Instagram IGSID): only the fields asked for, as the Graph API answers
          const id = graph[1] ?? '';
          const fields = url.searchParams.get('fields') ?? '';
          profileFetches.push({ id, fields });
          if (profileFailures > 0) {
            profileFailures -= 1;
            return send(
              500,
              JSON.stringify({
                error: { message: 'An unexpected error has occurred. Please retry your request later.', code: 2 },
              }),
            );
          }
          const profile = profiles.get(id);
          if (!profile)
            return send(
              400,
              JSON.stringify({
                error: {
                  message: `Unsupported get request. Object with ID '${id}' does not exist`,
                  type: 'GraphMethodException',
                  code: 100,
                  error_subcode: 33,
                },
              }),
            );
          const full = JSON.parse(
            profile.kind === 'messenger'
              ? fixture('messenger-user-profile.json', {
                  FIRST_NAME: profile.firstName,
                  LAST_NAME: profile.lastName,
                  PSID: id,
                })
              : fixture('instagram-user-profile.json', { NAME: profile.name, USERNAME: profile.username, IGSID: id }),
          ) as Record<string, unknown>;
          const unknown = fields.split(',').filter((f) => f && !(f in full));
          if (unknown.length > 0)
            return send(
              400,
              JSON.stringify({
                error: {
                  message: `(#100) Tried accessing nonexisting field (${unknown[0]})`,
                  type: 'OAuthException',
                  code: 100,
                },
              }),
            );
          return send(
            200,
            JSON.stringify(
              Object.fromEntries(Object.entries(full).filter(([k]) => k === 'id' || fields.split(',').includes(k))),
            ),
          );
        }
        if (req.method === 'GET' && !graph[2]) {
          const id = graph[1] ?? '';
          const m = media.get(id);
          if (!m)
            return send(
              404,
              JSON.stringify({
                error: { message: 'Unsupported get request.', type: 'GraphMethodException', code: 100 },
              }),
            );
          const addr = server.address() as AddressInfo;
          return send(
            200,
            fixture('whatsapp-media-info.json', {
              URL: `http://127.0.0.1:${addr.port}/media/${id}`,
              SHA256: 'x',
              SIZE: m.data.length,
              MEDIA_ID: id,
            }),
          );
        }
        if (req.method === 'POST' && graph[2]) {
          const b = json();
          if (b.messaging_product === 'whatsapp') {
            sent.push({ provider: 'whatsapp', path: p, headers: req.headers, body, json: b });
            if (transientFailure()) return;
            const to = String(b.to ?? '');
            const last = windows.get(to);
            const open = last !== undefined && opts.now().getTime() - last.getTime() < 24 * 3600_000;
            if (b.type !== 'template' && !open) return send(400, fixture('whatsapp-error-131047.json'));
            const invalid = whatsappPayloadProblem(b);
            if (invalid) return send(400, fixture('whatsapp-error-131009.json', { DETAILS: invalid }));
            return send(200, fixture('whatsapp-send-response.json', { TO: to, WAMID: `wamid.${nextId('HBg')}` }));
          }
          sent.push({ provider: 'meta', path: p, headers: req.headers, body, json: b });
          if (transientFailure()) return;
          const recipient = String((b.recipient as { id?: string } | undefined)?.id ?? '');
          return send(200, fixture('meta-send-response.json', { RECIPIENT: recipient, MID: `m_${nextId('')}` }));
        }
      }

      // ---- Telegram Bot API ----
      const tg = /^\/(file\/)?bot([^/]+)\/(.+)$/.exec(p);
      if (tg) {
        if (tg[2] !== creds.botToken)
          return send(401, JSON.stringify({ ok: false, error_code: 401, description: 'Unauthorized' }));
        if (tg[1]) {
          const m = media.get(tg[3] ?? '');
          mediaFetches.push(p);
          if (!m) return send(404, JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
          return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(m.data);
        }
        const b = json();
        if (tg[3] === 'getFile') {
          const id = String(b.file_id ?? '');
          if (!media.has(`photos/${id}.jpg`))
            return send(
              400,
              JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: invalid file_id' }),
            );
          return send(
            200,
            JSON.stringify({
              ok: true,
              result: { file_id: id, file_unique_id: 'AQAD', file_size: 10, file_path: `photos/${id}.jpg` },
            }),
          );
        }
        if (tg[3] === 'sendPhoto' || tg[3] === 'sendDocument') {
          sent.push({ provider: 'telegram', path: p, headers: req.headers, body, json: b });
          return send(
            200,
            JSON.stringify({
              ok: true,
              result: { message_id: ++seq, chat: { id: Number(b.chat_id), type: 'private' }, date: 1 },
            }),
          );
        }
        if (tg[3] === 'sendMessage') {
          sent.push({ provider: 'telegram', path: p, headers: req.headers, body, json: b });
          if (transientFailure()) return;
          if (String(b.chat_id) === '403') return send(403, fixture('telegram-error-403.json'));
          return send(
            200,
            fixture('telegram-send-response.json', {
              MESSAGE_ID: ++seq,
              CHAT_ID: Number(b.chat_id),
              DATE: Math.floor(opts.now().getTime() / 1000),
              BODY: String(b.text ?? ''),
            }),
          );
        }
        return send(404, JSON.stringify({ ok: false, error_code: 404, description: 'Not Found: method not found' }));
      }

      // ---- an app's callback URL (API channel) ----
      if (p === '/callback' && req.method === 'POST') {
        const ts = String(req.headers['x-seva-timestamp'] ?? '');
        const sig = Buffer.from(String(req.headers['x-seva-signature'] ?? ''));
        const expected = Buffer.from(
          `sha256=${createHmac('sha256', creds.callbackSecret).update(`${ts}.`).update(body).digest('hex')}`,
        );
        if (sig.length !== expected.length || !timingSafeEqual(sig, expected))
          return send(401, JSON.stringify({ error: 'bad signature' }));
        sent.push({ provider: 'callback', path: p, headers: req.headers, body, json: json() });
        if (transientFailure()) return;
        return send(200, JSON.stringify({ id: `app-${nextId('')}` }));
      }
      send(404, JSON.stringify({ error: 'not found' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    sent,
    mediaFetches,
    profileFetches,
    creds,
    addProfile(id, profile) {
      profiles.set(id, profile);
    },
    failProfilesNext(n) {
      profileFailures = n;
    },
    failNext(n) {
      failures = n;
    },
    holdResponses() {
      const answers: Array<() => void> = [];
      held = answers;
      return () => {
        if (held === answers) held = null;
        for (const answer of answers.splice(0)) answer();
      };
    },
    customerWrote(waId, at) {
      windows.set(waId.replace(/^\+/, ''), at);
    },
    addMedia(id, data, contentType) {
      media.set(id, { data, contentType });
      return `http://127.0.0.1:${port}/media/${id}`;
    },
    async waitForSent(n, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (sent.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} requests at the fake provider, saw ${sent.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return sent;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
