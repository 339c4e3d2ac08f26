import type { ChannelKind } from '@seva/contracts';
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

/** Messenger's standard messaging window; after it, the HUMAN_AGENT tag allows replies for 7 days. */
export const MESSENGER_WINDOW_MS = 24 * HOUR_MS;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS;

function mediaKind(t: string | undefined): InboundMedia['kind'] {
  if (t === 'image' || t === 'audio' || t === 'video') return t;
  return t === 'file' ? 'document' : 'file';
}

/**
 * Facebook Messenger (object "page") and Instagram direct messages (object "instagram"): the same webhook shape,
 * entry[].messaging[] with message / delivery / read, signed with X-Hub-Signature-256. Outbound:
 * POST /{page-or-ig-id}/messages { recipient: { id }, messaging_type, message: { text } } with a bearer token.
 */
function makeMetaMessagingAdapter(kind: Extract<ChannelKind, 'messenger' | 'instagram'>): ChannelAdapter {
  const object = kind === 'messenger' ? 'page' : 'instagram';
  return {
    kind,
    verify: (req, _ch, creds) => verifyMetaSignature(req, creds),
    parse(req, channel) {
      const body = parseJsonObject(req.rawBody);
      if (body.object !== object) return [];
      const out: InboundEvent[] = [];
      for (const entry of asArray(body.entry)) {
        if (channel.settings.pageId && str(entry.id) !== channel.settings.pageId) continue;
        for (const ev of asArray(entry.messaging)) {
          const sender = str(obj(ev.sender).id);
          const recipient = str(obj(ev.recipient).id);
          const message = obj(ev.message);
          if (ev.message && sender) {
            // our own messages come back as echoes: never a customer message
            if (message.is_echo === true) continue;
            const mid = str(message.mid);
            if (!mid) continue;
            const media: InboundMedia[] = asArray(message.attachments)
              .map((a) => ({ kind: mediaKind(str(a.type)), url: str(obj(a.payload).url) }))
              .filter((m) => m.url);
            out.push({
              type: 'message',
              externalMessageId: mid,
              contact: { externalId: sender },
              text: str(message.text) ?? '',
              media,
              provider: {
                quickReply: obj(message.quick_reply).payload ?? null,
                replyTo: obj(message.reply_to).mid ?? null,
              },
            });
          } else if (ev.delivery && sender) {
            const d = obj(ev.delivery);
            const mids = Array.isArray(d.mids) ? (d.mids as unknown[]).map(str).filter((x): x is string => !!x) : [];
            for (const id of mids) out.push({ type: 'receipt', status: 'delivered', providerMessageId: id });
            const wm = Number(d.watermark);
            if (mids.length === 0 && Number.isFinite(wm))
              out.push({ type: 'receipt', status: 'delivered', watermark: { recipient: sender, at: new Date(wm) } });
          } else if (ev.read && sender) {
            const r = obj(ev.read);
            const mid = str(r.mid);
            if (mid) out.push({ type: 'receipt', status: 'read', providerMessageId: mid });
            const wm = Number(r.watermark);
            if (!mid && Number.isFinite(wm))
              out.push({ type: 'receipt', status: 'read', watermark: { recipient: sender, at: new Date(wm) } });
          }
          void recipient;
        }
      }
      return out;
    },
    async send(input) {
      const { pageId } = input.channel.settings;
      if (!pageId || !input.creds.accessToken) {
        return { ok: false, permanent: true, error: 'page id and access token are required', channelError: true };
      }
      const age = input.lastInboundAt ? input.now.getTime() - input.lastInboundAt.getTime() : Number.POSITIVE_INFINITY;
      let tagging: Record<string, string>;
      if (age < MESSENGER_WINDOW_MS) tagging = { messaging_type: 'RESPONSE' };
      else if (age < HUMAN_AGENT_WINDOW_MS) tagging = { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
      else
        return {
          ok: false,
          permanent: true,
          error: 'more than 7 days since the customer last wrote: the platform does not allow a reply',
        };
      const result = await callProvider(
        `${graphBase(input.channel)}/${encodeURIComponent(pageId)}/messages`,
        {
          ...input.net,
          method: 'POST',
          body: JSON.stringify({
            recipient: { id: input.recipient },
            ...tagging,
            message: { text: input.text.slice(0, 2000) },
          }),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${input.creds.accessToken}` },
        },
        (res) => graphError(safeJson(res)),
      );
      if (!result.ok) return result;
      for (const m of input.media.slice(0, 10)) {
        const type = m.contentType.startsWith('image/')
          ? 'image'
          : m.contentType.startsWith('audio/')
            ? 'audio'
            : m.contentType.startsWith('video/')
              ? 'video'
              : 'file';
        await callProvider(
          `${graphBase(input.channel)}/${encodeURIComponent(pageId)}/messages`,
          {
            ...input.net,
            method: 'POST',
            body: JSON.stringify({
              recipient: { id: input.recipient },
              ...tagging,
              message: { attachment: { type, payload: { url: m.url, is_reusable: false } } },
            }),
            headers: { 'content-type': 'application/json', authorization: `Bearer ${input.creds.accessToken}` },
          },
          (res) => graphError(safeJson(res)),
        );
      }
      return { ok: true, providerMessageId: str(safeJson(result.res).message_id) ?? null, status: 'sent' };
    },
    async fetchMedia(media, ctx) {
      // attachment payload URLs are pre-signed CDN links: no token is sent
      const r = await callProvider(media.url ?? '', { ...ctx.net, maxResponseBytes: ctx.maxBytes }, (res) =>
        res.text().slice(0, 200),
      );
      if (!r.ok) throw new Error(r.error);
      const ct = r.res.headers['content-type']?.split(';')[0] ?? 'application/octet-stream';
      return { data: r.res.body, contentType: ct, filename: filenameFor(media, ct, media.kind) };
    },
    async fetchProfile(externalId, ctx) {
      if (!ctx.creds.accessToken) return { ok: false, permanent: true, error: 'no access token' };
      // Messenger: first_name/last_name of the PSID; Instagram: name (else username) of the IGSID
      const fields = kind === 'messenger' ? 'first_name,last_name' : 'name,username';
      const r = await callProvider(
        `${graphBase(ctx.channel)}/${encodeURIComponent(externalId)}?fields=${fields}`,
        {
          ...ctx.net,
          method: 'GET',
          headers: { authorization: `Bearer ${ctx.creds.accessToken}` },
          maxResponseBytes: 16 * 1024,
        },
        (res) => graphError(safeJson(res)),
      );
      if (!r.ok) return { ok: false, permanent: r.permanent, error: r.error };
      const p = safeJson(r.res);
      const name =
        kind === 'messenger'
          ? [str(p.first_name), str(p.last_name)].filter((x) => x?.trim()).join(' ')
          : str(p.name)?.trim() || str(p.username)?.trim() || '';
      return { ok: true, name: name.trim().slice(0, 200) || null };
    },
  };
}

export const messengerAdapter = makeMetaMessagingAdapter('messenger');
export const instagramAdapter = makeMetaMessagingAdapter('instagram');
