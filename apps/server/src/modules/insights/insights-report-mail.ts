import { escapeHtml } from './deliver-notice-email.ts';

/** The facts of one scheduled report (a dashboard digest); rendered in the recipient's language. */
export interface ReportFacts {
  name: string;
  frequency: 'daily' | 'weekly';
  from: Date;
  /** exclusive */
  to: Date;
  timeZone: string;
  /** human labels of the filters applied, e.g. "Team: Billing" */
  filters: Array<{ field: 'channel' | 'category' | 'team' | 'assignee' | 'language'; value: string }>;
  created: number;
  solved: number;
  backlogNow: number;
  firstResponseMedianSeconds: number | null;
  resolutionMedianSeconds: number | null;
  hotButtons: Array<{ label: string; count: number; change: number | null }>;
  sla: { rate: number | null; total: number; rows: Array<{ label: string; rate: number | null; total: number }> };
  csat: { score: number | null; answered: number; target: number | null };
  dashboardUrl: string;
}

type Lang = 'en' | 'bn' | 'hi';

const TEXT: Record<
  Lang,
  {
    subject: Record<'daily' | 'weekly', (range: string) => string>;
    hello: (n: string) => string;
    intro: Record<'daily' | 'weekly', (range: string) => string>;
    filters: string;
    field: Record<ReportFacts['filters'][number]['field'], string>;
    keyFigures: string;
    created: string;
    solved: string;
    backlog: string;
    firstResponse: string;
    resolution: string;
    hotButtons: string;
    newTopic: string;
    sla: string;
    slaOf: (n: string) => string;
    csat: string;
    csatOf: (n: string) => string;
    target: (t: string) => string;
    none: string;
    open: string;
    why: string;
    units: { m: string; h: string; d: string };
  }
> = {
  en: {
    subject: { daily: (r) => `Daily help desk report: ${r}`, weekly: (r) => `Weekly help desk report: ${r}` },
    hello: (n) => `Hello ${n},`,
    intro: {
      daily: (r) => `Here is how the help desk did on ${r}.`,
      weekly: (r) => `Here is how the help desk did in the week ${r}.`,
    },
    filters: 'Filters',
    field: { channel: 'Channel', category: 'Category', team: 'Team', assignee: 'Person', language: 'Language' },
    keyFigures: 'Key figures',
    created: 'New tickets',
    solved: 'Solved',
    backlog: 'Open now',
    firstResponse: 'Median first response',
    resolution: 'Median resolution',
    hotButtons: 'Hot buttons (change against the period before)',
    newTopic: 'new',
    sla: 'SLA achievement',
    slaOf: (n) => `of ${n} SLA targets met`,
    csat: 'Customer satisfaction (CSAT)',
    csatOf: (n) => `good ratings from ${n} answers`,
    target: (t) => `target ${t}`,
    none: 'nothing in this period',
    open: 'Open the Insights dashboard',
    why: 'You get this report because you subscribed to it on the Insights page; you can stop it there.',
    units: { m: 'min', h: 'h', d: 'd' },
  },
  bn: {
    subject: { daily: (r) => `হেল্প ডেস্কের দৈনিক রিপোর্ট: ${r}`, weekly: (r) => `হেল্প ডেস্কের সাপ্তাহিক রিপোর্ট: ${r}` },
    hello: (n) => `নমস্কার ${n},`,
    intro: { daily: (r) => `${r} তারিখে হেল্প ডেস্ক যেমন চলেছে:`, weekly: (r) => `${r} সপ্তাহে হেল্প ডেস্ক যেমন চলেছে:` },
    filters: 'ফিল্টার',
    field: { channel: 'চ্যানেল', category: 'বিভাগ', team: 'দল', assignee: 'ব্যক্তি', language: 'ভাষা' },
    keyFigures: 'মূল সংখ্যা',
    created: 'নতুন টিকিট',
    solved: 'সমাধান',
    backlog: 'এখন খোলা',
    firstResponse: 'প্রথম উত্তরের মধ্যমা সময়',
    resolution: 'সমাধানের মধ্যমা সময়',
    hotButtons: 'আলোচিত বিষয় (আগের সময়ের তুলনায় পরিবর্তন)',
    newTopic: 'নতুন',
    sla: 'SLA অর্জন',
    slaOf: (n) => `${n}টি SLA লক্ষ্যের মধ্যে পূরণ হয়েছে`,
    csat: 'গ্রাহক সন্তুষ্টি (CSAT)',
    csatOf: (n) => `${n}টি উত্তরের মধ্যে ভালো মূল্যায়ন`,
    target: (t) => `লক্ষ্য ${t}`,
    none: 'এই সময়ে কিছু নেই',
    open: 'ইনসাইটস ড্যাশবোর্ড খুলুন',
    why: 'আপনি ইনসাইটস পাতায় এই রিপোর্টে সদস্য হয়েছেন বলে এটি পাচ্ছেন; সেখানেই বন্ধ করতে পারবেন।',
    units: { m: 'মিনিট', h: 'ঘণ্টা', d: 'দিন' },
  },
  hi: {
    subject: { daily: (r) => `हेल्प डेस्क की दैनिक रिपोर्ट: ${r}`, weekly: (r) => `हेल्प डेस्क की साप्ताहिक रिपोर्ट: ${r}` },
    hello: (n) => `नमस्ते ${n},`,
    intro: { daily: (r) => `${r} को हेल्प डेस्क का हाल:`, weekly: (r) => `${r} के हफ़्ते में हेल्प डेस्क का हाल:` },
    filters: 'फ़िल्टर',
    field: { channel: 'चैनल', category: 'श्रेणी', team: 'टीम', assignee: 'व्यक्ति', language: 'भाषा' },
    keyFigures: 'मुख्य आँकड़े',
    created: 'नए टिकट',
    solved: 'हल किए',
    backlog: 'अभी खुले',
    firstResponse: 'पहले जवाब का मध्य समय',
    resolution: 'समाधान का मध्य समय',
    hotButtons: 'चर्चित विषय (पिछली अवधि की तुलना में बदलाव)',
    newTopic: 'नया',
    sla: 'SLA उपलब्धि',
    slaOf: (n) => `${n} SLA लक्ष्यों में से पूरे हुए`,
    csat: 'ग्राहक संतुष्टि (CSAT)',
    csatOf: (n) => `${n} उत्तरों में अच्छी रेटिंग`,
    target: (t) => `लक्ष्य ${t}`,
    none: 'इस अवधि में कुछ नहीं',
    open: 'इनसाइट्स डैशबोर्ड खोलें',
    why: 'आपको यह रिपोर्ट इसलिए मिली क्योंकि आपने इनसाइट्स पेज पर इसकी सदस्यता ली है; वहीं से बंद कर सकते हैं।',
    units: { m: 'मिनट', h: 'घंटे', d: 'दिन' },
  },
};

