import type { Playbook } from '@seva/contracts';

/**
 * "The most common complaints and how we solve them": one printable HTML page per team and language, built from
 * published playbooks. Everything is escaped; the page loads nothing and runs nothing.
 */
const esc = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

const HEADINGS = {
  en: { title: 'Most common complaints and how we solve them', steps: 'Steps', examples: 'Replies that worked', none: 'No published playbooks yet.' },
  bn: { title: 'সবচেয়ে বেশি অভিযোগ এবং আমরা যেভাবে সমাধান করি', steps: 'ধাপ', examples: 'যে উত্তরগুলো কাজ করেছে', none: 'এখনও কোনো প্রকাশিত প্লেবুক নেই।' },
  hi: { title: 'सबसे आम शिकायतें और हम उन्हें कैसे हल करते हैं', steps: 'चरण', examples: 'जो जवाब काम आए', none: 'अभी कोई प्रकाशित प्लेबुक नहीं है।' },
} as const;

export function renderHandbook(locale: 'en' | 'bn' | 'hi', teamName: string | null, playbooks: readonly Playbook[]): string {
  const h = HEADINGS[locale];
  const sections = playbooks
    .map(
      (p) => `<section>
<h2>${esc(p.title)}</h2>
${p.summary ? `<p>${esc(p.summary)}</p>` : ''}
<h3>${esc(h.steps)}</h3>
<ol>${p.steps.map((s) => `<li>${esc(s)}</li>`).join('')}</ol>
${p.examples.length > 0 ? `<h3>${esc(h.examples)}</h3>${p.examples.map((e) => `<blockquote>${esc(e.excerpt)}</blockquote>`).join('')}` : ''}
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(h.title)}${teamName ? ` — ${esc(teamName)}` : ''}</title>
<style>
body { font-family: system-ui, 'Noto Sans Bengali', 'Noto Sans Devanagari', sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.55; color: #1a1b1e; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; } blockquote { border-left: 3px solid #7048e8; margin: .5rem 0; padding: .25rem .75rem; color: #444; white-space: pre-wrap; }
@media print { body { margin: 0; } section { break-inside: avoid; } }
</style>
</head>
<body>
<h1>${esc(h.title)}${teamName ? ` — ${esc(teamName)}` : ''}</h1>
${sections || `<p>${esc(h.none)}</p>`}
</body>
</html>`;
}
