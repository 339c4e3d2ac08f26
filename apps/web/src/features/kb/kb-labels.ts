import type { KbArticleStatus } from '@seva/contracts';

/** Badge colours for translation statuses (labels come from i18n: kb:status.<status>). */
export const STATUS_COLOURS: Record<KbArticleStatus, string> = {
  draft: 'gray',
  in_review: 'yellow',
  published: 'green',
  archived: 'dark',
};

/** Statuses an agent without categories:manage may choose; editors may choose all. */
export function allowedStatuses(isEditor: boolean): KbArticleStatus[] {
  return isEditor ? ['draft', 'in_review', 'published', 'archived'] : ['draft', 'in_review'];
}
