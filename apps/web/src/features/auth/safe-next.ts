/**
 * Where to go after signing in. Only a path on this site is accepted ("/tickets/1042?x=1"), never another origin
 * ("//evil.example", "https://…", "/\\evil"), so a crafted sign-in link cannot send someone elsewhere.
 */
export function safeNext(next: string | null | undefined): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.includes('\\') || [...next].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return '/';
  if (next.startsWith('/login') || next.startsWith('/setup') || next.startsWith('/invite/')) return '/';
  return next;
}
