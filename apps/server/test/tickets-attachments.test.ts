import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteOrphanAttachments, sweepOrphanAttachments } from '../src/modules/attachments/index.ts';
import type { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, multipart, openTicket, upload } from './tickets-helpers.ts';

const LIMIT = 64 * 1024;
let t: TestApp;
let agent: TestStaff;
let other: TestStaff;
let collaborator: TestStaff;

beforeAll(async () => {
  t = await createTestApp({ env: { SEVA_MAX_ATTACHMENT_BYTES: String(LIMIT) } });
  agent = await createStaff(t, 'agent');
  other = await createStaff(t, 'agent');
  collaborator = await createStaff(t, 'collaborator');
});
afterAll(async () => {
  await t?.close();
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(p);
    }
  };
  await walk(dir);
  return out;
}

describe('POST /attachments', () => {
  it('stores the file by its sha256 and answers its metadata', async () => {
    const content = Buffer.from('hello attachment');
    const res = await upload(t, agent, 'notes.txt', 'text/plain', content);
    expect(res.statusCode, res.body).toBe(201);
    const sha = createHash('sha256').update(content).digest('hex');
    expect(res.json()).toMatchObject({
      filename: 'notes.txt',
      contentType: 'text/plain',
      sizeBytes: content.length,
      sha256: sha,
    });
    const stored = path.join(t.config.dataDir, 'attachments', sha.slice(0, 2), sha.slice(2, 4), sha);
    expect(await fs.readFile(stored, 'utf8')).toBe('hello attachment');
  });

  it('keeps one copy on disk for identical content', async () => {
    const content = Buffer.from('same bytes twice');
    const a = (await upload(t, agent, 'a.txt', 'text/plain', content)).json();
    const b = (await upload(t, other, 'b.txt', 'text/plain', content)).json();
    expect(a.id).not.toBe(b.id);
    expect(a.sha256).toBe(b.sha256);
    const files = (await filesUnder(path.join(t.config.dataDir, 'attachments'))).filter((f) => f.endsWith(a.sha256));
    expect(files).toHaveLength(1);
  });

  it('refuses a file over the limit with 413 and leaves nothing behind', async () => {
    const before = await filesUnder(path.join(t.config.dataDir, 'attachments'));
    const res = await upload(t, agent, 'big.bin', 'application/octet-stream', Buffer.alloc(LIMIT * 3, 7));
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
    const after = await filesUnder(path.join(t.config.dataDir, 'attachments'));
    expect(after.sort()).toEqual(before.sort());
    const exact = await upload(t, agent, 'exact.bin', 'application/octet-stream', Buffer.alloc(LIMIT, 1));
    expect(exact.statusCode).toBe(201);
  });

  it('sanitises the filename and never uses it as a path', async () => {
    const res = await upload(t, agent, '../../../etc/\u202Epasswd', 'text/plain', 'x');
    expect(res.statusCode).toBe(201);
    expect(res.json().filename).toBe('passwd');
    await expect(fs.stat(path.join(t.config.dataDir, '..', 'etc'))).rejects.toThrow();
  });

  it('needs a file in the field "file" and a signed-in staff member', async () => {
    const wrongField = multipart('document', 'a.txt', 'text/plain', Buffer.from('x'));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...agent.bearer, ...wrongField.headers },
      payload: wrongField.payload,
    });
    expect(res.statusCode).toBe(400);
    const json = await api(t, agent, 'POST', '/attachments', { file: 'x' });
    expect(json.statusCode).toBe(415);
    const anon = multipart('file', 'a.txt', 'text/plain', Buffer.from('x'));
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: anon.headers, payload: anon.payload }))
        .statusCode,
    ).toBe(401);
  });
});

describe('attachments on messages', () => {
  it('links your own uploads to a reply and lists them with the message', async () => {
    const ticket = await openTicket(t, agent);
    const a = (await upload(t, agent, 'invoice.pdf', 'application/pdf', '%PDF-1.4 fake')).json();
    const res = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, {
      body: 'See attached',
      attachmentIds: [a.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().attachments).toEqual([a]);
    const again = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, {
      body: 'again',
      attachmentIds: [a.id],
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors[0].path).toBe('attachmentIds');
  });

  it("refuses someone else's upload and rolls the whole reply back", async () => {
    const ticket = await openTicket(t, agent);
    const theirs = (await upload(t, other, 'x.txt', 'text/plain', 'theirs')).json();
    const res = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, {
      body: 'steal',
      attachmentIds: [theirs.id],
    });
    expect(res.statusCode).toBe(400);
    const messages = (await api(t, agent, 'GET', `/tickets/${ticket.id}/messages`)).json().items;
    expect(messages).toHaveLength(1);
  });

  it('attaches files to the first message of a new ticket', async () => {
    const a = (await upload(t, agent, 'photo.png', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47]))).json();
    // a later upload (the test clock stands still otherwise, and equal times fall back to the random ids)
    (t.clock as ManualClock).advance(1000);
    const b = (await upload(t, agent, 'notes.txt', 'text/plain', 'second file')).json();
    const ticket = await openTicket(t, agent, { attachmentIds: [b.id, a.id] });
    const messages = (await api(t, agent, 'GET', `/tickets/${ticket.id}/messages`)).json().items;
    // oldest upload first, each exactly as the upload answered it (the list builds them in SQL)
    expect(messages[0].attachments).toEqual([a, b]);
  });
});

