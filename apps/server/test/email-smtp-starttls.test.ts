import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { emailRuntime } from '../src/modules/email/email-runtime.ts';
import { inboundEmails } from '../src/platform/db/schema/index.ts';
import { createStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

/** STARTTLS on Seva's own SMTP listener: offered with a certificate, optionally required, verified by real clients. */

let dir: string;
let certPem: string;
let otherCertPem: string;
let t: TestApp;
let port: number;

function selfSigned(name: string): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      path.join(dir, `${name}.key`),
      '-out',
      path.join(dir, `${name}.pem`),
    ],
    { stdio: 'ignore' },
  );
}

/** EHLO on a plain connection; returns the server's capability lines. */
async function ehlo(p: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(p, '127.0.0.1');
    let buf = '';
    let sent = false;
    socket.on('data', (d) => {
      buf += d.toString();
      if (!sent && /^220 .*\r\n/m.test(buf)) {
        sent = true;
        buf = '';
        socket.write('EHLO tester.example\r\n');
      } else if (sent && /^250 .*\r\n/m.test(buf)) {
        socket.end('QUIT\r\n');
        resolve(buf);
      }
    });
    socket.on('error', reject);
  });
}

const raw = (id: string) =>
  `From: a@example.net\r\nTo: support@example.com\r\nSubject: Over TLS\r\nMessage-ID: <${id}>\r\n\r\nEncrypted on the way in.\r\n`;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-smtp-tls-'));
  selfSigned('listener');
  selfSigned('other');
  certPem = await fs.readFile(path.join(dir, 'listener.pem'), 'utf8');
  otherCertPem = await fs.readFile(path.join(dir, 'other.pem'), 'utf8');
  t = await createTestApp({
    env: {
      SEVA_ROLES: 'api,worker',
      HOST: '127.0.0.1',
      SEVA_SMTP_TLS_CERT: path.join(dir, 'listener.pem'),
      SEVA_SMTP_TLS_KEY: path.join(dir, 'listener.key'),
      SEVA_SMTP_REQUIRE_TLS: 'true',
    },
  });
  const admin = await createStaff(t, 'admin');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/mailboxes',
    headers: admin.bearer,
    payload: { address: 'support@example.com', name: 'Support', ackEnabled: false },
  });
  expect(res.statusCode, res.body).toBe(201);
  port = emailRuntime(t.deps, () => {}).smtpPort as number;
}, 60_000);

afterAll(async () => {
  await t?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('STARTTLS on the SMTP listener', () => {
  it('advertises STARTTLS when a certificate is configured', async () => {
    expect(await ehlo(port)).toMatch(/^250-STARTTLS\r$/m);
  });

  it('accepts mail over STARTTLS from a client that verifies the certificate', async () => {
    const client = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      requireTLS: true,
      tls: { ca: certPem, servername: 'localhost' },
    });
    try {
      const info = await client.sendMail({
        envelope: { from: 'a@example.net', to: ['support@example.com'] },
        raw: raw('tls-1@example.net'),
      });
      expect(info.response).toMatch(/^250 /);
    } finally {
      client.close();
    }
    const [row] = await t.deps.db
      .select()
      .from(inboundEmails)
      .where(eq(inboundEmails.messageIdHeader, 'tls-1@example.net'));
    expect(row?.source).toBe('smtp');
  });

  it('refuses mail before STARTTLS when TLS is required (530), and stores nothing', async () => {
    const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    try {
      await expect(
        client.sendMail({
          envelope: { from: 'a@example.net', to: ['support@example.com'] },
          raw: raw('plain-1@example.net'),
        }),
      ).rejects.toMatchObject({
        responseCode: 530,
      });
    } finally {
      client.close();
    }
    expect(
      await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.messageIdHeader, 'plain-1@example.net')),
    ).toEqual([]);
  });

  it('is refused by a client that trusts another certificate (verification stays on)', async () => {
    const client = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      requireTLS: true,
      tls: { ca: otherCertPem, servername: 'localhost' },
    });
    try {
      await expect(
        client.sendMail({
          envelope: { from: 'a@example.net', to: ['support@example.com'] },
          raw: raw('wrong-ca@example.net'),
        }),
      ).rejects.toThrow(/self[- ]signed|certificate/i);
    } finally {
      client.close();
    }
  });

  it('needs both the certificate and the key, and a certificate to require TLS', () => {
    expect(() => loadConfig({ SEVA_SMTP_TLS_CERT: '/x/cert.pem' })).toThrow(/SEVA_SMTP_TLS_KEY/);
    expect(() => loadConfig({ SEVA_SMTP_REQUIRE_TLS: 'true' })).toThrow(/SEVA_SMTP_REQUIRE_TLS/);
  });
});
