import { normalisePhone } from '../../customers/identity-values.ts';
import { type ChannelAdapter, callProvider, filenameFor, header, type InboundEvent, type InboundMedia, safeJson } from './adapter.ts';
import { safeEqual, twilioSignature } from './signatures.ts';

export const TWILIO_API = 'https://api.twilio.com';

const STATUS: Record<string, 'sent' | 'delivered' | 'read' | 'failed' | undefined> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
};

/**
 * Twilio-compatible SMS/MMS. Inbound: form-encoded webhook (MessageSid, From, To, Body, NumMedia, MediaUrlN,
 * MediaContentTypeN) signed with X-Twilio-Signature; status callbacks (MessageSid, MessageStatus, ErrorCode) on the
 * same URL. Outbound: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with basic auth.
 */
export const twilioAdapter: ChannelAdapter = {
  kind: 'sms',
  verify(req, channel, creds) {
    const sig = header(req.headers, 'x-twilio-signature');
    if (!sig || !creds.authToken || !req.form) return false;
    // Twilio signs the URL it called: the configured public webhook URL, or the same origin with this request's path
    // (status callbacks arrive on /status), or — without a configured URL — the URL as this server saw it
    const seen = new URL(req.url);
    const candidates = new Set([req.url]);
    if (channel.settings.webhookUrl) {
      candidates.add(channel.settings.webhookUrl);
      candidates.add(new URL(`${seen.pathname}${seen.search}`, channel.settings.webhookUrl).toString());
    }
    const form = req.form;
    const authToken = creds.authToken;
    return [...candidates].some((url) => safeEqual(twilioSignature(authToken, url, form), sig));
  },
  parse(req, channel) {
    const f = req.form ?? {};
    if (channel.settings.accountSid && f.AccountSid && f.AccountSid !== channel.settings.accountSid) return [];
    const sid = f.MessageSid ?? f.SmsSid;
    if (!sid) return [];
    if (f.MessageStatus && f.Body === undefined) {
      const status = STATUS[f.MessageStatus];
      if (!status) return [];
      const error = f.ErrorCode ? `Twilio error ${f.ErrorCode}${f.ErrorMessage ? `: ${f.ErrorMessage}` : ''}` : undefined;
      return [{ type: 'receipt', providerMessageId: sid, status, error }];
    }
    const from = f.From ?? '';
    const phone = normalisePhone(from) ?? from;
    const media: InboundMedia[] = [];
    const n = Math.min(Number(f.NumMedia ?? '0') || 0, 10);
    for (let i = 0; i < n; i += 1) {
      const url = f[`MediaUrl${i}`];
      const ct = f[`MediaContentType${i}`] ?? 'application/octet-stream';
      if (!url) continue;
      media.push({ kind: ct.startsWith('image/') ? 'image' : ct.startsWith('audio/') ? 'audio' : ct.startsWith('video/') ? 'video' : 'document', contentType: ct, url });
    }
    const event: InboundEvent = {
      type: 'message',
      externalMessageId: sid,
      contact: { externalId: phone, phone, verified: true },
      text: f.Body ?? '',
      media,
      provider: { to: f.To, numSegments: f.NumSegments, fromCountry: f.FromCountry },
    };
    return [event];
  },
  async send(input) {
    const { accountSid, phoneNumber } = input.channel.settings;
    if (!accountSid || !phoneNumber || !input.creds.authToken) {
      return { ok: false, permanent: true, error: 'Account SID, phone number and auth token are required', channelError: true };
    }
    const base = input.channel.settings.apiBaseUrl ?? TWILIO_API;
    const form = new URLSearchParams({ To: input.recipient, From: phoneNumber, Body: input.text });
    if (input.statusCallbackUrl) form.set('StatusCallback', input.statusCallbackUrl);
    // MMS: Twilio fetches each MediaUrl itself (up to 10)
    for (const m of input.media.slice(0, 10)) form.append('MediaUrl', m.url);
    const result = await callProvider(
      `${base.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`,
      {
        ...input.net,
        method: 'POST',
        body: form.toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${accountSid}:${input.creds.authToken}`).toString('base64')}`,
        },
      },
      (res) => {
        const j = safeJson(res);
        return `${String(j.code ?? '')} ${String(j.message ?? res.text().slice(0, 200))}`.trim();
      },
    );
    if (!result.ok) return result;
    const j = safeJson(result.res);
    return { ok: true, providerMessageId: typeof j.sid === 'string' ? j.sid : null, status: 'sent' };
  },
  async fetchMedia(media, ctx) {
    const { accountSid } = ctx.channel.settings;
    const headers: Record<string, string> = {};
    // Twilio media URLs accept (and, with HTTP auth enabled, require) the account's basic auth
    if (accountSid && ctx.creds.authToken) headers.authorization = `Basic ${Buffer.from(`${accountSid}:${ctx.creds.authToken}`).toString('base64')}`;
    const r = await callProvider(media.url ?? '', { ...ctx.net, headers, maxResponseBytes: ctx.maxBytes }, (res) => res.text().slice(0, 200));
    if (!r.ok) throw new Error(r.error);
    const ct = media.contentType ?? r.res.headers['content-type'] ?? 'application/octet-stream';
    return { data: r.res.body, contentType: ct, filename: filenameFor(media, ct, 'media') };
  },
};
