import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import ipaddr from 'ipaddr.js';

/**
 * An SSRF-safe HTTP client for customer-supplied URLs (channel callbacks, outgoing webhooks).
 *
 * - Only http: and https: URLs without credentials.
 * - The host is resolved once per hop; if ANY address is not public unicast (loopback, RFC 1918 private,
 *   link-local incl. 169.254.169.254, CGNAT, multicast, unique-local, reserved, IPv4-mapped/NAT64/6to4/Teredo
 *   forms of those) the request is refused before a connection is made.
 * - The connection goes to the checked address itself (the socket is opened to the IP; the Host header and TLS SNI
 *   carry the name), so a second DNS answer can never swap in another address (no TOCTOU re-resolution).
 * - Redirects are followed by hand (at most `maxRedirects`, default 3), each hop checked the same way; credentials
 *   headers are dropped when a redirect leaves the origin.
 * - One deadline for the whole exchange, a response size cap, TLS certificate verification always on.
 *
 * `allowLoopbackPorts` lets tests reach local fake servers on the given ports (loopback only, never private ranges).
 */
export type SafeFetchErrorCode =
  | 'INVALID_URL'
  | 'BLOCKED_ADDRESS'
  | 'DNS_FAILED'
  | 'CONNECTION_FAILED'
  | 'TIMEOUT'
  | 'RESPONSE_TOO_LARGE'
  | 'TOO_MANY_REDIRECTS';

export class SafeFetchError extends Error {
  readonly code: SafeFetchErrorCode;
  readonly url: string;
  constructor(code: SafeFetchErrorCode, message: string, url: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SafeFetchError';
    this.code = code;
    this.url = url;
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeFetchOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** deadline for the whole exchange, redirects included (default 10 s) */
  timeoutMs?: number;
  /** largest response body accepted (default 1 MiB) */
  maxResponseBytes?: number;
  /** default 3; 0 returns the redirect response itself */
  maxRedirects?: number;
  /** TESTS ONLY: loopback addresses are allowed on these ports */
  allowLoopbackPorts?: readonly number[];
  /** DNS resolver (default: the system resolver, all addresses) */
  resolve?: Resolver;
}

export interface SafeFetchResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** the URL that answered (after redirects) */
  url: string;
  /** the URLs that redirected, in order */
  redirects: string[];
  text(): string;
  json(): unknown;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

const systemResolver: Resolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/**
 * Why an address may not be contacted, or null when it is public unicast. IPv4-mapped IPv6 addresses are judged
 * as the IPv4 address they carry.
 */
export function blockedAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  return range === 'unicast' ? null : range;
}

export function isLoopbackAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'loopback';
}

/**
 * Checks the shape of a URL without any network access (scheme, no credentials, no literal private address);
 * use when a URL is saved. The addresses behind a name are checked at send time.
 */
export function checkUrlShape(raw: string, opts: { allowLoopbackPorts?: readonly number[] } = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SafeFetchError('INVALID_URL', 'not a valid URL', raw);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SafeFetchError('INVALID_URL', `scheme ${url.protocol} is not allowed`, raw);
  }
  if (url.username || url.password) throw new SafeFetchError('INVALID_URL', 'credentials in URLs are not allowed', raw);
  const host = bareHost(url);
  if (isIP(host)) checkAddress(host, url, opts.allowLoopbackPorts ?? []);
  else if (host === 'localhost' || host.endsWith('.localhost')) {
    if (!(opts.allowLoopbackPorts ?? []).includes(effectivePort(url))) {
      throw new SafeFetchError('BLOCKED_ADDRESS', 'localhost is not allowed', raw);
    }
  }
  return url;
}

function bareHost(url: URL): string {
  const h = url.hostname;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

function effectivePort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

function checkAddress(address: string, url: URL, allowLoopbackPorts: readonly number[]): void {
  const reason = blockedAddressReason(address);
  if (reason === null) return;
  if (reason === 'loopback' && allowLoopbackPorts.includes(effectivePort(url))) return;
  throw new SafeFetchError('BLOCKED_ADDRESS', `address ${address} is not allowed (${reason})`, url.toString());
}

async function resolveChecked(url: URL, resolve: Resolver, allowLoopbackPorts: readonly number[]): Promise<ResolvedAddress> {
  const host = bareHost(url);
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await resolve(host);
    } catch (err) {
      throw new SafeFetchError('DNS_FAILED', `could not resolve ${host}`, url.toString(), { cause: err });
    }
    if (addresses.length === 0) throw new SafeFetchError('DNS_FAILED', `no address for ${host}`, url.toString());
  }
  // every answer must be acceptable: a name that mixes public and private answers is refused outright
  for (const a of addresses) checkAddress(a.address, url, allowLoopbackPorts);
  return addresses[0] as ResolvedAddress;
}

