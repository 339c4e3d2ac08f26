import type { WidgetKbDeflectionBody } from '@seva/contracts';

/**
 * One help session of the widget, for deflection reports (docs/kb.md): articles shown → opened → "this solved it" →
 * a contact request sent or given up. Each report is sent once; a sent contact request ends the session, and what
 * the visitor does next is a new one.
 */
export interface HelpSession {
  /** the current session id (sent with a helpful vote, which records `article_solved` on the server) */
  readonly id: string;
  shown(query: string, articleIds: readonly string[]): void;
  opened(articleId: string): void;
  /** a chat started, a message left or a call back asked for */
  submitted(): void;
  /** the visitor left a contact form after seeing suggestions, without sending it */
  abandoned(): void;
}

type Report = Omit<WidgetKbDeflectionBody, 'sessionId' | 'language'>;

export interface HelpSessionOptions {
  send(body: WidgetKbDeflectionBody): Promise<unknown>;
  language(): string;
  makeId?: () => string;
}

/** at most this many "shown" reports per session (search-as-you-type changes results often) */
const MAX_SHOWN = 20;

export function makeSessionId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function createHelpSession(opts: HelpSessionOptions): HelpSession {
  const makeId = opts.makeId ?? makeSessionId;
  let state = fresh();

  function fresh() {
    return { id: makeId(), shownKeys: new Set<string>(), opened: new Set<string>(), ended: false };
  }

  function report(body: Report): void {
    opts.send({ ...body, sessionId: state.id, language: opts.language() }).catch(() => {
      // reports are best effort: a lost one never gets in the visitor's way
    });
  }

  return {
    get id() {
      return state.id;
    },
    shown(query, articleIds) {
      if (articleIds.length === 0 || state.shownKeys.size >= MAX_SHOWN) return;
      const key = [...articleIds].sort().join(',');
      if (state.shownKeys.has(key)) return;
      state.shownKeys.add(key);
      report({ event: 'suggestions_shown', query: query.slice(0, 200), articleIds: articleIds.slice(0, 20) });
    },
    opened(articleId) {
      if (state.opened.has(articleId)) return;
      state.opened.add(articleId);
      report({ event: 'article_opened', articleId });
    },
    submitted() {
      if (state.shownKeys.size > 0) report({ event: 'contact_submitted' });
      state = fresh();
    },
    abandoned() {
      if (state.shownKeys.size === 0 || state.ended) return;
      state.ended = true;
      report({ event: 'contact_abandoned' });
    },
  };
}