export function renderReportEmail(locale: string, f: ReportFacts): { subject: string; text: string; html: string } {
  const lang: Lang = (['en', 'bn', 'hi'] as const).find((l) => l === locale.split('-')[0]) ?? 'en';
  const tx = TEXT[lang];
  const intl = lang === 'en' ? 'en-IN' : `${lang}-IN`;
  const num = (n: number) => new Intl.NumberFormat(intl).format(n);
  const pct = (r: number) => new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 1 }).format(r);
  const date = (d: Date) =>
    new Intl.DateTimeFormat(intl, { day: 'numeric', month: 'short', year: 'numeric', timeZone: f.timeZone }).format(d);
  const lastDay = new Date(f.to.getTime() - 1);
  const range = f.frequency === 'daily' ? date(f.from) : `${date(f.from)} – ${date(lastDay)}`;
  const dur = (s: number | null) => {
    if (s === null) return '—';
    if (s < 3600) return `${num(Math.round(s / 60))} ${tx.units.m}`;
    if (s < 86_400)
      return `${new Intl.NumberFormat(intl, { maximumFractionDigits: 1 }).format(s / 3600)} ${tx.units.h}`;
    return `${new Intl.NumberFormat(intl, { maximumFractionDigits: 1 }).format(s / 86_400)} ${tx.units.d}`;
  };
  const change = (c: number | null) => (c === null ? tx.newTopic : `${c > 0 ? '▲ +' : c < 0 ? '▼ ' : '± '}${pct(c)}`);
  const clean = (s: string) => s.replace(/[\r\n]+/g, ' ').slice(0, 200);

  const sections: Array<{ title: string; lines: string[] }> = [];
  if (f.filters.length)
    sections.push({ title: tx.filters, lines: f.filters.map((x) => `${tx.field[x.field]}: ${clean(x.value)}`) });
  sections.push({
    title: tx.keyFigures,
    lines: [
      `${tx.created}: ${num(f.created)}`,
      `${tx.solved}: ${num(f.solved)}`,
      `${tx.backlog}: ${num(f.backlogNow)}`,
      `${tx.firstResponse}: ${dur(f.firstResponseMedianSeconds)}`,
      `${tx.resolution}: ${dur(f.resolutionMedianSeconds)}`,
    ],
  });
  sections.push({
    title: tx.hotButtons,
    lines: f.hotButtons.length
      ? f.hotButtons.map((h) => `${clean(h.label)}: ${num(h.count)} (${change(h.change)})`)
      : [tx.none],
  });
  sections.push({
    title: tx.sla,
    lines:
      f.sla.rate === null
        ? [tx.none]
        : [
            `${pct(f.sla.rate)} ${tx.slaOf(num(f.sla.total))}`,
            ...f.sla.rows.map(
              (r) =>
                `${r.label === 'none' ? '—' : clean(r.label)}: ${r.rate === null ? '—' : pct(r.rate)} (${num(r.total)})`,
            ),
          ],
  });
  sections.push({
    title: tx.csat,
    lines:
      f.csat.score === null
        ? [tx.none]
        : [
            `${pct(f.csat.score)} ${tx.csatOf(num(f.csat.answered))}${f.csat.target === null ? '' : ` · ${tx.target(pct(f.csat.target))}`}`,
          ],
  });

  const text = [
    tx.hello(clean(f.name)),
    '',
    tx.intro[f.frequency](range),
    ...sections.flatMap((s) => ['', `${s.title}:`, ...s.lines.map((l) => `• ${l}`)]),
    '',
    `${tx.open}: ${f.dashboardUrl}`,
    '',
    tx.why,
  ].join('\n');
  const html = `<p>${escapeHtml(tx.hello(clean(f.name)))}</p>
<p>${escapeHtml(tx.intro[f.frequency](range))}</p>
${sections.map((s) => `<h3 style="margin:16px 0 4px">${escapeHtml(s.title)}</h3><ul>${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`).join('\n')}
<p><a href="${escapeHtml(f.dashboardUrl)}">${escapeHtml(tx.open)}</a></p>
<p style="color:#6b7280;font-size:90%">${escapeHtml(tx.why)}</p>`;
  return { subject: tx.subject[f.frequency](range), text, html };
}
