import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser.ts';
import { type SevaServer, startServer } from './support/server.ts';

/**
 * An admin made from the command line configures the desk in the browser: categories with Bengali and Hindi names,
 * a dropdown custom field, a team, desk settings, and an API token that is shown once, works, and can be revoked.
 */
let server: SevaServer;
let browser: Browser;

const ADMIN = { name: 'Meera Admin', email: 'meera@example.com', password: 'a sturdy passphrase' };

beforeAll(async () => {
  server = await startServer();
  const created = await server.runCli([
    'admin',
    'create',
    '--email',
    ADMIN.email,
    '--password',
    ADMIN.password,
    '--name',
    ADMIN.name,
  ]);
  expect(created.code, created.stderr).toBe(0);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page: Page): Promise<void> {
  await page.goto('/login?next=/admin');
  await page.getByTestId('login-email').fill(ADMIN.email);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('admin-tab-staff').waitFor();
}

async function pick(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('admin configuration', () => {
  it('skips the first-run screen when an admin was created from the command line, and returns to `next` after sign-in', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    try {
      await page.goto('/setup');
      await page.getByTestId('login-email').waitFor();
      await signIn(page);
      expect(new URL(page.url()).pathname).toBe('/admin');
      // Every admin tab is there for an admin.
      for (const tab of ['staff', 'teams', 'categories', 'fields', 'tokens', 'settings']) {
        expect(await page.getByTestId(`admin-tab-${tab}`).count()).toBe(1);
      }
    } finally {
      await context.close();
    }
  });

  it('creates a category with Bengali and Hindi names and a dropdown custom field', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    try {
      await signIn(page);
      await page.getByTestId('admin-tab-categories').click();
      await page.getByTestId('category-create').click();
      await page.getByTestId('category-name').fill('Billing');
      await page.getByTestId('category-name-bn').fill('বিলিং');
      await page.getByTestId('category-name-hi').fill('बिलिंग');
      await page.getByTestId('category-save').click();
      const row = page.getByTestId('category-row-Billing');
      await row.waitFor();
      expect(await row.textContent()).toContain('বিলিং');
      expect(await row.textContent()).toContain('बिलिंग');

      await page.getByTestId('admin-tab-fields').click();
      await page.getByTestId('field-create').click();
      await page.getByTestId('field-label').fill('Plan');
      expect(await page.getByTestId('field-key').inputValue()).toBe('plan');
      await pick(page, 'field-type', 'Dropdown');
      // An empty choice is caught before saving.
      await page.getByTestId('field-save').click();
      await page.getByText('This is required').first().waitFor();
      await page.getByTestId('option-value-0').fill('gold');
      await page.getByTestId('option-add').click();
      await page.getByTestId('option-value-1').fill('silver');
      await page.getByTestId('field-save').click();
      const fieldRow = page.getByTestId('field-row-plan');
      await fieldRow.waitFor();
      expect(await fieldRow.textContent()).toContain('Dropdown');
      expect(await fieldRow.textContent()).toContain('2 choices');

      const fields = await page.evaluate(async () => (await fetch('/api/v1/custom-fields')).json());
      expect(fields.items[0].options.map((o: { value: string }) => o.value)).toEqual(['gold', 'silver']);
    } finally {
      await context.close();
    }
  });

  it('creates a team and saves desk settings', async () => {
    const context = await newContext(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    try {
      await signIn(page);
      await page.goto('/admin?tab=teams');
      await page.getByTestId('team-create').click();
      await page.getByTestId('team-name').fill('Refunds');
      await pick(page, 'team-lead', `${ADMIN.name} <${ADMIN.email}>`);
      await page.getByTestId('team-save').click();
      const card = page.getByTestId('team-Refunds');
      await card.waitFor();
      expect(await card.textContent()).toContain(ADMIN.name);
      expect(await card.textContent()).toContain('1 member');

      await page.goto('/admin?tab=settings');
      await page.getByTestId('settings-desk-name').fill('Asha Telecom Support');
      await page.getByRole('switch', { name: "Collaborators' public replies need supervisor approval" }).click();
      const wanted = await page.getByTestId('settings-approval').isChecked();
      await page.getByTestId('settings-save').click();
      await page.getByText('Settings saved').waitFor();
      const settings = await page.evaluate(async () => (await fetch('/api/v1/settings')).json());
      expect(settings).toMatchObject({ deskName: 'Asha Telecom Support', collaboratorRepliesNeedApproval: wanted });
    } finally {
      await context.close();
    }
  });

  it('shows a new API token once; it works until it is revoked', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    try {
      await signIn(page);
      await page.getByTestId('admin-tab-tokens').click();
      await page.getByTestId('token-create').click();
      await page.getByTestId('token-name').fill('Reporting script');
      await page.getByTestId('token-submit').click();
      const token = await page.getByTestId('token-value').inputValue();
      expect(token.length).toBeGreaterThan(20);

      const auth = { authorization: `Bearer ${token}` };
      expect((await fetch(`${server.baseUrl}/api/v1/staff`, { headers: auth })).status).toBe(200);

      await page.getByTestId('token-done').click();
      const row = page.getByTestId('token-row-Reporting script');
      await row.waitFor();
      // Only the prefix is ever shown again.
      expect(await page.content()).not.toContain(token);

      await page.getByTestId('token-revoke-Reporting script').click();
      await page.getByTestId('confirm-ok').click();
      await page.getByText('Token Reporting script revoked').waitFor();
      expect((await fetch(`${server.baseUrl}/api/v1/staff`, { headers: auth })).status).toBe(401);
    } finally {
      await context.close();
    }
  });
});

