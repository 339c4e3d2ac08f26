import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from './adapters/signatures.ts';

/** how long a provider may fetch an agent's attachment through its link */
export const MEDIA_LINK_TTL_SECONDS = 3 * 24 * 3600;

export function newMediaKey(): string {
  return randomBytes(32).toString('base64url');
}

function mac(key: string, channelId: string, attachmentId: string, expires: number): string {
  return createHmac('sha256', key).update(`${channelId}:${attachmentId}:${expires}`).digest('hex');
}

/**
 * A capability link to one attachment for one channel's provider (Twilio MediaUrl, WhatsApp/Messenger `link`,
 * Telegram file URL, the API channel's `attachments[].url`): signed with the channel's own media key, time-limited.
 */
export function mediaLink(publicUrl: string, key: string, channelId: string, attachmentId: string, nowMs: number): string {
  const expires = Math.floor(nowMs / 1000) + MEDIA_LINK_TTL_SECONDS;
  return `${publicUrl.replace(/\/$/, '')}/hooks/channels/${channelId}/media/${attachmentId}?e=${expires}&s=${mac(key, channelId, attachmentId, expires)}`;
}

export function verifyMediaLink(key: string, channelId: string, attachmentId: string, e: string, s: string, nowMs: number): boolean {
  if (!/^\d{1,12}$/.test(e) || !/^[0-9a-f]{64}$/.test(s)) return false;
  const expires = Number(e);
  if (expires < nowMs / 1000 || expires > nowMs / 1000 + MEDIA_LINK_TTL_SECONDS + 60) return false;
  return safeEqual(mac(key, channelId, attachmentId, expires), s);
}
