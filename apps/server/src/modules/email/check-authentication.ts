/**
 * Reads the `Authentication-Results` header (RFC 8601) written by OUR inbound host (its authserv-id is set on the
 * mailbox); headers from anyone else are ignored, since a sender can write any header it likes.
 */
export type AuthenticationVerdict = 'pass' | 'fail' | 'unknown';

export interface AuthenticationCheck {
  verdict: AuthenticationVerdict;
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
}

function method(text: string, name: string): string | null {
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*([a-z]+)`, 'i').exec(text);
  return m?.[1]?.toLowerCase() ?? null;
}

export function checkAuthentication(values: readonly string[] | undefined, trustedAuthservId: string | null): AuthenticationCheck {
  const none: AuthenticationCheck = { verdict: 'unknown', spf: null, dkim: null, dmarc: null };
  if (!trustedAuthservId || !values) return none;
  const trusted = trustedAuthservId.trim().toLowerCase();
  // the topmost header from our host is the one it added last
  const header = values.find((v) => (v.split(';')[0] ?? '').trim().split(/\s+/)[0]?.toLowerCase() === trusted);
  if (!header) return none;
  const spf = method(header, 'spf');
  const dkim = method(header, 'dkim');
  const dmarc = method(header, 'dmarc');
  let verdict: AuthenticationVerdict = 'unknown';
  if (dmarc === 'fail' || ((spf === 'fail' || spf === 'softfail') && dkim !== 'pass')) verdict = 'fail';
  else if (dmarc === 'pass' || dkim === 'pass' || spf === 'pass') verdict = 'pass';
  return { verdict, spf, dkim, dmarc };
}

/** `@example.com` rules match a whole domain; others match one address. */
export function matchesAddressRule(address: string, rules: readonly string[]): boolean {
  const a = address.toLowerCase();
  const domain = `@${a.split('@')[1] ?? ''}`;
  return rules.some((r) => r === a || r === domain);
}
