import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser.ts';
import { type SevaServer, startServer } from './support/server.ts';

/**
 * The first minutes of a new desk, in a real browser against a real server: the first-run screen, creating the
 * admin, signing out and in (with a wrong password first), switching the interface to Bengali, inviting a colleague.
 */
let server: SevaServer;
let browser: Browser;
let shotsDir: string;

const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'correct horse battery' };

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  shotsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-shots-'));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (shotsDir) await fs.rm(shotsDir, { recursive: true, force: true });
});

describe('first run', () => {
  it('takes a new admin from the first-run screen to a Bengali desk', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    try {
      await page.goto('/');
      await page.getByTestId('setup-submit').waitFor();
      expect(page.url()).toContain('/setup');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Set up your help desk');

      // A too-short password is caught before anything is sent.
      await page.getByTestId('setup-name').fill(ADMIN.name);
      await page.getByTestId('setup-email').fill(ADMIN.email);
      await page.getByTestId('setup-password').fill('short');
      await page.getByTestId('setup-confirm').fill('short');
      await page.getByTestId('setup-submit').click();
      await page.getByText('The password needs at least 10 characters').waitFor();

      await page.getByTestId('setup-password').fill(ADMIN.password);
      await page.getByTestId('setup-confirm').fill(ADMIN.password);
      await page.getByTestId('setup-submit').click();

      // Signed in, in the app.
      await page.getByTestId('user-menu').waitFor();
      expect(await page.getByTestId('user-menu').textContent()).toBe(ADMIN.name);
      expect(new URL(page.url()).pathname).toBe('/');

      // The first-run screen is gone for good.
      const status = await page.evaluate(async () => (await fetch('/api/v1/setup/status')).json());
      expect(status).toEqual({ needsSetup: false });

      // Sign out, then a wrong password is refused with a clear message.
      await page.getByTestId('user-menu').click();
      await page.getByTestId('sign-out').click();
      await page.getByTestId('login-email').waitFor();
      await page.getByTestId('login-email').fill(ADMIN.email);
      await page.getByTestId('login-password').fill('not the password');
      await page.getByTestId('login-submit').click();
      const error = page.getByTestId('login-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('The email address or password is not correct.');

      // The right password gets in.
      await page.getByTestId('login-password').fill(ADMIN.password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('user-menu').waitFor();

      // Switch the interface to Bengali: the navigation speaks Bengali.
      await page.getByTestId('language-menu').click();
      await page.getByTestId('language-bn').click();
      await page.getByRole('link', { name: 'অ্যাডমিন' }).waitFor();
      await page.getByRole('link', { name: 'প্রোফাইল' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('bn');

      const shot = path.join(shotsDir, 'desk-bn.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect((await fs.stat(shot)).size).toBeGreaterThan(1000);

      // The choice is saved on the account: a fresh sign-in elsewhere comes back in Bengali.
      const other = await newContext(browser, server.baseUrl);
      const page2 = await other.newPage();
      await page2.goto('/login');
      await page2.getByTestId('login-email').fill(ADMIN.email);
      await page2.getByTestId('login-password').fill(ADMIN.password);
      await page2.getByTestId('login-submit').click();
      await page2.getByRole('link', { name: 'প্রোফাইল' }).waitFor();
      await other.close();
    } finally {
      await context.close();
    }
  });

  it('explains that an invitation link is no longer valid', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    try {
      await page.goto('/invite/not-a-real-token');
      await page.getByTestId('invite-password').fill('a long new password');
      await page.getByTestId('invite-confirm').fill('a long new password');
      await page.getByTestId('invite-submit').click();
      const error = page.getByTestId('invite-error');
      await error.waitFor();
      expect(await error.textContent()).toBe(
        'This invitation is not valid or has expired. Ask your admin for a new one.',
      );
    } finally {
      await context.close();
    }
  });

  it('tells someone who keeps guessing that sign-in is paused', async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    try {
      await page.goto('/login');
      await page.getByTestId('login-email').fill('nobody@example.com');
      let text = '';
      for (let i = 0; i < 8 && !text.includes('Too many attempts'); i++) {
        await page.getByTestId('login-password').fill(`guess number ${i}`);
        await page.getByTestId('login-submit').click();
        await page.getByTestId('login-error').waitFor();
        await page.waitForFunction(() => !document.querySelector('[data-testid="login-submit"][data-loading]'));
        text = (await page.getByTestId('login-error').textContent()) ?? '';
      }
      expect(text).toContain('Too many attempts');
    } finally {
      await context.close();
    }
  });

  it('lets an admin invite a colleague, who sets a password and lands in the desk without admin rights', async () => {
    const adminCtx = await newContext(browser, server.baseUrl);
    const admin = await adminCtx.newPage();
    const agentCtx = await newContext(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    const agent = await agentCtx.newPage();
    try {
      await admin.goto('/login');
      await admin.getByTestId('login-email').fill(ADMIN.email);
      await admin.getByTestId('login-password').fill(ADMIN.password);
      await admin.getByTestId('login-submit').click();
      await admin.getByTestId('user-menu').waitFor();
      await admin.goto('/admin?tab=staff');
      await admin.getByTestId('admin-tab-staff').waitFor();
      await admin.getByTestId('staff-invite').click();
      await admin.getByTestId('invite-email').fill('ravi@example.com');
      await admin.getByTestId('invite-staff-name').fill('Ravi Kumar');
      await admin.getByTestId('invite-staff-submit').click();
      const link = await admin.getByTestId('invite-link').inputValue();
      expect(link).toMatch(new RegExp(`^${server.baseUrl.replace(/[.:/]/g, '\\$&')}/invite/`));

      // A new link replaces the first one (say the email was lost).
      await admin.getByRole('button', { name: /^(Done|হয়ে গেছে)$/ }).click();
      await admin.getByTestId('staff-actions-ravi@example.com').click();
      await admin.getByTestId('staff-resend-ravi@example.com').click();
      const newLink = await admin.getByTestId('invite-link').inputValue();
      expect(newLink).not.toBe(link);
      await admin.getByRole('button', { name: /^(Done|হয়ে গেছে)$/ }).click();

      // The colleague opens the new link on a phone.
      await agent.goto(newLink);
      await agent.getByTestId('invite-password').fill('a long new password');
      await agent.getByTestId('invite-confirm').fill('a long new password');
      await agent.getByTestId('invite-submit').click();
      await agent.getByTestId('user-menu').waitFor({ state: 'attached' });
      expect(await agent.getByTestId('user-menu').textContent()).toBe('Ravi Kumar');
      expect(await agent.locator('a[href="/admin"]').count()).toBe(0);

      // Back in the admin's staff list (in Bengali, the admin's saved language), Ravi is now active.
      await admin.reload();
      const row = admin.getByTestId('staff-row-ravi@example.com');
      await row.waitFor();
      expect(await row.textContent()).toContain('সক্রিয়');

      // The agent has no admin screen even by URL.
      await agent.goto('/admin');
      await agent.getByText('You are not allowed to see this').waitFor();

      // The admin corrects how Ravi's name is written.
      await admin.getByTestId('staff-actions-ravi@example.com').click();
      await admin.getByTestId('staff-rename-ravi@example.com').click();
      await admin.getByTestId('rename-staff-name').fill('Ravi Kumar Sharma');
      await admin.getByTestId('rename-staff-save').click();
      await admin.getByText('Ravi Kumar Sharma হালনাগাদ হয়েছে').waitFor();

      // The admin makes Ravi a supervisor, then disables him: each after a confirmation.
      await admin.getByTestId('staff-role-ravi@example.com').click();
      await admin.getByRole('option', { name: 'সুপারভাইজার', exact: true }).click();
      await admin.getByTestId('confirm-ok').click();
      // (the rename notice may still be showing, so wait for the saved role itself)
      await expect
        .poll(async () => {
          const staff = await admin.evaluate(async () => (await fetch('/api/v1/staff')).json());
          return staff.items.find((u: { email: string }) => u.email === 'ravi@example.com').role;
        })
        .toBe('supervisor');

      await admin.getByTestId('staff-actions-ravi@example.com').click();
      await admin.getByRole('menuitem', { name: 'নিষ্ক্রিয় করুন' }).click();
      await admin.getByTestId('confirm-ok').click();
      await admin.waitForFunction(() =>
        document.querySelector('[data-testid="staff-row-ravi@example.com"]')?.textContent?.includes('নিষ্ক্রিয়'),
      );

      // Ravi's session ends with it.
      await agent.goto('/');
      await agent.getByTestId('login-email').waitFor();
    } finally {
      await adminCtx.close();
      await agentCtx.close();
    }
  });
});
