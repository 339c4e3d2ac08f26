import { normalisePhone } from '../../customers/identity-values.ts';
import {
  type ChannelAdapter,
  callProvider,
  filenameFor,
  type InboundEvent,
  type InboundMedia,
  safeJson,
} from './adapter.ts';
import {
  asArray,
  graphBase,
  graphError,
  HOUR_MS,
  obj,
  parseJsonObject,
  str,
  verifyMetaSignature,
} from './meta-common.ts';
import { buildInteractive, buildTemplate } from './whatsapp-template.ts';

/** The Cloud API media type for an attachment: what WhatsApp plays inline, otherwise a document. */
export function whatsappMediaType(contentType: string): 'image' | 'audio' | 'video' | 'document' {
  if (/^image\/(jpeg|png)$/.test(contentType)) return 'image';
  if (/^audio\/(aac|amr|mpeg|mp4|ogg)/.test(contentType)) return 'audio';
  if (/^video\/(mp4|3gpp)$/.test(contentType)) return 'video';
  return 'document';
}

/** WhatsApp's customer-service window: free-form messages only within 24 hours of the customer's last message. */
export const WHATSAPP_WINDOW_MS = 24 * HOUR_MS;

const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;

/**
 * WhatsApp Business Cloud API. Inbound: `whatsapp_business_account` webhooks (entry[].changes[].value.messages /
 * statuses) signed with X-Hub-Signature-256. Outbound: POST /{phone-number-id}/messages with a bearer token; a
 * text message inside the 24-hour window, the configured template outside it.
 */
