/**
 * The weekly digest email, in the person's language (en, bn, hi): what went well last week. Plain text and a small
 * HTML part; every value is escaped (names and kudos messages are people's words).
 */
export interface DigestFacts {
  name: string;
  points: number;
  solved: number;
  firstContactResolutions: number;
  goodRatings: number;
  kudos: Array<{ from: string | null; message: string }>;
  deskUrl: string;
}

const TEXT = {
  en: {
    subject: 'Your week at the help desk: what went well',
    hello: (n: string) => `Hello ${n},`,
    intro: 'Here is what went well last week:',
    points: (x: string) => `${x} recognition points`,
    solved: (x: string) => `${x} tickets solved`,
    fcr: (x: string) => `${x} solved at the first reply`,
    ratings: (x: string) => `${x} happy customers (4–5 stars)`,
    kudos: 'Thanks from your colleagues:',
    quiet: 'A quiet week — thank you for being there for the customers.',
    open: 'Open the desk',
  },
  bn: {
    subject: 'হেল্প ডেস্কে আপনার সপ্তাহ: যা ভালো হয়েছে',
    hello: (n: string) => `নমস্কার ${n},`,
    intro: 'গত সপ্তাহে যা ভালো হয়েছে:',
    points: (x: string) => `${x} স্বীকৃতি পয়েন্ট`,
    solved: (x: string) => `${x}টি টিকিট সমাধান`,
    fcr: (x: string) => `${x}টি প্রথম উত্তরেই সমাধান`,
    ratings: (x: string) => `${x} জন সন্তুষ্ট গ্রাহক (৪–৫ তারা)`,
    kudos: 'সহকর্মীদের ধন্যবাদ:',
    quiet: 'শান্ত একটি সপ্তাহ — গ্রাহকদের পাশে থাকার জন্য ধন্যবাদ।',
    open: 'ডেস্ক খুলুন',
  },
  hi: {
    subject: 'हेल्प डेस्क पर आपका हफ़्ता: क्या अच्छा रहा',
    hello: (n: string) => `नमस्ते ${n},`,
    intro: 'पिछले हफ़्ते क्या अच्छा रहा:',
    points: (x: string) => `${x} सराहना अंक`,
    solved: (x: string) => `${x} टिकट हल किए`,
    fcr: (x: string) => `${x} पहले जवाब में हल`,
    ratings: (x: string) => `${x} ख़ुश ग्राहक (4–5 सितारे)`,
    kudos: 'सहकर्मियों का धन्यवाद:',
    quiet: 'एक शांत हफ़्ता — ग्राहकों के साथ रहने के लिए धन्यवाद।',
    open: 'डेस्क खोलें',
  },
} as const;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function renderDigestEmail(locale: string, f: DigestFacts): { subject: string; text: string; html: string } {
  const lang = (locale.split('-')[0] ?? 'en') as keyof typeof TEXT;
  const tx = TEXT[lang] ?? TEXT.en;
  const num = (n: number) => new Intl.NumberFormat(lang === 'en' ? 'en-IN' : `${lang}-IN`).format(n);
  const lines: string[] = [];
  if (f.points > 0) lines.push(tx.points(num(f.points)));
  if (f.solved > 0) lines.push(tx.solved(num(f.solved)));
  if (f.firstContactResolutions > 0) lines.push(tx.fcr(num(f.firstContactResolutions)));
  if (f.goodRatings > 0) lines.push(tx.ratings(num(f.goodRatings)));
  const kudos = f.kudos.map((k) => `“${k.message}”${k.from ? ` — ${k.from}` : ''}`);
  const text = [
    tx.hello(f.name),
    '',
    lines.length ? tx.intro : tx.quiet,
    ...lines.map((l) => `• ${l}`),
    ...(kudos.length ? ['', tx.kudos, ...kudos.map((k) => `• ${k}`)] : []),
    '',
    `${tx.open}: ${f.deskUrl}`,
  ].join('\n');
  const html = `<p>${escapeHtml(tx.hello(f.name))}</p>
<p>${escapeHtml(lines.length ? tx.intro : tx.quiet)}</p>
${lines.length ? `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : ''}
${kudos.length ? `<p>${escapeHtml(tx.kudos)}</p><ul>${kudos.map((k) => `<li>${escapeHtml(k)}</li>`).join('')}</ul>` : ''}
<p><a href="${escapeHtml(f.deskUrl)}">${escapeHtml(tx.open)}</a></p>`;
  return { subject: tx.subject, text, html };
}
