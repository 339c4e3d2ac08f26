import { KB_LOCALES, type KbLocale } from '@seva/contracts';
import { asc, eq } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { mailboxes } from '../../platform/db/schema/index.ts';
import {
  deskBaseUrl,
  type NoticeMail,
  noReplyAddress,
  type OutboundEmailRow,
} from '../insights/deliver-notice-email.ts';
import { helpText } from './help-i18n.ts';
import { customerByEmail, SIGN_IN_KIND } from './help-portal.service.ts';

export { SIGN_IN_KIND };

import { signSignInLink } from './help-portal-auth.ts';
import { getKbSettings } from './kb-settings.service.ts';

/**
 * Where sign-in links point: the help centre's custom domain, else SEVA_PUBLIC_URL, else this server's local
 * address. Never the Host of the request that asked for the link (anyone can send any Host: a link to their site
 * would hand them the token).
 */
export async function helpCentreOrigin(db: DbOrTx, config: Config): Promise<string> {
  const settings = await getKbSettings(db);
  if (settings.customDomain) return `https://${settings.customDomain}`;
  return deskBaseUrl(config);
}

/**
 * The sign-in mail for one queued row, written when it is sent: a fresh link (valid 15 minutes from now) in the
 * page's language, from the desk's first active mailbox (else no-reply). Not sent when the address no longer
 * belongs to a customer.
 */
export async function composeSignInEmail(
  deps: { config: Config; now: () => Date },
  tx: DbOrTx,
  row: OutboundEmailRow,
): Promise<NoticeMail> {
  const locale = row.idempotencyKey.split(':')[1] as KbLocale;
  if (!(KB_LOCALES as readonly string[]).includes(locale)) return { skip: 'malformed key' };
  if (!(await customerByEmail(tx, row.recipient))) return { skip: 'the address belongs to no customer' };
  const token = await signSignInLink(tx, deps.config.secret, { email: row.recipient, now: deps.now() });
  const url = `${await helpCentreOrigin(tx, deps.config)}/help/${locale}/sign-in/link?token=${encodeURIComponent(token)}`;
  const [mailbox] = await tx
    .select()
    .from(mailboxes)
    .where(eq(mailboxes.status, 'active'))
    .orderBy(asc(mailboxes.createdAt))
    .limit(1);
  return {
    mail: {
      from: {
        name: mailbox ? mailbox.fromName || mailbox.name : 'Seva',
        address: mailbox?.address ?? noReplyAddress(deps.config.publicUrl),
      },
      to: row.recipient,
      subject: helpText(locale, 'linkConfirmTitle'),
      text: `${helpText(locale, 'signInIntro')}\n\n${url}\n`,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    },
  };
}
