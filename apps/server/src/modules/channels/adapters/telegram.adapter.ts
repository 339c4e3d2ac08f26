import { type ChannelAdapter, callProvider, filenameFor, header, type InboundEvent, type InboundMedia, safeJson } from './adapter.ts';
import { asArray, obj, parseJsonObject, str } from './meta-common.ts';
import { safeEqual } from './signatures.ts';

export const TELEGRAM_API = 'https://api.telegram.org';

function base(settings: Record<string, string>): string {
  return (settings.apiBaseUrl ?? TELEGRAM_API).replace(/\/$/, '');
}

function describe(body: Record<string, unknown>): string {
  return `${str(body.error_code) ?? ''} ${str(body.description) ?? 'unknown error'}`.trim();
}

/**
 * Telegram Bot API. Inbound: Update objects POSTed to the webhook with X-Telegram-Bot-Api-Secret-Token (the
 * secret_token given to setWebhook). Outbound: POST /bot<token>/sendMessage { chat_id, text }. Telegram has no
 * delivery receipts: an accepted message counts as delivered.
 */
export const telegramAdapter: ChannelAdapter = {
  kind: 'telegram',
  verify(req, _ch, creds) {
    const given = header(req.headers, 'x-telegram-bot-api-secret-token');
    return !!given && !!creds.webhookSecret && safeEqual(given, creds.webhookSecret);
  },
  parse(req) {
    const update = parseJsonObject(req.rawBody);
    const m = obj(update.message ?? update.edited_message);
    if (!update.message && !update.edited_message) return [];
    const chat = obj(m.chat);
    const from = obj(m.from);
    const chatId = str(chat.id);
    const messageId = str(m.message_id);
    if (!chatId || !messageId || from.is_bot === true) return [];
    const media: InboundMedia[] = [];
    const photos = asArray(m.photo);
    const largest = photos[photos.length - 1];
    if (largest) media.push({ kind: 'image', providerMediaId: str(largest.file_id), contentType: 'image/jpeg' });
    for (const [key, kind] of [['document', 'document'], ['audio', 'audio'], ['voice', 'audio'], ['video', 'video'], ['sticker', 'sticker']] as const) {
      const part = obj(m[key]);
      if (part.file_id) media.push({ kind, providerMediaId: str(part.file_id), contentType: str(part.mime_type), filename: str(part.file_name) });
    }
    const name = [str(from.first_name), str(from.last_name)].filter(Boolean).join(' ') || str(from.username);
    const edited = !!update.edited_message;
    const event: InboundEvent = {
      type: 'message',
      // an edit is a new message to us (it arrives with the same message_id)
      externalMessageId: `${chatId}:${messageId}${edited ? `:edit:${str(m.edit_date) ?? ''}` : ''}`,
      contact: { externalId: chatId, name, locale: str(from.language_code) },
      text: str(m.text) ?? str(m.caption) ?? '',
      media,
      provider: { updateId: update.update_id, username: str(from.username) ?? null, edited },
    };
    return [event];
  },
  async send(input) {
    const token = input.creds.botToken;
    if (!token) return { ok: false, permanent: true, error: 'the bot token is required', channelError: true };
    const result = await callProvider(
      `${base(input.channel.settings)}/bot${token}/sendMessage`,
      {
        ...input.net,
        method: 'POST',
        body: JSON.stringify({ chat_id: input.recipient, text: input.text.slice(0, 4096) }),
        headers: { 'content-type': 'application/json' },
      },
      (res) => describe(safeJson(res)),
    );
    if (!result.ok) return { ...result, error: result.error.replace(token, '<token>') };
    const body = safeJson(result.res);
    if (body.ok !== true) return { ok: false, permanent: true, error: describe(body) };
    // attachments by URL: Telegram downloads them (photos up to 5 MB, other files up to 20 MB)
    for (const m of input.media.slice(0, 10)) {
      const photo = /^image\/(jpeg|png|gif|webp)$/.test(m.contentType);
      await callProvider(
        `${base(input.channel.settings)}/bot${token}/${photo ? 'sendPhoto' : 'sendDocument'}`,
        {
          ...input.net,
          method: 'POST',
          body: JSON.stringify({ chat_id: input.recipient, [photo ? 'photo' : 'document']: m.url }),
          headers: { 'content-type': 'application/json' },
        },
        (res) => describe(safeJson(res)),
      );
    }
    return { ok: true, providerMessageId: str(obj(body.result).message_id) ?? null, status: 'delivered' };
  },
  async fetchMedia(media, ctx) {
    const token = ctx.creds.botToken ?? '';
    const b = base(ctx.channel.settings);
    const info = await callProvider(`${b}/bot${token}/getFile`, {
      ...ctx.net,
      method: 'POST',
      body: JSON.stringify({ file_id: media.providerMediaId }),
      headers: { 'content-type': 'application/json' },
    }, (r) => describe(safeJson(r)));
    if (!info.ok) throw new Error(info.error.replace(token, '<token>'));
    const path = str(obj(safeJson(info.res).result).file_path);
    if (!path) throw new Error('getFile returned no file_path');
    const file = await callProvider(`${b}/file/bot${token}/${path}`, { ...ctx.net, maxResponseBytes: ctx.maxBytes }, (r) => r.text().slice(0, 200));
    if (!file.ok) throw new Error(file.error.replace(token, '<token>'));
    const ct = media.contentType ?? file.res.headers['content-type']?.split(';')[0] ?? 'application/octet-stream';
    return { data: file.res.body, contentType: ct, filename: filenameFor(media, ct, path.split('/').pop()?.split('.')[0] ?? media.kind) };
  },
};