describe('profile', () => {
  const DEV = { name: 'Dev', email: 'dev@example.com', password: 'first password here', next: 'second password here' };

  it('changes name, language and password; the old password and other sessions stop working', async () => {
    const created = await server.runCli([
      'admin',
      'create',
      '--email',
      DEV.email,
      '--password',
      DEV.password,
      '--name',
      DEV.name,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const laptop = await newContext(browser, server.baseUrl);
    const phone = await newContext(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    try {
      const signInAs = async (page: Page, password: string) => {
        await page.goto('/login');
        await page.getByTestId('login-email').fill(DEV.email);
        await page.getByTestId('login-password').fill(password);
        await page.getByTestId('login-submit').click();
      };
      const a = await laptop.newPage();
      const b = await phone.newPage();
      await signInAs(a, DEV.password);
      await a.getByTestId('user-menu').waitFor();
      await signInAs(b, DEV.password);
      await b.getByTestId('user-menu').waitFor();

      await a.goto('/profile');
      await a.getByTestId('profile-name').fill('Dev Patel');
      await pick(a, 'profile-locale', 'हिन्दी — Hindi');
      await a.getByTestId('profile-save').click();
      await a.getByRole('link', { name: 'प्रोफ़ाइल' }).waitFor();
      expect(await a.getByTestId('user-menu').textContent()).toBe('Dev Patel');

      // A wrong current password is named as such (in Hindi now).
      await a.getByTestId('password-current').fill('not my password');
      await a.getByTestId('password-new').fill(DEV.next);
      await a.getByTestId('password-confirm').fill(DEV.next);
      await a.getByTestId('password-save').click();
      await a.getByText('मौजूदा पासवर्ड सही नहीं है').waitFor();

      await a.getByTestId('password-current').fill(DEV.password);
      await a.getByTestId('password-save').click();
      await a.getByText('पासवर्ड बदल दिया गया').waitFor();

      // The phone's session has ended; the old password no longer works, the new one does.
      await b.reload();
      await b.getByTestId('login-email').waitFor();
      await signInAs(b, DEV.password);
      await b.getByTestId('login-error').waitFor();
      await b.getByTestId('login-password').fill(DEV.next);
      await b.getByTestId('login-submit').click();
      await b.getByRole('link', { name: 'प्रोफ़ाइल' }).waitFor({ state: 'attached' });
    } finally {
      await laptop.close();
      await phone.close();
    }
  });
});
