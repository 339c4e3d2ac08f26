import { z } from 'zod';
import { KB_DEFLECTION_EVENTS } from './kb.ts';
import { WidgetArticleHit } from './widget.ts';

/**
 * The knowledge base inside the help widget (/widget/v1/kb/...): search-as-you-type, articles opened in the widget,
 * "was this helpful?", and deflection reports (suggestions shown → article opened → solved or contact submitted).
 * See docs/widget.md and docs/kb.md.
 */

/** GET /widget/v1/kb/search?key=&q=&lang= — snippets are HTML-escaped text with matches in <mark>. */
export const WidgetKbSearchResult = z.object({
  items: z.array(WidgetArticleHit),
  /** the logged search (one row per question a visitor types, not per keystroke); pass it when opening a hit */
  searchId: z.number().int().nullable(),
});
export type WidgetKbSearchResult = z.infer<typeof WidgetKbSearchResult>;

export const WidgetKbArticleQuery = z.object({
  lang: z.string().max(20).optional(),
  searchId: z.coerce.number().int().positive().optional(),
});

/** GET /widget/v1/kb/articles/:id?lang= — a public, published translation; bodyHtml is sanitised on the server. */
export const WidgetKbArticle = z.object({
  id: z.uuid(),
  language: z.string(),
  title: z.string(),
  bodyHtml: z.string(),
  /** the full help-centre page (a path on Seva) */
  url: z.string(),
  updatedAt: z.string(),
  /** other public translations */
  alternates: z.array(z.object({ language: z.string(), title: z.string() })),
});
export type WidgetKbArticle = z.infer<typeof WidgetKbArticle>;

const SessionId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 letters, digits, - or _');

/** POST /widget/v1/kb/articles/:id/feedback — one vote per visitor, translation and day. */
export const WidgetKbFeedbackBody = z
  .object({
    language: z.string().max(20),
    helpful: z.boolean(),
    /** the widget's help session: a helpful vote also records `article_solved` for deflection */
    sessionId: SessionId.optional(),
  })
  .strict();
export const WidgetKbFeedbackResult = z.object({ recorded: z.boolean() });

/** POST /widget/v1/kb/deflection — channel `widget`; 204. */
export const WidgetKbDeflectionBody = z
  .object({
    event: z.enum(KB_DEFLECTION_EVENTS),
    sessionId: SessionId,
    language: z.string().max(20).optional(),
    query: z.string().max(200).optional(),
    articleIds: z.array(z.uuid()).max(20).optional(),
    articleId: z.uuid().optional(),
  })
  .strict();
export type WidgetKbDeflectionBody = z.infer<typeof WidgetKbDeflectionBody>;
