import { KB_LOCALES, type KbLocale, type KbSearchHit, type KbSettings } from '@seva/contracts';
import type { PublicArticle, PublicArticleLink, PublicCategory, PublicSection } from './help.service.ts';
import { html, type SafeHtml, trustedHtml } from './help-html.ts';
import { HELP_STRINGS, helpText } from './help-i18n.ts';

/** Server-rendered help-centre pages. Every interpolation goes through `html` (escaped); bodies are pre-sanitised. */
export interface PageContext {
  locale: KbLocale;
  settings: KbSettings;
  /** absolute origin for canonical and hreflang URLs, e.g. https://help.example.com */
  origin: string;
  /** this page's path in each locale that has it (language switcher and hreflang) */
  alternates: Partial<Record<KbLocale, string>>;
  path: string;
}

export function articlePath(locale: KbLocale, articleId: string, slug: string): string {
  return `/help/${locale}/articles/${articleId}/${encodeURIComponent(slug)}`;
}

export function layout(
  ctx: PageContext,
  opts: { title: string; description: string; body: SafeHtml; query?: string; noindex?: boolean; scripts?: string[] },
): string {
  const t = (k: keyof (typeof HELP_STRINGS)['en'], vars?: Record<string, string | number>) =>
    helpText(ctx.locale, k, vars);
  const { settings } = ctx;
  const fullTitle = opts.title === settings.title ? settings.title : `${opts.title} – ${settings.title}`;
  const hreflang = Object.entries(ctx.alternates).map(
    ([l, p]) => html`<link rel="alternate" hreflang="${l}" href="${ctx.origin}${p}">`,
  );
  const defaultAlt = ctx.alternates[settings.defaultLocale];
  const switcher = KB_LOCALES.map((l) => {
    const target = ctx.alternates[l] ?? `/help/${l}`;
    return l === ctx.locale
      ? html`<li><span aria-current="true" lang="${l}">${HELP_STRINGS[l].languageName}</span></li>`
      : html`<li><a href="${target}" hreflang="${l}" lang="${l}">${HELP_STRINGS[l].languageName}</a></li>`;
  });
  const contact = settings.contactUrl ?? `/help/${ctx.locale}/contact`;
  const page = html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${fullTitle}</title>
<meta name="description" content="${opts.description}">
${opts.noindex ? html`<meta name="robots" content="noindex">` : ''}
<link rel="canonical" href="${ctx.origin}${ctx.path}">
${hreflang}
${defaultAlt ? html`<link rel="alternate" hreflang="x-default" href="${ctx.origin}${defaultAlt}">` : ''}
<link rel="stylesheet" href="/help/assets/help.css">
<link rel="stylesheet" href="/help/assets/theme.css">
<script src="/help/assets/help.js" defer></script>
${(opts.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<a class="skip" href="#main">${t('skip')}</a>
<header class="top">
  <a class="brand" href="/help/${ctx.locale}">${settings.logoUrl ? html`<img src="${settings.logoUrl}" alt="" height="32">` : ''}<span>${settings.title}</span></a>
  <nav aria-label="${t('language')}"><ul class="langs">${switcher}</ul></nav>
</header>
<form class="search" role="search" action="/help/${ctx.locale}/search" method="get">
  <label for="q" class="visually-hidden">${t('searchPlaceholder')}</label>
  <input id="q" name="q" type="search" value="${opts.query ?? ''}" placeholder="${t('searchPlaceholder')}" autocomplete="off" maxlength="200" data-locale="${ctx.locale}" aria-controls="suggestions">
  <button type="submit">${t('searchButton')}</button>
  <ul id="suggestions" class="suggestions" role="listbox" hidden></ul>
</form>
<main id="main">
${opts.body}
</main>
<footer class="contact"><a href="${contact}" data-seva-contact>${t('contact')}</a> · <a href="/help/${ctx.locale}/tickets">${t('signInLink')}</a></footer>
</body>
</html>`;
  return page.value;
}

function articleList(locale: KbLocale, items: PublicArticleLink[]): SafeHtml {
  return html`<ul class="articles">${items.map((a) => html`<li><a href="${articlePath(locale, a.articleId, a.slug)}">${a.title}</a></li>`)}</ul>`;
}

export function renderHome(ctx: PageContext, tree: PublicCategory[], loose: PublicArticleLink[]): string {
  const t = (k: keyof (typeof HELP_STRINGS)['en']) => helpText(ctx.locale, k);
  const body = html`<h1>${t('searchHeading')}</h1>
<section aria-labelledby="cats"><h2 id="cats">${t('categories')}</h2>
${tree.length === 0 && loose.length === 0 ? html`<p>${t('noArticles')}</p>` : ''}
<div class="grid">${tree.map(
    (c) => html`<article class="card"><h3><a href="/help/${ctx.locale}/categories/${c.slug}">${c.name}</a></h3>
<p>${c.description}</p>
<ul>${c.sections.map((s) => html`<li><a href="/help/${ctx.locale}/sections/${s.slug}">${s.name}</a> <span class="count">(${s.articles.length})</span></li>`)}</ul></article>`,
  )}</div></section>
${loose.length > 0 ? html`<section><h2>${t('articles')}</h2>${articleList(ctx.locale, loose)}</section>` : ''}`;
  return layout(ctx, { title: ctx.settings.title, description: t('searchHeading'), body });
}

export function renderCategory(ctx: PageContext, category: PublicCategory): string {
  const body = html`<nav class="crumbs"><a href="/help/${ctx.locale}">${helpText(ctx.locale, 'home')}</a></nav>
<h1>${category.name}</h1><p>${category.description}</p>
${category.sections.map((s) => html`<section><h2><a href="/help/${ctx.locale}/sections/${s.slug}">${s.name}</a></h2>${articleList(ctx.locale, s.articles)}</section>`)}`;
  return layout(ctx, { title: category.name, description: category.description || category.name, body });
}

export function renderSection(
  ctx: PageContext,
  section: PublicSection,
  category: { slug: string; name: string },
): string {
  const body = html`<nav class="crumbs"><a href="/help/${ctx.locale}">${helpText(ctx.locale, 'home')}</a> › <a href="/help/${ctx.locale}/categories/${category.slug}">${category.name}</a></nav>
<h1>${section.name}</h1><p>${section.description}</p>
${section.articles.length > 0 ? articleList(ctx.locale, section.articles) : html`<p>${helpText(ctx.locale, 'noArticles')}</p>`}`;
  return layout(ctx, { title: section.name, description: section.description || section.name, body });
}

export function renderArticle(
  ctx: PageContext,
  article: PublicArticle,
  related: PublicArticleLink[],
  opts: { thanks: boolean },
): string {
  const t = (k: keyof (typeof HELP_STRINGS)['en'], vars?: Record<string, string | number>) =>
    helpText(ctx.locale, k, vars);
  const { category, section } = article.breadcrumb;
  const total = article.helpfulCount + article.notHelpfulCount;
  const body = html`<nav class="crumbs"><a href="/help/${ctx.locale}">${t('home')}</a>${category ? html` › <a href="/help/${ctx.locale}/categories/${category.slug}">${category.name}</a>` : ''}${section ? html` › <a href="/help/${ctx.locale}/sections/${section.slug}">${section.name}</a>` : ''}</nav>
<article class="article">
<h1>${article.title}</h1>
<p class="meta">${t('updated')}: <time datetime="${article.updatedAt.toISOString()}">${article.updatedAt.toISOString().slice(0, 10)}</time></p>
<div class="body">${trustedHtml(article.bodyHtml)}</div>
</article>
<section class="feedback" aria-live="polite">
${
  opts.thanks
    ? html`<p>${t('thanks')}</p>`
    : html`<form method="post" action="/help/${ctx.locale}/articles/${article.articleId}/feedback">
<span>${t('helpfulQuestion')}</span>
<button name="helpful" value="yes" type="submit">${t('yes')}</button>
<button name="helpful" value="no" type="submit">${t('no')}</button>
</form>`
}
${total > 0 ? html`<p class="votes">${t('votes', { n: article.helpfulCount, total })}</p>` : ''}
</section>
${related.length > 0 ? html`<aside><h2>${t('related')}</h2>${articleList(ctx.locale, related)}</aside>` : ''}`;
  return layout(ctx, { title: article.title, description: article.summary, body });
}

export function renderSearch(ctx: PageContext, query: string, hits: KbSearchHit[], searchId: number | null): string {
  const t = (k: keyof (typeof HELP_STRINGS)['en'], vars?: Record<string, string | number>) =>
    helpText(ctx.locale, k, vars);
  const body =
    query === ''
      ? html`<h1>${t('searchHeading')}</h1>`
      : html`<h1>${t('resultsFor', { q: query })}</h1>
${
  hits.length === 0
    ? html`<p>${t('noResults', { q: query })}</p>`
    : html`<ol class="results">${hits.map(
        (h) =>
          html`<li><a href="${h.url}${searchId !== null ? `?sq=${searchId}` : ''}">${h.title}</a><p class="snippet">${trustedHtml(h.snippet)}</p></li>`,
      )}</ol>`
}`;
  return layout(ctx, {
    title: query === '' ? t('searchButton') : t('resultsFor', { q: query }),
    description: t('searchHeading'),
    body,
    query,
    noindex: true,
  });
}

export function renderNotFound(ctx: PageContext): string {
  const body = html`<h1>${helpText(ctx.locale, 'notFound')}</h1><p><a href="/help/${ctx.locale}">${helpText(ctx.locale, 'backHome')}</a></p>`;
  return layout(ctx, {
    title: helpText(ctx.locale, 'notFound'),
    description: helpText(ctx.locale, 'notFound'),
    body,
    noindex: true,
  });
}
