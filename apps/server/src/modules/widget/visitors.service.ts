import type { WidgetVisitor, WidgetVisitorBody } from '@seva/contracts';
import { and, eq } from 'drizzle-orm';
import { newSecret, sha256Hex } from '../../platform/auth/tokens.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { chatVisitors, customerIdentities, customers } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { recordEvent } from '../../platform/events.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { findOrCreateCustomerByEmail } from '../customers/find-or-create-customer.ts';
import { normaliseEmail } from '../customers/index.ts';
import { verifyIdentitySignature } from './identity-verification.ts';
import { identityRejected, tooMany, widgetNotFound } from './widget.errors.ts';
import { findActiveWidget, findVisitorByToken, type VisitorRow, type WidgetRow } from './widget.repository.ts';
import { widgetSecretBox } from './widget-secret-box.ts';
import { createRateLimiter, WIDGET_LIMITS } from './rate-limiter.ts';

const SYSTEM = { kind: 'system' } as const;
const visitorsPerIp = createRateLimiter(WIDGET_LIMITS.visitorsPerIp);

export interface StartVisitorInput {
  body: WidgetVisitorBody;
  ip: string;
  userAgent: string | undefined;
}

function toDto(v: VisitorRow, token: string): WidgetVisitor {
  return { visitorToken: token, visitorId: v.id, isVerified: v.isVerified, name: v.name, email: v.email };
}

/** The customer a verified site user maps to: by verified email, else by `<widgetId>:<userId>`; created when new. */
async function customerForIdentity(
  tx: DbOrTx,
  widget: WidgetRow,
  identity: NonNullable<WidgetVisitorBody['identity']>,
  emailVerified: boolean,
  now: Date,
): Promise<string> {
  const external = `${widget.id}:${identity.userId}`;
  let customerId: string;
  if (emailVerified && identity.email) {
    const c = await findOrCreateCustomerByEmail(tx, { email: identity.email, name: identity.name, now });
    customerId = c.id;
  } else {
    const [known] = await tx
      .select({ customerId: customerIdentities.customerId })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.kind, 'external'), eq(customerIdentities.value, external)));
    if (known) return known.customerId;
    const name = identity.name?.trim() || identity.userId;
    const [c] = await tx
      .insert(customers)
      .values({ name, searchText: normaliseForSearch(name), createdAt: now, updatedAt: now })
      .returning({ id: customers.id });
    if (!c) throw new Error('customer insert returned nothing');
    customerId = c.id;
    await recordEvent(tx, {
      type: 'customer.created',
      actor: SYSTEM,
      customerId,
      payload: { name, source: 'widget' },
      at: now,
    });
  }
  await tx
    .insert(customerIdentities)
    .values({ customerId, kind: 'external', value: external, isVerified: true, createdAt: now })
    .onConflictDoNothing({ target: [customerIdentities.kind, customerIdentities.value] });
  return customerId;
}

/**
 * POST /widget/v1/visitors: resumes the visitor holding `visitorToken` or starts a new one (a random token, only
 * its hash stored). With `identity` the HMAC signature is checked first (timing-safe); a bad one is refused and
 * links nothing. A verified visitor is linked to its customer; a resumed visitor verified as someone else, or a
 * verified one arriving without identity (the site signed out), starts afresh so nobody inherits another's history.
 */
export async function startVisitor(deps: Deps, input: StartVisitorInput): Promise<WidgetVisitor> {
  const { body } = input;
  const now = deps.clock.now();
  const widget = await findActiveWidget(deps.db, body.key);
  if (!widget) throw widgetNotFound();

  let emailVerified = false;
  if (body.identity) {
    if (!widget.identitySecretEnc) throw identityRejected();
    let secret: string;
    try {
      secret = widgetSecretBox(deps).open(widget.identitySecretEnc);
    } catch {
      throw identityRejected();
    }
    const check = verifyIdentitySignature(secret, body.identity);
    if (!check.ok) throw identityRejected();
    emailVerified = check.emailVerified;
  }

  const resumed = body.visitorToken ? await findVisitorByToken(deps.db, body.visitorToken) : null;
  let visitor = resumed && resumed.widget.id === widget.id ? resumed.visitor : null;
  if (visitor?.isVerified && (!body.identity || visitor.externalUserId !== body.identity.userId)) visitor = null;

  const page = {
    ...(body.page?.url !== undefined ? { lastPageUrl: body.page.url } : {}),
    ...(body.page?.title !== undefined ? { lastPageTitle: body.page.title } : {}),
    ...(body.page?.referrer !== undefined ? { referrer: body.page.referrer } : {}),
    ...(body.locale ? { locale: body.locale } : {}),
    ...(input.userAgent ? { userAgent: input.userAgent.slice(0, 500) } : {}),
  };
  if (!visitor && !visitorsPerIp.take(`ip:${input.ip}`)) throw tooMany('new visitors from this address');

  return deps.db.transaction(async (tx) => {
    const identityFields = body.identity
      ? {
          customerId: await customerForIdentity(tx, widget, body.identity, emailVerified, now),
          externalUserId: body.identity.userId,
          isVerified: true,
          ...(body.identity.name ? { name: body.identity.name } : {}),
          ...(body.identity.email ? { email: normaliseEmail(body.identity.email) } : {}),
        }
      : {};
    if (visitor) {
      const [row] = await tx
        .update(chatVisitors)
        .set({ ...page, ...identityFields, lastSeenAt: now })
        .where(eq(chatVisitors.id, visitor.id))
        .returning();
      return toDto(row ?? visitor, body.visitorToken as string);
    }
    const token = newSecret(32);
    const [row] = await tx
      .insert(chatVisitors)
      .values({
        widgetId: widget.id,
        tokenHash: sha256Hex(token),
        ...page,
        ...identityFields,
        lastSeenAt: now,
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error('visitor insert returned nothing');
    return toDto(row, token);
  });
}
