import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '../src/modules/widget/index.ts';
import { chatVisitors, customerIdentities, tickets, widgets } from '../src/platform/db/schema/index.ts';
import { createStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { openTicket } from './tickets-helpers.ts';
import { insertWidget, newVisitor, startChat, type TestWidget, visitorRequest } from './widget-helpers.ts';

let t: TestApp;
let widget: TestWidget;

beforeAll(async () => {
  t = await createTestApp();
  widget = await insertWidget(t);
});
afterAll(async () => {
  await t?.close();
});

const listIds = async (token: string) =>
  ((await visitorRequest(t.app, token, 'GET', '/conversations')).json().items as Array<{ id: string }>).map(
    (c) => c.id,
  );

describe('identity verification', () => {
  it("recognises a signed user id on every device and shows that customer's chats", async () => {
    const identity = { userId: 'user-42', name: 'Kabir', signature: signIdentity(widget.secret, 'user-42') };
    const laptop = await newVisitor(t.app, widget.key, { identity });
    expect(laptop).toMatchObject({ isVerified: true, name: 'Kabir' });
    const { conversation } = await startChat(t.app, laptop.visitorToken, 'From my laptop');
    const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.id, conversation.id));
    const [external] = await t.deps.db
      .select()
      .from(customerIdentities)
      .where(and(eq(customerIdentities.kind, 'external'), eq(customerIdentities.value, `${widget.id}:user-42`)));
    expect(external?.customerId).toBe(ticket?.customerId);

    const phone = await newVisitor(t.app, widget.key, { identity });
    expect(phone.visitorId).not.toBe(laptop.visitorId);
    expect(await listIds(phone.visitorToken)).toEqual([conversation.id]);
    const msgs = await visitorRequest(t.app, phone.visitorToken, 'GET', `/conversations/${conversation.id}/messages`);
    expect(msgs.json().items[0].bodyText).toBe('From my laptop');

    const anonymous = await newVisitor(t.app, widget.key);
    expect(anonymous.isVerified).toBe(false);
    expect(await listIds(anonymous.visitorToken)).toEqual([]);
    expect(
      (await visitorRequest(t.app, anonymous.visitorToken, 'GET', `/conversations/${conversation.id}/messages`))
        .statusCode,
    ).toBe(404);
  });

  it('links a signed email to the customer who owns it', async () => {
    const agent = await createStaff(t, 'agent');
    const earlier = await openTicket(t, agent, { email: 'meera@example.com', name: 'Meera' });
    const identity = {
      userId: 'u-meera',
      email: 'meera@example.com',
      signature: signIdentity(widget.secret, 'u-meera', 'meera@example.com'),
    };
    const v = await newVisitor(t.app, widget.key, { identity });
    const [row] = await t.deps.db.select().from(chatVisitors).where(eq(chatVisitors.id, v.visitorId));
    expect(row?.customerId).toBe(earlier.customer.id);
  });

  it('never links an email that only rides along a user-id signature', async () => {
    const agent = await createStaff(t, 'agent');
    const victim = await openTicket(t, agent, { email: 'victim@example.com' });
    // an attacker holding a valid signature for their own user id claims someone else's address
    const identity = {
      userId: 'attacker',
      email: 'victim@example.com',
      signature: signIdentity(widget.secret, 'attacker'),
    };
    const v = await newVisitor(t.app, widget.key, { identity });
    expect(v.isVerified).toBe(true);
    const [row] = await t.deps.db.select().from(chatVisitors).where(eq(chatVisitors.id, v.visitorId));
    expect(row?.customerId).not.toBe(victim.customer.id);
  });

  it('refuses a bad signature with a clear error and links nothing', async () => {
    const anon = await newVisitor(t.app, widget.key);
    const res = await t.app.inject({
      method: 'POST',
      url: '/widget/v1/visitors',
      payload: {
        key: widget.key,
        visitorToken: anon.visitorToken,
        identity: { userId: 'user-42', signature: signIdentity('wrong-secret', 'user-42') },
      },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors[0].path).toBe('identity.signature');
    const [row] = await t.deps.db.select().from(chatVisitors).where(eq(chatVisitors.id, anon.visitorId));
    expect(row).toMatchObject({ isVerified: false, customerId: null, externalUserId: null });
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/widget/v1/visitors',
      payload: { key: widget.key, identity: { userId: 'x', signature: 'nothex' } },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('signature');
  });

  it('starts afresh when a verified visitor comes back signed out or as someone else', async () => {
    const identity = { userId: 'user-77', signature: signIdentity(widget.secret, 'user-77') };
    const v = await newVisitor(t.app, widget.key, { identity });
    await startChat(t.app, v.visitorToken, 'Private to user 77');
    const signedOut = await newVisitor(t.app, widget.key, { visitorToken: v.visitorToken });
    expect(signedOut.visitorId).not.toBe(v.visitorId);
    expect(signedOut.isVerified).toBe(false);
    expect(await listIds(signedOut.visitorToken)).toEqual([]);
    const resumed = await newVisitor(t.app, widget.key, { visitorToken: v.visitorToken, identity });
    expect(resumed.visitorId).toBe(v.visitorId);
    const unknownKey = await t.app.inject({
      method: 'POST',
      url: '/widget/v1/visitors',
      payload: { key: 'wk_missing' },
    });
    expect(unknownKey.statusCode).toBe(404);
  });

  it('answers the public config for an active widget and 404 for an unknown one', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/widget/v1/config?key=${widget.key}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      key: widget.key,
      greetings: { bn: 'নমস্কার!' },
      isOpen: true,
      agentsAvailable: false,
      opensAt: null,
    });
    expect(res.body).not.toContain(widget.secret);
    expect((await t.app.inject({ method: 'GET', url: '/widget/v1/config?key=nope' })).statusCode).toBe(404);
  });

  it('stops answering a disabled widget and its visitors', async () => {
    const w = await insertWidget(t);
    const v = await newVisitor(t.app, w.key);
    await t.deps.db.update(widgets).set({ status: 'disabled' }).where(eq(widgets.id, w.id));
    expect((await t.app.inject({ method: 'GET', url: `/widget/v1/config?key=${w.key}` })).statusCode).toBe(404);
    expect((await visitorRequest(t.app, v.visitorToken, 'GET', '/conversations')).statusCode).toBe(401);
  });
});
