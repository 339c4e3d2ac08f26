import { createContext } from 'preact';
import type { HelpSession } from './help-session.ts';

/** Where an article is opened from: its id, the language of the hit, and the logged search it came from. */
export interface ArticleTarget {
  id: string;
  language: string;
  searchId: number | null;
}

/** What the app gives every knowledge-base view (null when the widget does not offer the knowledge base). */
export interface KbHooks {
  session: HelpSession;
  /** opens the article over the current screen; the screen (and anything typed in it) stays as it was */
  openArticle(target: ArticleTarget): void;
}

export const KbContext = createContext<KbHooks | null>(null);