interface HopResult {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function requestOnce(
  url: URL,
  target: ResolvedAddress,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  maxBytes: number,
  deadline: number,
): Promise<HopResult> {
  return new Promise((resolvePromise, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      reject(new SafeFetchError('TIMEOUT', 'timed out', url.toString()));
      return;
    }
    const isHttps = url.protocol === 'https:';
    const host = bareHost(url);
    const reqHeaders: Record<string, string> = { ...headers, host: url.host };
    if (body) reqHeaders['content-length'] = String(body.length);
    const options: https.RequestOptions = {
      // connect to the checked address, never the name again
      host: target.address,
      family: target.family,
      port: effectivePort(url),
      path: `${url.pathname}${url.search}`,
      method,
      headers: reqHeaders,
      agent: false,
    };
    if (isHttps) {
      options.rejectUnauthorized = true;
      if (!isIP(host)) options.servername = host;
      // verify the certificate against the name the caller asked for (not the IP we connected to)
      options.checkServerIdentity = (_h, cert) => checkServerIdentity(host, cert);
    }
    let settled = false;
    const fail = (err: SafeFetchError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const req = (isHttps ? https : http).request(options, (res) => {
      const declared = Number(res.headers['content-length'] ?? '0');
      if (declared > maxBytes) {
        fail(new SafeFetchError('RESPONSE_TOO_LARGE', `response larger than ${maxBytes} bytes`, url.toString()));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail(new SafeFetchError('RESPONSE_TOO_LARGE', `response larger than ${maxBytes} bytes`, url.toString()));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
        }
        resolvePromise({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks) });
      });
      res.on('error', (err) => fail(new SafeFetchError('CONNECTION_FAILED', err.message, url.toString(), { cause: err })));
    });
    const timer = setTimeout(() => fail(new SafeFetchError('TIMEOUT', 'timed out', url.toString())), remaining);
    req.on('error', (err) => fail(new SafeFetchError('CONNECTION_FAILED', err.message, url.toString(), { cause: err })));
    if (body) req.write(body);
    req.end();
  });
}

export async function safeFetch(rawUrl: string, opts: SafeFetchOptions = {}): Promise<SafeFetchResponse> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const maxBytes = opts.maxResponseBytes ?? 1024 * 1024;
  const maxRedirects = opts.maxRedirects ?? 3;
  const allow = opts.allowLoopbackPorts ?? [];
  const resolve = opts.resolve ?? systemResolver;

  let url = checkUrlShape(rawUrl, { allowLoopbackPorts: allow });
  let method = (opts.method ?? 'GET').toUpperCase();
  let body = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body);
  let headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
  const redirects: string[] = [];

  for (;;) {
    const target = await resolveChecked(url, resolve, allow);
    const hop = await requestOnce(url, target, method, headers, body, maxBytes, deadline);
    const location = hop.headers.location;
    if (!REDIRECT_STATUSES.has(hop.status) || !location || maxRedirects === 0) {
      const finalUrl = url.toString();
      return {
        status: hop.status,
        headers: hop.headers,
        body: hop.body,
        url: finalUrl,
        redirects,
        text: () => hop.body.toString('utf8'),
        json: () => JSON.parse(hop.body.toString('utf8')) as unknown,
      };
    }
    if (redirects.length >= maxRedirects) {
      throw new SafeFetchError('TOO_MANY_REDIRECTS', `more than ${maxRedirects} redirects`, url.toString());
    }
    redirects.push(url.toString());
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new SafeFetchError('INVALID_URL', 'redirect to an invalid URL', url.toString());
    }
    next = checkUrlShape(next.toString(), { allowLoopbackPorts: allow });
    if (next.origin !== url.origin) {
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.has(k)));
    }
    // 303 always, and 301/302 after a POST, become a GET without a body (what browsers do); 307/308 keep both
    if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
    url = next;
  }
}
