import { SURVEY_SCALES, type SurveyKind } from '@seva/contracts';
import { escapeHtml } from '../insights/deliver-notice-email.ts';
import { surveyStrings } from './survey-page.ts';

/** The words of the survey email around the question (the question and scale labels are the survey page's). */
const TEXT: Record<
  string,
  {
    subject: (n: number) => string;
    hello: (name: string) => string;
    intro: (n: number) => string;
    click: string;
    note: string;
  }
> = {
  en: {
    subject: (n) => `How did we do? [#${n}]`,
    hello: (name) => (name ? `Hello ${name},` : 'Hello,'),
    intro: (n) => `Your request #${n} has been solved. We would like to know how it went.`,
    click: 'One click on a rating answers the survey:',
    note: 'This link is yours alone and works once. You can add a comment after you choose a rating.',
  },
  bn: {
    subject: (n) => `আমাদের সেবা কেমন ছিল? [#${n}]`,
    hello: (name) => (name ? `নমস্কার ${name},` : 'নমস্কার,'),
    intro: (n) => `আপনার অনুরোধ #${n} সমাধান হয়েছে। কেমন লাগল তা আমরা জানতে চাই।`,
    click: 'একটি মূল্যায়নে একবার ক্লিক করলেই উত্তর দেওয়া হয়ে যাবে:',
    note: 'এই লিংকটি শুধু আপনার জন্য এবং একবারই কাজ করে। মূল্যায়ন বেছে নেওয়ার পরে মন্তব্য যোগ করতে পারবেন।',
  },
  hi: {
    subject: (n) => `हमारी सेवा कैसी रही? [#${n}]`,
    hello: (name) => (name ? `नमस्ते ${name},` : 'नमस्ते,'),
    intro: (n) => `आपका अनुरोध #${n} हल हो गया है। हम जानना चाहेंगे कि अनुभव कैसा रहा।`,
    click: 'किसी रेटिंग पर एक क्लिक से सर्वे का उत्तर दर्ज हो जाएगा:',
    note: 'यह लिंक सिर्फ़ आपके लिए है और एक ही बार काम करता है। रेटिंग चुनने के बाद आप टिप्पणी जोड़ सकते हैं।',
  },
};

export interface SurveyEmailInput {
  kind: SurveyKind;
  language: string;
  ticketNumber: number;
  customerName: string;
  /** the signed page URL, `<base>/survey/<id>.<signature>` */
  surveyUrl: string;
  /** the desk's own wording of the question in this language (settings), else the built-in one */
  question?: string | undefined;
}

/** The survey email in the customer's language: the question and one link per rating (one click answers). */
export function renderSurveyEmail(input: SurveyEmailInput): { subject: string; text: string; html: string } {
  const tx = TEXT[input.language] ?? (TEXT.en as (typeof TEXT)['en']);
  const s = surveyStrings(input.language);
  const { min, max } = SURVEY_SCALES[input.kind];
  const name = input.customerName.replace(/[\r\n]+/g, ' ').slice(0, 200);
  const ratings: Array<{ label: string; url: string }> = [];
  for (let r = max; r >= min; r -= 1) {
    const label = input.kind === 'csat' ? `${r} · ${s.csatLabels[r - 1]}` : String(r);
    ratings.push({ label, url: `${input.surveyUrl}?rating=${r}` });
  }
  const ends = `${min} = ${s.low[input.kind]} · ${max} = ${s.high[input.kind]}`;
  const question = input.question ?? s[input.kind];
  const text = [
    tx.hello(name),
    '',
    tx.intro(input.ticketNumber),
    '',
    question,
    ...(input.kind === 'csat' ? [] : [ends]),
    tx.click,
    ...ratings.map((r) => `  ${r.label}: ${r.url}`),
    '',
    tx.note,
  ].join('\n');
  const cell = (r: { label: string; url: string }) =>
    `<a href="${escapeHtml(r.url)}" style="display:inline-block;margin:2px;padding:8px 12px;border:1px solid #9ca3af;border-radius:6px;color:#111827;text-decoration:none">${escapeHtml(r.label)}</a>`;
  const html = `<p>${escapeHtml(tx.hello(name))}</p>
<p>${escapeHtml(tx.intro(input.ticketNumber))}</p>
<p><strong>${escapeHtml(question)}</strong></p>
${input.kind === 'csat' ? '' : `<p style="color:#6b7280">${escapeHtml(ends)}</p>`}
<p>${ratings.map(cell).join(' ')}</p>
<p style="color:#6b7280;font-size:90%">${escapeHtml(tx.note)}</p>`;
  return { subject: tx.subject(input.ticketNumber), text, html };
}
