import type { SecretBox } from '../email/secret-box.ts';
import type { ChannelRow, PlainCredentials } from './adapters/adapter.ts';

export function openCredentials(box: SecretBox, channel: Pick<ChannelRow, 'credentialsEnc'>): PlainCredentials {
  if (!channel.credentialsEnc) return {};
  try {
    return JSON.parse(box.open(channel.credentialsEnc)) as PlainCredentials;
  } catch {
    return {};
  }
}

export function sealCredentials(box: SecretBox, creds: PlainCredentials): string | null {
  const clean = Object.fromEntries(Object.entries(creds).filter(([, v]) => typeof v === 'string' && v !== ''));
  return Object.keys(clean).length === 0 ? null : box.seal(JSON.stringify(clean));
}

/** names of the credentials that are set (shown in the admin UI; values never leave the server) */
export function credentialNames(box: SecretBox, channel: Pick<ChannelRow, 'credentialsEnc'>): string[] {
  return Object.keys(openCredentials(box, channel))
    .filter((k) => k !== 'mediaKey')
    .sort();
}