export const whatsappAdapter: ChannelAdapter = {
  kind: 'whatsapp',
  verify: (req, _ch, creds) => verifyMetaSignature(req, creds),
  parse(req, channel) {
    const body = parseJsonObject(req.rawBody);
    if (body.object !== 'whatsapp_business_account') return [];
    const out: InboundEvent[] = [];
    for (const entry of asArray(body.entry)) {
      for (const change of asArray(entry.changes)) {
        if (change.field !== 'messages') continue;
        const value = obj(change.value);
        const meta = obj(value.metadata);
        if (channel.settings.phoneNumberId && str(meta.phone_number_id) !== channel.settings.phoneNumberId) continue;
        const names = new Map(asArray(value.contacts).map((c) => [str(c.wa_id) ?? '', str(obj(c.profile).name) ?? '']));
        for (const m of asArray(value.messages)) {
          const id = str(m.id);
          const from = str(m.from);
          if (!id || !from) continue;
          const type = str(m.type) ?? 'text';
          const media: InboundMedia[] = [];
          let text = str(obj(m.text).body) ?? '';
          if ((MEDIA_TYPES as readonly string[]).includes(type)) {
            const part = obj(m[type]);
            media.push({
              kind: type as InboundMedia['kind'],
              providerMediaId: str(part.id),
              contentType: str(part.mime_type),
              filename: str(part.filename),
            });
            text = str(part.caption) ?? text;
          } else if (type === 'location') {
            const l = obj(m.location);
            text = `📍 ${str(l.name) ?? ''} ${str(l.address) ?? ''} (${str(l.latitude)}, ${str(l.longitude)})`
              .replace(/\s+/g, ' ')
              .trim();
          }
          let reply: { kind: string; id: string | null; title: string } | null = null;
          if (type === 'button') {
            // a template's quick-reply button
            const b = obj(m.button);
            text = str(b.text) ?? text;
            reply = { kind: 'template_button', id: str(b.payload) ?? null, title: str(b.text) ?? '' };
          } else if (type === 'interactive') {
            const i = obj(m.interactive);
            const choice = str(i.type) === 'list_reply' ? obj(i.list_reply) : obj(i.button_reply);
            text = str(choice.title) ?? text;
            reply = { kind: str(i.type) ?? 'button_reply', id: str(choice.id) ?? null, title: str(choice.title) ?? '' };
          }
          const phone = normalisePhone(`+${from}`) ?? `+${from}`;
          out.push({
            type: 'message',
            externalMessageId: id,
            contact: { externalId: phone, phone, name: names.get(from) || undefined, verified: true },
            text,
            media,
            provider: { type, context: m.context ?? null, ...(reply ? { reply } : {}) },
          });
        }
        for (const s of asArray(value.statuses)) {
          const status = str(s.status);
          if (status !== 'sent' && status !== 'delivered' && status !== 'read' && status !== 'failed') continue;
          const errors = asArray(s.errors);
          const error =
            errors.length > 0
              ? errors.map((e) => `(#${str(e.code) ?? '?'}) ${str(e.title) ?? ''}`).join('; ')
              : undefined;
          out.push({ type: 'receipt', providerMessageId: str(s.id), status, error });
        }
      }
    }
    return out;
  },
  async send(input) {
    const { phoneNumberId, templateName } = input.channel.settings;
    if (!phoneNumberId || !input.creds.accessToken) {
      return { ok: false, permanent: true, error: 'phone number id and access token are required', channelError: true };
    }
    const to = input.recipient.replace(/^\+/, '');
    const inWindow =
      input.lastInboundAt !== null && input.now.getTime() - input.lastInboundAt.getTime() < WHATSAPP_WINDOW_MS;
    let message: Record<string, unknown>;
    if (inWindow && input.interactive) {
      message = { type: 'interactive', interactive: buildInteractive(input.interactive) };
    } else if (input.interactive) {
      // buttons and lists are free-form messages: a template cannot carry the agent's choices
      return {
        ok: false,
        permanent: true,
        error: 'outside the WhatsApp 24-hour customer-service window: interactive messages cannot be sent',
      };
    } else if (inWindow) {
      message = { type: 'text', text: { preview_url: false, body: input.text.slice(0, 4096) } };
    } else if (templateName) {
      // outside the customer-service window only an approved template may start the conversation again
      const ctx = input.context ?? {
        reply: input.text,
        customerName: '',
        language: null,
        ticketNumber: null,
        ticketSubject: '',
        agentName: '',
      };
      message = { type: 'template', template: buildTemplate(input.channel.settings, { ...ctx, reply: input.text }) };
    } else {
      return {
        ok: false,
        permanent: true,
        error: 'outside the WhatsApp 24-hour customer-service window and no template is configured',
      };
    }
    const result = await callProvider(
      `${graphBase(input.channel)}/${encodeURIComponent(phoneNumberId)}/messages`,
      {
        ...input.net,
        method: 'POST',
        body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${input.creds.accessToken}` },
      },
      (res) => graphError(safeJson(res)),
    );
    if (!result.ok) return result;
    const id = str(asArray(safeJson(result.res).messages)[0]?.id);
    // attachments follow as media messages (by link), only inside the window; a failed one does not undo the text
    if (inWindow) {
      for (const m of input.media.slice(0, 10)) {
        const type = whatsappMediaType(m.contentType);
        const part = type === 'document' ? { link: m.url, filename: m.filename } : { link: m.url };
        await callProvider(
          `${graphBase(input.channel)}/${encodeURIComponent(phoneNumberId)}/messages`,
          {
            ...input.net,
            method: 'POST',
            body: JSON.stringify({
              messaging_product: 'whatsapp',
              recipient_type: 'individual',
              to,
              type,
              [type]: part,
            }),
            headers: { 'content-type': 'application/json', authorization: `Bearer ${input.creds.accessToken}` },
          },
          (res) => graphError(safeJson(res)),
        );
      }
    }
    return { ok: true, providerMessageId: id ?? null, status: 'sent' };
  },
  async fetchMedia(media, ctx) {
    const auth = { authorization: `Bearer ${ctx.creds.accessToken ?? ''}` };
    // 1. GET /{media-id} → { url, mime_type }; 2. GET url with the same bearer token
    const meta = await callProvider(
      `${graphBase(ctx.channel)}/${encodeURIComponent(media.providerMediaId ?? '')}`,
      { ...ctx.net, headers: auth },
      (r) => graphError(safeJson(r)),
    );
    if (!meta.ok) throw new Error(meta.error);
    const info = safeJson(meta.res);
    const url = str(info.url);
    if (!url) throw new Error('media has no url');
    const file = await callProvider(url, { ...ctx.net, headers: auth, maxResponseBytes: ctx.maxBytes }, (r) =>
      r.text().slice(0, 200),
    );
    if (!file.ok) throw new Error(file.error);
    const ct = media.contentType ?? str(info.mime_type) ?? 'application/octet-stream';
    return { data: file.res.body, contentType: ct, filename: filenameFor(media, ct, media.kind) };
  },
};
