import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let admin: TestStaff;
let agent: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
});
afterAll(async () => {
  await t?.close();
});

function multipart(files: Array<{ name: string; content: string }>, fields: Record<string, string> = {}) {
  const boundary = '----sevaKbTest';
  let body = '';
  for (const [k, v] of Object.entries(fields))
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  for (const f of files) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: text/plain\r\n\r\n${f.content}\r\n`;
  }
  body += `--${boundary}--\r\n`;
  return {
    payload: Buffer.from(body, 'utf8'),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe('knowledge-base import and export', () => {
  it('imports Markdown and HTML files, taking titles from front matter, headings and <title>', async () => {
    const { payload, headers } = multipart(
      [
        { name: 'refunds.md', content: '---\ntitle: "Refunds: how long?"\nlocale: hi\n---\nरिफ़ंड **5 दिन** में मिलता है।' },
        { name: 'password.md', content: '# Reset your password\n\nUse *Forgot password*.' },
        {
          name: 'address.html',
          content:
            '<html><head><title>Change address</title></head><body><h1>Change address</h1><p onclick="x()">Before shipping.</p><script>bad()</script></body></html>',
        },
        { name: 'virus.exe', content: 'MZ' },
      ],
      { status: 'published' },
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/kb/import',
      headers: { ...admin.bearer, ...headers },
      payload,
    });
    expect(res.statusCode).toBe(200);
    const result = res.json();
    expect(result.created.map((c: { title: string; locale: string }) => [c.title, c.locale])).toEqual([
      ['Refunds: how long?', 'hi'],
      ['Reset your password', 'en'],
      ['Change address', 'en'],
    ]);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0].name).toBe('virus.exe');

    const html = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/articles/${result.created[2].articleId}`,
      headers: admin.bearer,
    });
    const body: string = html.json().translations[0].bodyHtml;
    expect(body).toContain('Before shipping.');
    expect(body).not.toMatch(/onclick|script/);
    expect(html.json().translations[0].status).toBe('published');
  });

  it('imports a JSON array and reports the invalid items without stopping', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/kb/import',
      headers: admin.bearer,
      payload: {
        items: [
          { title: 'Shipping times', body: 'Two days.', locale: 'en' },
          { title: 'Bad', body: 'x', locale: 'fr' },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().created).toHaveLength(1);
    expect(res.json().failed[0]).toMatchObject({ index: 1 });
  });

  it('refuses imports from agents', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/kb/import',
      headers: agent.bearer,
      payload: { items: [] },
    });
    expect(res.statusCode).toBe(403);
  });

  it('exports JSON and Markdown that imports back into the same article', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/api/v1/kb/export?format=json', headers: agent.bearer });
    expect(json.statusCode).toBe(200);
    expect(json.json().articles.length).toBeGreaterThanOrEqual(4);
    const md = await t.app.inject({
      method: 'GET',
      url: '/api/v1/kb/export?format=markdown&locale=hi',
      headers: agent.bearer,
    });
    const files: Array<{ path: string; content: string }> = md.json().files;
    expect(files).toHaveLength(1);
    const file = files[0];
    expect(file?.content).toContain('title: "Refunds: how long?"');
    expect(file?.content).toContain('रिफ़ंड **5 दिन**');

    const articleId = file?.path.split('/')[0] ?? '';
    const edited = (file?.content ?? '').replace('5 दिन', '7 दिन');
    const { payload, headers } = multipart([{ name: 'hi.md', content: edited }]);
    const back = await t.app.inject({
      method: 'POST',
      url: '/api/v1/kb/import',
      headers: { ...admin.bearer, ...headers },
      payload,
    });
    expect(back.json().created[0]).toMatchObject({ articleId, locale: 'hi' });
    const article = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/articles/${articleId}`,
      headers: admin.bearer,
    });
    const hi = article.json().translations.find((x: { locale: string }) => x.locale === 'hi');
    expect(hi.version).toBe(2);
    expect(hi.bodyHtml).toContain('<strong>7 दिन</strong>');
  });
});
