import { ApiChannelInboundMessage, ApiChannelReceipt } from '@seva/contracts';
import { AppError } from '../../../platform/errors.ts';
import { type ChannelAdapter, callProvider, header, type InboundEvent, safeJson } from './adapter.ts';
import { sevaSignature, verifySevaSignature } from './signatures.ts';

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('BAD_REQUEST', 'The body must be JSON');
  }
}

function invalid(issues: Array<{ path: PropertyKey[]; message: string }>): AppError {
  return new AppError('VALIDATION_FAILED', 'Some fields are not valid', {
    errors: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
}

/**
 * The generic API channel: any app or bot. Inbound `POST /hooks/channels/:id/messages` (ApiChannelInboundMessage)
 * and `POST /hooks/channels/:id/receipts` (ApiChannelReceipt), both signed with the channel secret; outbound a
 * signed POST of ApiChannelOutboundMessage to the callback URL.
 */
export const apiAdapter: ChannelAdapter = {
  kind: 'api',
  verify(req, _channel, creds, nowMs) {
    if (!creds.secret) return false;
    return verifySevaSignature(creds.secret, header(req.headers, 'x-seva-timestamp'), header(req.headers, 'x-seva-signature'), req.rawBody, nowMs);
  },
  parse(req) {
    const body = parseJson(req.rawBody);
    if (body && typeof body === 'object' && 'status' in body && !('user' in body)) {
      const r = ApiChannelReceipt.safeParse(body);
      if (!r.success) throw invalid(r.error.issues);
      return [{ type: 'receipt', providerMessageId: r.data.messageId, status: r.data.status, error: r.data.error }];
    }
    const m = ApiChannelInboundMessage.safeParse(body);
    if (!m.success) throw invalid(m.error.issues);
    const media = (m.data.attachments ?? []).map((a) => {
      const data = Buffer.from(a.data, 'base64');
      const kind = a.contentType.startsWith('image/') ? 'image' : a.contentType.startsWith('audio/') ? 'audio' : a.contentType.startsWith('video/') ? 'video' : 'document';
      return { kind, contentType: a.contentType, filename: a.filename, data } as const;
    });
    const event: InboundEvent = {
      type: 'message',
      externalMessageId: m.data.messageId,
      contact: {
        externalId: m.data.user.id,
        name: m.data.user.name,
        email: m.data.user.email,
        phone: m.data.user.phone,
        verified: m.data.user.verified === true,
        locale: m.data.user.locale,
      },
      text: m.data.text ?? '',
      media: [...media],
      subject: m.data.subject,
    };
    return [event];
  },
  async send(input) {
    const url = input.channel.callbackUrl;
    if (!url) return { ok: false, permanent: true, error: 'the channel has no callback URL', channelError: true };
    if (!input.creds.secret) return { ok: false, permanent: true, error: 'the channel has no signing secret', channelError: true };
    const body = JSON.stringify({ type: 'message', ...input.payload, text: input.text });
    const ts = String(Math.floor(input.now.getTime() / 1000));
    const result = await callProvider(
      url,
      {
        ...input.net,
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Seva-Channels/1',
          'x-seva-timestamp': ts,
          'x-seva-signature': sevaSignature(input.creds.secret, ts, body),
          'x-seva-delivery-id': input.deliveryId,
          'idempotency-key': input.deliveryId,
        },
      },
      (res) => res.text().slice(0, 300),
    );
    if (!result.ok) return result;
    // the app may answer { status: 'delivered', id } at once; otherwise it reports later through /receipts
    const answer = safeJson(result.res);
    const status = answer.status === 'delivered' ? 'delivered' : 'sent';
    return { ok: true, providerMessageId: typeof answer.id === 'string' ? answer.id.slice(0, 200) : null, status };
  },
};
