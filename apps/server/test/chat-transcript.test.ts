import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visitorStartsChat } from './chat-helpers.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { startSink, textOf } from './fakes/smtp-sink.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api } from './tickets-helpers.ts';
import { insertWidget, sleep, type TestWidget } from './widget-helpers.ts';

let t: TestApp;
let sink: Awaited<ReturnType<typeof startSink>>;
let agent: TestStaff;
let collab: TestStaff;
let w: TestWidget;

beforeAll(async () => {
  sink = await startSink();
  t = await createTestApp({ env: { SEVA_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}` } });
  agent = await createStaff(t, 'agent', { name: 'Tara Transcript' });
  collab = await createStaff(t, 'collaborator');
  w = await insertWidget(t);
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

async function mailTo(address: string) {
  for (let i = 0; i < 100; i += 1) {
    const hit = sink.mails.find((m) => m.to.includes(address));
    if (hit) return hit;
    await sleep(50);
  }
  throw new Error(`no mail to ${address}`);
}

describe('transcripts from the agent side', () => {
  it("emails the chat to the visitor's address without internal notes, or to a given one; needs an address", async () => {
    const chat = await visitorStartsChat(t, w.key, { email: 'visitor@example.org', body: 'Where is my parcel?' });
    expect((await api(t, agent, 'POST', `/tickets/${chat.ticketId}/messages`, { body: 'SECRET-NOTE about fraud', internal: true })).statusCode).toBe(201);
    expect((await api(t, agent, 'POST', `/tickets/${chat.ticketId}/messages`, { body: 'It arrives tomorrow.' })).statusCode).toBe(201);
    const res = await api(t, agent, 'POST', `/chats/${chat.ticketId}/transcript`);
    expect(res.statusCode, res.body).toBe(204);
    const mail = await mailTo('visitor@example.org');
    expect(textOf(mail.raw)).toContain('It arrives tomorrow.');
    expect(mail.raw).not.toContain('SECRET-NOTE');

    expect((await api(t, agent, 'POST', `/chats/${chat.ticketId}/transcript`, { email: 'boss@example.org' })).statusCode).toBe(204);
    await mailTo('boss@example.org');

    const anonymous = await visitorStartsChat(t, w.key);
    const refused = await api(t, agent, 'POST', `/chats/${anonymous.ticketId}/transcript`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].path).toBe('email');
    const bad = await api(t, agent, 'POST', `/chats/${anonymous.ticketId}/transcript`, { email: 'not-an-address' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toContain('email');
    // a collaborator who is not on the chat cannot have it sent anywhere
    expect((await api(t, collab, 'POST', `/chats/${chat.ticketId}/transcript`, { email: 'leak@example.org' })).statusCode).toBe(404);
    await sleep(200);
    expect(sink.mails.some((m) => m.to.includes('leak@example.org'))).toBe(false);
  });
});
