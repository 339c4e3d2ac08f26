import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser.ts';
import { createAdminWithToken, databaseUrlOf, type SevaServer, startServer } from './support/server.ts';

/**
 * Search for a word that was common long ago but not lately. One search request walks a bounded number of tickets
 * (the server's walk budget: the messages of at most 2,000 tickets of the word's script, docs/api.md) and answers
 * what it found with a cursor, so the newest pages can be empty. The search page goes on by itself for up to five
 * empty pages, then says nothing was found among the newest tickets and offers to search older ones.
 *
 * The desk (bulk SQL, as the benchmark seeds; oldest first): 5,100 Bengali tickets whose message has "পাটশাক",
 * 5,100 whose message has "ইলিশমাছ", then 5,000 newer Bengali tickets with neither. "ইলিশমাছ" lies 5,000 tickets
 * deep: found on the third page, by the page itself. "পাটশাক" lies 10,100 deep: five empty pages, then the button.
 */
let server: SevaServer;
let browser: Browser;
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };
const OLDER = 'পাটশাক';
const OLD = 'ইলিশমাছ';
const PER_WORD = 5_100;
const NEWER = 5_000;

async function seed(url: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const customer = await db.query<{ id: string }>(
      `INSERT INTO customers (name, search_text) VALUES ('Bulk Customer', 'bulk customer') RETURNING id`,
    );
    const customerId = customer.rows[0]?.id;
    const total = 2 * PER_WORD + NEWER;
    // g = 1 is the oldest ticket; the message's text says which group it is in
    const body = `CASE WHEN g <= ${PER_WORD} THEN 'বাজারে ${OLDER} পাওয়া যায় নি'
                      WHEN g <= ${2 * PER_WORD} THEN 'বাজারে ${OLD} পাওয়া যায় নি'
                      ELSE 'আমার অর্ডার এখনো আসেনি' END`;
    await db.query(
      `WITH t AS (
         INSERT INTO tickets (subject, status, priority, type, language, channel, customer_id, last_seq, message_count,
                              search_text, created_at, updated_at, last_message_at)
         SELECT 'অর্ডারের খোঁজ ' || g, 'open', 'normal', 'question', 'bn', 'email', $1, 1, 1, 'অর্ডারের খোঁজ ' || g,
                now() - (${total} - g) * interval '1 minute', now() - (${total} - g) * interval '1 minute',
                now() - (${total} - g) * interval '1 minute'
           FROM generate_series(1, ${total}) g
         RETURNING id, subject, created_at)
       INSERT INTO messages (ticket_id, seq, kind, author_type, author_customer_id, channel, body_text, search_text,
                             created_at)
       SELECT t.id, 1, 'public', 'customer', $1, 'email', ${body}, ${body}, t.created_at
         FROM t, LATERAL (SELECT split_part(t.subject, ' ', 3)::int AS g) n`,
      [customerId],
    );
    await db.query('ANALYZE tickets, messages');
  } finally {
    await db.end();
  }
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await createAdminWithToken(server, ADMIN, 'tickets:read');
  await seed(await databaseUrlOf(server));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens the search page for `q` signed in as the admin; counts the search requests the page sends. */
async function openSearch(q: string): Promise<{ page: Page; requests: () => number; close: () => Promise<void> }> {
  const ctx = await newContext(browser, server.baseUrl);
  const login = await ctx.request.post('/api/v1/auth/login', {
    data: { email: ADMIN.email, password: ADMIN.password },
  });
  expect(login.status()).toBe(200);
  const page = await ctx.newPage();
  let sent = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/search') sent += 1;
  });
  await page.goto(`/search?q=${encodeURIComponent(q)}`);
  return { page, requests: () => sent, close: () => ctx.close() };
}

describe('searching for a word common long ago but not lately', () => {
  it('finds a word 5,000 tickets deep by going on through the empty pages by itself', {
    timeout: 120_000,
  }, async () => {
    const { page, requests, close } = await openSearch(OLD);
    try {
      const hit = page.getByTestId('search-ticket').first();
      await hit.waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('search-snippet').first().innerHTML()).toContain(`<mark>${OLD}</mark>`);
      // the newest 5,000 tickets fill two empty pages before the third finds it
      expect(requests()).toBeGreaterThanOrEqual(3);
      expect(await page.getByTestId('search-none-recent').count()).toBe(0);
      expect(await page.getByTestId('search-empty').count()).toBe(0);
    } finally {
      await close();
    }
  });

  it('after five empty pages says so and searches older tickets when asked', { timeout: 120_000 }, async () => {
    const { page, requests, close } = await openSearch(OLDER);
    try {
      const none = page.getByTestId('search-none-recent');
      await none.waitFor({ timeout: 60_000 });
      expect(await none.textContent()).toContain(`Nothing found for “${OLDER}” among the newest tickets searched`);
      expect(requests()).toBe(5);
      expect(await page.getByTestId('search-ticket').count()).toBe(0);

      await page.getByRole('button', { name: 'Search older tickets' }).click();
      await page.getByTestId('search-ticket').first().waitFor({ timeout: 60_000 });
      expect(requests()).toBe(6);
      expect(await page.getByTestId('search-snippet').first().innerHTML()).toContain(`<mark>${OLDER}</mark>`);
      await none.waitFor({ state: 'detached' });
    } finally {
      await close();
    }
  });
});