describe('GET /attachments/:id/download', () => {
  it('serves the bytes as a download with protective headers', async () => {
    const ticket = await openTicket(t, agent);
    const a = (await upload(t, agent, 'চালান মার্চ.txt', 'text/plain', 'plain text body')).json();
    await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'x', attachmentIds: [a.id] });
    const res = await api(t, other, 'GET', `/attachments/${a.id}/download`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('plain text body');
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="_____ _____.txt"; filename*=UTF-8''${encodeURIComponent('চালান মার্চ.txt')}`,
    );
  });

  it('serves HTML, SVG and XML as opaque bytes', async () => {
    const ticket = await openTicket(t, agent);
    const payloads: Array<[string, string, string]> = [
      ['page.html', 'text/html', '<script>alert(1)</script>'],
      ['logo.svg', 'image/svg+xml', '<svg onload="alert(1)"/>'],
      ['data.xml', 'application/xml', '<x/>'],
    ];
    for (const [name, type, body] of payloads) {
      const a = (await upload(t, agent, name, type, body)).json();
      await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: name, attachmentIds: [a.id] });
      const res = await api(t, agent, 'GET', `/attachments/${a.id}/download`);
      expect(res.headers['content-type'], name).toBe('application/octet-stream');
      expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    }
  });

  it('answers 404 to anyone who cannot see the ticket, and for unlinked uploads of others', async () => {
    const hidden = await openTicket(t, agent);
    const a = (await upload(t, agent, 'secret.txt', 'text/plain', 'secret')).json();
    expect((await api(t, other, 'GET', `/attachments/${a.id}/download`)).statusCode).toBe(404);
    expect((await api(t, agent, 'GET', `/attachments/${a.id}/download`)).statusCode).toBe(200);
    await api(t, agent, 'POST', `/tickets/${hidden.id}/messages`, { body: 'x', attachmentIds: [a.id] });
    expect((await api(t, collaborator, 'GET', `/attachments/${a.id}/download`)).statusCode).toBe(404);
    await api(t, agent, 'POST', `/tickets/${hidden.id}/collaborators`, { userId: collaborator.id });
    expect((await api(t, collaborator, 'GET', `/attachments/${a.id}/download`)).statusCode).toBe(200);
    expect((await api(t, agent, 'GET', '/attachments/00000000-0000-4000-8000-000000000000/download')).statusCode).toBe(
      404,
    );
    expect((await api(t, null, 'GET', `/attachments/${a.id}/download`)).statusCode).toBe(401);
  });
});

describe('deleteOrphanAttachments', () => {
  it('removes old uploads never put on a message, keeping shared and linked files', async () => {
    const clock = t.clock as ManualClock;
    const ticket = await openTicket(t, agent);
    const orphan = (await upload(t, agent, 'orphan.txt', 'text/plain', 'orphan only')).json();
    const shared = (await upload(t, agent, 'shared.txt', 'text/plain', 'shared bytes')).json();
    const linked = (await upload(t, agent, 'linked.txt', 'text/plain', 'shared bytes')).json();
    await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'x', attachmentIds: [linked.id] });
    const orphanFile = path.join(
      t.config.dataDir,
      'attachments',
      orphan.sha256.slice(0, 2),
      orphan.sha256.slice(2, 4),
      orphan.sha256,
    );
    const old = new Date(clock.now().getTime() - 3 * 24 * 3600 * 1000);
    await fs.utimes(orphanFile, old, old);

    expect(await deleteOrphanAttachments(t.deps)).toEqual({ rows: 0, files: 0 });
    clock.advance(2 * 24 * 3600 * 1000);
    const result = await deleteOrphanAttachments(t.deps);
    // earlier tests in this file left orphans too
    expect(result.files).toBeGreaterThanOrEqual(1);
    await expect(fs.stat(orphanFile)).rejects.toThrow();
    expect((await api(t, agent, 'GET', `/attachments/${orphan.id}/download`)).statusCode).toBe(404);
    expect((await api(t, agent, 'GET', `/attachments/${shared.id}/download`)).statusCode).toBe(404);
    const kept = await api(t, agent, 'GET', `/attachments/${linked.id}/download`);
    expect(kept.statusCode).toBe(200);
    expect(kept.body).toBe('shared bytes');
  });

  it('sweeps in one process at a time: while another holds the lock, this one skips the round', async () => {
    const clock = t.clock as ManualClock;
    const orphan = (await upload(t, agent, 'late-orphan.txt', 'text/plain', 'late orphan bytes')).json();
    clock.advance(2 * 24 * 3600 * 1000);
    const other = await t.deps.database.pool.connect();
    try {
      await other.query('SELECT pg_advisory_lock(7340001)');
      expect(await sweepOrphanAttachments(t.deps)).toBeNull();
      expect((await api(t, agent, 'GET', `/attachments/${orphan.id}/download`)).statusCode).toBe(200);
      await other.query('SELECT pg_advisory_unlock(7340001)');
    } finally {
      other.release();
    }
    const swept = await sweepOrphanAttachments(t.deps);
    expect(swept?.rows).toBeGreaterThanOrEqual(1);
    expect((await api(t, agent, 'GET', `/attachments/${orphan.id}/download`)).statusCode).toBe(404);
  });
});
