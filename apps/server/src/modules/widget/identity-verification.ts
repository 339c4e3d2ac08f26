import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedIdentity {
  userId: string;
  email?: string | undefined;
  signature: string;
}

export type IdentityCheck = { ok: false } | { ok: true; emailVerified: boolean };

function hmacHex(secret: string, message: string): Buffer {
  return createHmac('sha256', secret).update(message, 'utf8').digest();
}

function sameDigest(expected: Buffer, givenHex: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(givenHex)) return false;
  const given = Buffer.from(givenHex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Checks a site's identity signature (timing-safe). `hex(HMAC-SHA256(secret, userId))` verifies the user id only
 * (an email sent with it is contact information, never used to find a customer);
 * `hex(HMAC-SHA256(secret, userId + "\n" + email))` verifies both. See docs/widget.md.
 */
export function verifyIdentitySignature(secret: string, identity: SignedIdentity): IdentityCheck {
  if (identity.email !== undefined && !identity.userId.includes('\n')) {
    if (sameDigest(hmacHex(secret, `${identity.userId}\n${identity.email}`), identity.signature)) {
      return { ok: true, emailVerified: true };
    }
  }
  if (sameDigest(hmacHex(secret, identity.userId), identity.signature)) return { ok: true, emailVerified: false };
  return { ok: false };
}

/** For site owners' tests and docs: the signature a site computes. */
export function signIdentity(secret: string, userId: string, email?: string): string {
  return createHmac('sha256', secret)
    .update(email === undefined ? userId : `${userId}\n${email}`, 'utf8')
    .digest('hex');
}
