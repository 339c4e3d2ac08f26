import type { ChannelKind } from '@seva/contracts';
import type { ChannelAdapter } from './adapter.ts';
import { apiAdapter } from './api.adapter.ts';
import { instagramAdapter, messengerAdapter } from './messenger.adapter.ts';
import { telegramAdapter } from './telegram.adapter.ts';
import { twilioAdapter } from './twilio.adapter.ts';
import { whatsappAdapter } from './whatsapp.adapter.ts';

export const ADAPTERS: Record<ChannelKind, ChannelAdapter> = {
  api: apiAdapter,
  sms: twilioAdapter,
  whatsapp: whatsappAdapter,
  messenger: messengerAdapter,
  instagram: instagramAdapter,
  telegram: telegramAdapter,
};

export function adapterFor(kind: string): ChannelAdapter {
  const a = ADAPTERS[kind as ChannelKind];
  if (!a) throw new Error(`no adapter for channel kind ${kind}`);
  return a;
}
