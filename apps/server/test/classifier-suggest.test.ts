import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCategoriesCommand } from '../src/modules/classifier/categories-cli.ts';
import { predictNaiveBayes, trainNaiveBayes } from '../src/modules/classifier/naive-bayes.ts';
import { examplesFromCsv, parseCsv } from '../src/modules/classifier/read-csv.ts';
import { sentimentOf } from '../src/modules/classifier/sentiment.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, openTicket } from './tickets-helpers.ts';

const run = promisify(execFile);
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const BILLING = [
  'I was charged twice on my invoice', 'refund the extra payment please', 'my bill is wrong this month', 'why is the invoice so high',
  'payment failed but money was deducted', 'need a copy of my invoice', 'charged for a plan I cancelled', 'billing amount is incorrect',
  'আমার বিল ভুল এসেছে', 'টাকা দুবার কেটে নিয়েছে', 'मेरा बिल गलत है', 'पैसे दो बार कट गए',
];
const DELIVERY = [
  'my parcel has not arrived yet', 'where is my order delivery', 'the courier never came', 'package delivered to the wrong address',
  'tracking shows no movement', 'delivery is late by a week', 'order still in transit', 'the box arrived damaged',
  'আমার পার্সেল এখনো আসেনি', 'ডেলিভারি কবে হবে', 'मेरा पार्सल अभी तक नहीं आया', 'डिलीवरी कब होगी',
];

let t: TestApp;
let sup: TestStaff;
let agent: TestStaff;
let billing: string;
let delivery: string;
let tmp: string;

beforeAll(async () => {
  t = await createTestApp();
  sup = await createStaff(t, 'supervisor');
  agent = await createStaff(t, 'agent');
  billing = await insertCategory(t, 'Billing');
  delivery = await insertCategory(t, 'Delivery');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'seva-classifier-'));
});
afterAll(async () => {
  await t?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('text classifier', () => {
  it('reads RFC 4180 CSV with quotes, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b\r\n"x, ""y""",2\n"multi\nline",3\n')).toEqual([['a', 'b'], ['x, "y"', '2'], ['multi\nline', '3']]);
    expect(() => examplesFromCsv('a,b\n1,2\n', 'text', 'b')).toThrow(/column "text" not found/);
  });

  it('classifies English, Bengali and Hindi with character n-grams, with a confidence', () => {
    const model = trainNaiveBayes([...BILLING.map((text) => ({ text, label: 'billing' })), ...DELIVERY.map((text) => ({ text, label: 'delivery' }))]);
    expect(predictNaiveBayes(model, 'refund my invoice')[0]?.label).toBe('billing');
    expect(predictNaiveBayes(model, 'পার্সেল কোথায়')[0]?.label).toBe('delivery');
    expect(predictNaiveBayes(model, 'बिल में गलती')[0]?.label).toBe('billing');
    const [top, second] = predictNaiveBayes(model, 'the parcels never arrived');
    expect(top?.label).toBe('delivery');
    expect(top?.confidence).toBeGreaterThan(second?.confidence ?? 1);
  });

  it('gives a message-level sentiment signal in English, Hindi and Bengali', () => {
    expect(sentimentOf('This is terrible, I am very frustrated and still waiting').label).toBe('negative');
    expect(sentimentOf('Thank you, that was really helpful!').label).toBe('positive');
    expect(sentimentOf('This is not good').label).toBe('negative');
    expect(sentimentOf('सेवा बहुत खराब है, मैं बहुत परेशान हूँ').label).toBe('negative');
    expect(sentimentOf('बहुत बढ़िया, धन्यवाद').label).toBe('positive');
    expect(sentimentOf('সবথেকে ফালতু নাটক, একদম বাজে').method).toBe('model-bn');
    expect(sentimentOf('সবথেকে ফালতু নাটক, একদম বাজে').label).toBe('negative');
    expect(sentimentOf('অসাধারণ নাটক, খুব ভালো লাগলো').label).toBe('positive');
  });
});

describe('category suggestions on tickets', () => {
  it('trains on the desk own categorised tickets and suggests a category with confidence', async () => {
    expect((await api(t, sup, 'GET', '/classifier/model')).json()).toEqual({ model: null });
    for (const [texts, categoryId] of [[BILLING, billing], [DELIVERY, delivery]] as const) {
      for (const body of texts) await openTicket(t, sup, { subject: body.slice(0, 40), body, categoryId });
    }
    const trained = await api(t, sup, 'POST', '/classifier/train');
    expect(trained.statusCode, trained.body).toBe(200);
    expect(trained.json()).toMatchObject({ trainedOn: 24, labels: 2 });
    const fresh = await openTicket(t, sup, { subject: 'Wrong amount', body: 'You charged my card twice, I want a refund' });
    const res = await api(t, agent, 'GET', `/tickets/${fresh.id}/category-suggestions`);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.model).toMatchObject({ source: 'tickets', trainedOn: 24, labels: 2 });
    expect(out.suggestions[0]).toMatchObject({ categoryId: billing, label: 'Billing' });
    expect(out.suggestions[0].confidence).toBeGreaterThan(0.5);
    expect((await api(t, agent, 'POST', '/classifier/train')).statusCode).toBe(403);
  });

  it('bootstraps from a CSV export and prints its accuracy on another file as JSON', async () => {
    const csv = (rows: Array<[string, string]>) => `body,cat\n${rows.map(([b, c]) => `"${b.replace(/"/g, '""')}",${c}`).join('\n')}\n`;
    const trainFile = path.join(tmp, 'train.csv');
    const testFile = path.join(tmp, 'test.csv');
    await writeFile(trainFile, csv([...BILLING.map((b) => [b, 'Billing'] as [string, string]), ...DELIVERY.map((b) => [b, 'Delivery'] as [string, string])]));
    await writeFile(testFile, csv([['refund for the double charge', 'Billing'], ['my package is lost', 'Delivery'], ['invoice copy please', 'Billing'], ['courier is late', 'Delivery']]));
    const trained = JSON.parse(await runCategoriesCommand('train', { csv: trainFile, text: 'body', label: 'cat' }, t.deps.db, new Date()));
    expect(trained).toMatchObject({ trainedOn: 24, labels: 2 });
    // through the real `seva` command, against this test's database
    const { stdout } = await run(process.execPath, ['bin/seva.js', 'categories', 'evaluate', '--csv', testFile, '--text', 'body', '--label', 'cat'], {
      cwd: serverDir,
      env: { ...process.env, DATABASE_URL: t.db.url, SEVA_DATA_DIR: tmp, SEVA_LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    });
    expect(JSON.parse(stdout.trim().split('\n').pop() as string)).toEqual({ accuracy: 1, n: 4 });
    // a CSV model's labels are matched to the desk's categories by name
    const fresh = await openTicket(t, sup, { subject: 'Where is it', body: 'the parcel has not arrived' });
    const sug = (await api(t, agent, 'GET', `/tickets/${fresh.id}/category-suggestions`)).json();
    expect(sug.suggestions[0]).toMatchObject({ categoryId: delivery, label: 'Delivery' });
  }, 60_000);
});
