import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInboundEmail } from '../src/modules/email/process-inbound-email.job.ts';
import { storeInboundEmail } from '../src/modules/email/store-inbound-email.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { handDrivenIngestDeps } from './ingest-deps.ts';
import { api } from './tickets-helpers.ts';

let t: TestApp;
let admin: TestStaff;
let mailboxId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  const mb = await api(t, admin, 'POST', '/mailboxes', { address: 'help@triggers.example.com', name: 'Help' });
  expect(mb.statusCode, mb.body).toBe(201);
  mailboxId = mb.json().id;
});
afterAll(async () => {
  await t?.close();
});

let seq = 0;
/** An email through the mailbox, processed the way the worker does it; answers the inbound row's id. */
async function receive(subject: string): Promise<string> {
  seq += 1;
  const raw = Buffer.from(
    [
      `From: Customer ${seq} <customer${seq}@example.net>`,
      'To: help@triggers.example.com',
      `Subject: ${subject}`,
      `Message-ID: <triggers-${seq}@example.net>`,
      'Date: Mon, 02 Mar 2026 06:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello, my order is late.',
      '',
    ].join('\r\n'),
  );
  const deps = handDrivenIngestDeps(t, () => t.clock.now());
  const stored = await storeInboundEmail(deps, {
    mailboxId,
    source: 'hook',
    envelopeFrom: '',
    envelopeTo: ['help@triggers.example.com'],
    remoteAddress: null,
    raw,
  });
  expect(await processInboundEmail(deps, stored.id)).toBe('processed');
  return stored.id;
}

async function outcomeOf(inboundId: string) {
  const r = await t.deps.db.execute<{
    status: string;
    outcome: string;
    ticket_id: string | null;
    tags: string[] | null;
  }>(
    sql`SELECT i.status, i.outcome, i.ticket_id, t.tags FROM inbound_emails i LEFT JOIN tickets t ON t.id = i.ticket_id
         WHERE i.id = ${inboundId}`,
  );
  return r.rows[0];
}

describe('triggers on emailed tickets', () => {
  it('run in a savepoint of the email’s transaction: a failing rule leaves the ticket and the mail intact', async () => {
    const rule = await api(t, admin, 'POST', '/automations', {
      kind: 'trigger',
      name: 'Impossible on mail',
      events: ['ticket.created'],
      conditions: { all: [{ field: 'subject', op: 'contains', value: ['impossible'] }], any: [] },
      // new → closed is no transition a rule may make: the second action fails, and the first goes with it
      actions: [
        { type: 'add_tags', tags: ['never-kept'] },
        { type: 'set_status', status: 'closed' },
      ],
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const failing = await outcomeOf(await receive('An impossible request'));
    expect(failing).toMatchObject({ status: 'processed', outcome: 'ticket_created', tags: [] });
    const runs = await api(t, admin, 'GET', `/tickets/${failing?.ticket_id}/automation-runs`);
    expect(runs.json().items).toMatchObject([{ ruleName: 'Impossible on mail', outcome: 'failed' }]);
    const messages = await api(t, admin, 'GET', `/tickets/${failing?.ticket_id}/messages`);
    expect(messages.json().items).toHaveLength(1);

    const tagger = await api(t, admin, 'POST', '/automations', {
      kind: 'trigger',
      name: 'Tag mail',
      events: ['ticket.created'],
      conditions: { all: [{ field: 'subject', op: 'contains', value: ['parcel'] }], any: [] },
      actions: [{ type: 'add_tags', tags: ['parcel'] }],
    });
    expect(tagger.statusCode, tagger.body).toBe(201);
    expect(await outcomeOf(await receive('Where is my parcel?'))).toMatchObject({
      status: 'processed',
      outcome: 'ticket_created',
      tags: ['parcel'],
    });
  });
});
