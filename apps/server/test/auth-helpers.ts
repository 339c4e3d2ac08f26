import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

let ipCounter = 10;
/** A fresh client address, so the per-IP sign-in limit of one test does not spill into another. */
export function freshIp(): string {
  ipCounter += 1;
  return `198.51.100.${ipCounter}`;
}

export interface Browser {
  cookie: string;
  csrf: string;
  /** headers for a write made by this browser */
  headers: { cookie: string; 'x-csrf-token': string };
}

/** The session cookie a response set, as a browser would keep it. */
export function browserFrom(res: LightMyRequestResponse): Browser {
  const c = res.cookies.find((k) => k.name === 'seva_session');
  expect(c, 'a session cookie is set').toBeDefined();
  const cookie = `seva_session=${c?.value}`;
  const csrf = res.json().csrfToken as string;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

export async function login(app: FastifyInstance, email: string, password: string, ip = freshIp()) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'x-forwarded-for': ip },
    payload: { email, password },
  });
}
