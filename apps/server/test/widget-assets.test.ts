import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoWidget } from '../src/demo/seed-demo-widget.ts';
import { DEFAULT_WIDGET_DIST } from '../src/modules/widget-assets/index.ts';
import { widgets } from '../src/platform/db/schema/index.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { insertWidget, type TestWidget } from './widget-helpers.ts';

/** The widget's served files: the loader, the frame with its CSP, its assets, the launcher config and the demo page. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let t: TestApp;
let widget: TestWidget;

beforeAll(async () => {
  // the same check `npm start` runs: builds the widget when missing or older than its sources
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/ensure-web-build.mjs'), 'widget'], { cwd: ROOT, stdio: 'ignore' });
  t = await createTestApp();
  widget = await insertWidget(t);
  await t.deps.db
    .update(widgets)
    .set({ allowedOrigins: ['https://shop.example', 'http://localhost:5173', "https://evil.example; script-src *"], primaryColor: '#aa3300' })
    .where(eq(widgets.id, widget.id));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('the loader', () => {
  it('is served as a script any site may load, under 25 KB gzipped (measured on the built file)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const built = readFileSync(path.join(DEFAULT_WIDGET_DIST, 'loader', 'widget.js'));
    expect(res.rawPayload.equals(built)).toBe(true);
    expect(gzipSync(built).length).toBeLessThan(25 * 1024);
    // the loader never posts to any origin but Seva's
    expect(built.toString('utf8')).not.toMatch(/postMessage\([^)]*["']\*["']/);
  });

  it('is not swallowed by the agent app', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/widget.js', headers: { accept: 'text/html' } });
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
  });
});

describe('the launcher config', () => {
  it('answers an allowed site with CORS for that origin only', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/widget/launcher?key=${widget.key}`, headers: { origin: 'https://shop.example' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(res.json()).toEqual({ primaryColor: '#aa3300', position: 'right' });
  });

  it('gives a site that may not embed the widget no CORS permission', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/widget/launcher?key=${widget.key}`, headers: { origin: 'https://other.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers an unknown key with a 404 problem naming the key', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/widget/launcher?key=wk_nope', headers: { origin: 'https://shop.example' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().errors[0].path).toBe('key');
  });
});

describe('the frame', () => {
  it('may be embedded only by Seva and the allowed origins, runs only its own scripts', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/widget/frame?key=${widget.key}&origin=https%3A%2F%2Fshop.example` });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'self' https://shop.example http://localhost:5173");
    // a malformed origin in the table never reaches the header
    expect(csp).not.toContain('evil.example');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.body).not.toMatch(/<script>(?!<)/);
    expect(res.body).toMatch(/<script type="module" src="\/widget\/assets\/frame-[\w-]+\.js"><\/script>/);
    expect(res.body).toMatch(/<link rel="stylesheet" href="\/widget\/assets\/files\/main-[\w-]+\.css">/);
    expect(res.body).toContain(`data-key="${widget.key}"`);
    expect(res.body).toContain('data-allowed-origins="[&quot;https://shop.example&quot;,&quot;http://localhost:5173&quot;]"');
  });

  it('is a 404 for an unknown or disabled widget', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/widget/frame?key=wk_unknown' })).statusCode).toBe(404);
    const off = await insertWidget(t);
    await t.deps.db.update(widgets).set({ status: 'disabled' }).where(eq(widgets.id, off.id));
    const res = await t.app.inject({ method: 'GET', url: `/widget/frame?key=${off.key}`, headers: { 'accept-language': 'hi' } });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('यह सहायता विजेट मौजूद नहीं है या बंद है।');
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });

  it('serves its script, style and lazy chunks', async () => {
    const frame = await t.app.inject({ method: 'GET', url: `/widget/frame?key=${widget.key}` });
    const entry = /src="(\/widget\/assets\/frame-[\w-]+\.js)"/.exec(frame.body)?.[1] ?? '';
    const style = /href="(\/widget\/assets\/files\/[\w-]+\.css)"/.exec(frame.body)?.[1] ?? '';
    const js = await t.app.inject({ method: 'GET', url: entry });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    const css = await t.app.inject({ method: 'GET', url: style });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    const chunk = /chunks\/chat-screen-[\w-]+\.js/.exec(js.body)?.[0];
    expect(chunk, 'the chat screen is a lazy chunk').toBeTruthy();
    const lazy = await t.app.inject({ method: 'GET', url: `/widget/assets/${chunk}` });
    expect(lazy.statusCode).toBe(200);
    // chunks import the entry by its own URL, so the app's modules are evaluated once
    expect(lazy.body).toContain(`../${entry.split('/').pop()}`);
    expect((await t.app.inject({ method: 'GET', url: '/widget/assets/..%2f..%2fpackage.json' })).statusCode).toBe(404);
    // the first paint needs the entry only: far under 25 KB gzipped
    expect(gzipSync(js.rawPayload).length).toBeLessThan(25 * 1024);
  });
});

describe('the demo page', () => {
  it('embeds the first active widget with its snippet, in the language asked for', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/widget-demo', headers: { 'accept-language': 'bn-BD,en;q=0.5', accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="bn">');
    expect(res.body).toContain('সেবা সাহায্য উইজেটের ডেমো');
    expect(res.body).toContain(`<script src="/widget.js" data-seva-key="${widget.key}" async></script>`);
    expect(res.body).toContain(`data-seva-key=&quot;${widget.key}&quot;`);
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('embeds the widget of ?key= and passes ?lang= on to it', async () => {
    const other = await insertWidget(t);
    const res = await t.app.inject({ method: 'GET', url: `/widget-demo?key=${other.key}&lang=hi` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`data-seva-key="${other.key}" data-seva-language="hi"`);
    expect(res.body).toContain('सेवा सहायता विजेट का डेमो');
  });

  it('says an unknown key names no widget', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/widget-demo?key=wk_nothing&lang=en' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('No active widget has this key');
    expect(res.body).not.toContain('/widget.js');
  });
});

describe('a desk without widgets', () => {
  it('tells how to create one, until `seva demo` adds one', async () => {
    const empty = await createTestApp();
    try {
      const res = await empty.app.inject({ method: 'GET', url: '/widget-demo?lang=en' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Create one in Admin → Widgets');
      expect(res.body).not.toContain('<script');
      // `seva demo` adds a "Website" widget to such a desk (once), and the demo page embeds it
      expect(await seedDemoWidget(empty.deps.db, new Date())).toBe(1);
      expect(await seedDemoWidget(empty.deps.db, new Date())).toBe(0);
      const demo = await empty.app.inject({ method: 'GET', url: '/widget-demo?lang=bn' });
      expect(demo.body).toContain('“Website”');
      expect(demo.body).toMatch(/<script src="\/widget\.js" data-seva-key="wk_[\w-]+" data-seva-language="bn" async><\/script>/);
    } finally {
      await empty.close();
    }
  });
});
