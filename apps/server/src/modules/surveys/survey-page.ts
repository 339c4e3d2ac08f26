import type { SurveyKind } from '@seva/contracts';
import { SURVEY_SCALES } from '@seva/contracts';

type Strings = {
  title: string;
  csat: string;
  ces: string;
  nps: string;
  low: Record<SurveyKind, string>;
  high: Record<SurveyKind, string>;
  thanks: string;
  commentPrompt: string;
  send: string;
  commentThanks: string;
  already: string;
  expired: string;
  notFound: string;
  csatLabels: string[];
};

const STRINGS: Record<string, Strings> = {
  en: {
    title: 'How did we do?',
    csat: 'How would you rate the help you received?',
    ces: 'How easy was it to get your issue resolved?',
    nps: 'How likely are you to recommend us to a friend or colleague?',
    low: { csat: 'Very bad', ces: 'Very hard', nps: 'Not at all likely' },
    high: { csat: 'Very good', ces: 'Very easy', nps: 'Extremely likely' },
    thanks: 'Thank you! Your rating has been recorded.',
    commentPrompt: 'Anything you would like to add? (optional)',
    send: 'Send',
    commentThanks: 'Thank you for your comment.',
    already: 'This survey has already been answered. Thank you!',
    expired: 'This survey link has expired.',
    notFound: 'This survey link is not valid.',
    csatLabels: ['Very bad', 'Bad', 'Okay', 'Good', 'Very good'],
  },
  bn: {
    title: 'আমাদের সেবা কেমন ছিল?',
    csat: 'আপনি যে সাহায্য পেয়েছেন তাকে কীভাবে মূল্যায়ন করবেন?',
    ces: 'আপনার সমস্যার সমাধান পাওয়া কতটা সহজ ছিল?',
    nps: 'আপনি কোনো বন্ধু বা সহকর্মীকে আমাদের সুপারিশ করার সম্ভাবনা কতটা?',
    low: { csat: 'খুব খারাপ', ces: 'খুব কঠিন', nps: 'একেবারেই না' },
    high: { csat: 'খুব ভালো', ces: 'খুব সহজ', nps: 'অবশ্যই' },
    thanks: 'ধন্যবাদ! আপনার মূল্যায়ন সংরক্ষিত হয়েছে।',
    commentPrompt: 'আর কিছু বলতে চান? (ঐচ্ছিক)',
    send: 'পাঠান',
    commentThanks: 'আপনার মন্তব্যের জন্য ধন্যবাদ।',
    already: 'এই জরিপের উত্তর আগেই দেওয়া হয়েছে। ধন্যবাদ!',
    expired: 'এই জরিপের লিংকের মেয়াদ শেষ হয়ে গেছে।',
    notFound: 'এই জরিপের লিংকটি সঠিক নয়।',
    csatLabels: ['খুব খারাপ', 'খারাপ', 'মোটামুটি', 'ভালো', 'খুব ভালো'],
  },
  hi: {
    title: 'हमारी सेवा कैसी रही?',
    csat: 'आपको मिली सहायता को आप कैसे आँकेंगे?',
    ces: 'आपकी समस्या का समाधान पाना कितना आसान था?',
    nps: 'आप किसी मित्र या सहकर्मी को हमारी सिफ़ारिश करने की कितनी संभावना रखते हैं?',
    low: { csat: 'बहुत ख़राब', ces: 'बहुत कठिन', nps: 'बिल्कुल नहीं' },
    high: { csat: 'बहुत अच्छा', ces: 'बहुत आसान', nps: 'बहुत संभव' },
    thanks: 'धन्यवाद! आपकी रेटिंग दर्ज कर ली गई है।',
    commentPrompt: 'क्या आप कुछ और कहना चाहेंगे? (वैकल्पिक)',
    send: 'भेजें',
    commentThanks: 'आपकी टिप्पणी के लिए धन्यवाद।',
    already: 'इस सर्वे का उत्तर पहले ही दिया जा चुका है। धन्यवाद!',
    expired: 'इस सर्वे लिंक की समय-सीमा समाप्त हो गई है।',
    notFound: 'यह सर्वे लिंक मान्य नहीं है।',
    csatLabels: ['बहुत ख़राब', 'ख़राब', 'ठीक-ठाक', 'अच्छा', 'बहुत अच्छा'],
  },
};

export function surveyStrings(lang: string): Strings {
  return STRINGS[lang] ?? (STRINGS.en as Strings);
}

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const STYLE = `body{font-family:system-ui,"Noto Sans Bengali","Noto Sans Devanagari",sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.4rem}.scale{display:flex;flex-wrap:wrap;gap:.4rem;margin:1rem 0}.scale a{display:inline-block;min-width:2.6rem;padding:.6rem .8rem;border:1px solid #9ca3af;border-radius:.4rem;text-align:center;text-decoration:none;color:#111827}
.scale a:hover,.scale a:focus{background:#e0e7ff}.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#6b7280}textarea{width:100%;min-height:6rem}button{margin-top:.5rem;padding:.5rem 1rem}`;

function page(lang: string, title: string, body: string): string {
  return `<!doctype html><html lang="${esc(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** The question with one link per rating: one click answers it. */
export function questionPage(lang: string, kind: SurveyKind, token: string, question?: string): string {
  const s = surveyStrings(lang);
  const { min, max } = SURVEY_SCALES[kind];
  const links: string[] = [];
  for (let r = min; r <= max; r += 1) {
    const label = kind === 'csat' ? `${r} · ${s.csatLabels[r - 1]}` : String(r);
    links.push(`<a href="/survey/${encodeURIComponent(token)}?rating=${r}">${esc(label)}</a>`);
  }
  return page(
    lang,
    s.title,
    `<h1>${esc(s.title)}</h1><p>${esc(question ?? s[kind])}</p><div class="scale">${links.join('')}</div><div class="ends"><span>${esc(s.low[kind])}</span><span>${esc(s.high[kind])}</span></div>`,
  );
}

export function thanksPage(lang: string, token: string, withCommentForm: boolean): string {
  const s = surveyStrings(lang);
  const form = withCommentForm
    ? `<form method="post" action="/survey/${encodeURIComponent(token)}/comment"><label>${esc(s.commentPrompt)}<br><textarea name="comment" maxlength="4000"></textarea></label><br><button type="submit">${esc(s.send)}</button></form>`
    : '';
  return page(lang, s.title, `<h1>${esc(s.thanks)}</h1>${form}`);
}

export function messagePage(
  lang: string,
  message: keyof Pick<Strings, 'already' | 'expired' | 'notFound' | 'commentThanks'>,
): string {
  const s = surveyStrings(lang);
  return page(lang, s.title, `<h1>${esc(s[message])}</h1>`);
}
