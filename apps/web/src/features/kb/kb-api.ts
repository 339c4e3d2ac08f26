import type {
  CreateKbArticleBody,
  KbAnnouncement,
  KbArticle,
  KbArticleStatus,
  KbArticleSummary,
  KbArticleVersion,
  KbDeflectionRow,
  KbLocale,
  KbSearchResult,
  KbVisibility,
  SaveKbTranslationBody,
  UpdateKbArticleBody,
} from '@seva/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

/** Knowledge-base data for the agent app, over the typed API client. */
export interface ArticleFilters {
  locale?: KbLocale;
  status?: KbArticleStatus;
  visibility?: KbVisibility;
}

export function useKbArticles(filters: ArticleFilters) {
  return useQuery({
    queryKey: ['kb', 'articles', filters],
    queryFn: () => api.get<{ items: KbArticleSummary[]; nextCursor: string | null }>('/kb/articles', { ...filters, limit: 100 }),
  });
}

export function useKbSearch(q: string, locale?: KbLocale) {
  return useQuery({
    queryKey: ['kb', 'search', q, locale],
    queryFn: () => api.get<KbSearchResult>('/kb/search', { q, locale, limit: 20 }),
    enabled: q.trim().length > 0,
  });
}

export function useKbArticle(id: string | null) {
  return useQuery({
    queryKey: ['kb', 'article', id],
    queryFn: () => api.get<KbArticle>(`/kb/articles/${id}`),
    enabled: id !== null,
  });
}

export function useKbVersions(id: string | null, locale: KbLocale, enabled: boolean) {
  return useQuery({
    queryKey: ['kb', 'versions', id, locale],
    queryFn: () => api.get<{ items: KbArticleVersion[] }>(`/kb/articles/${id}/translations/${locale}/versions`),
    enabled: enabled && id !== null,
  });
}

function useInvalidateKb() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['kb'] });
}

export function useCreateKbArticle() {
  const done = useInvalidateKb();
  return useMutation({ mutationFn: (body: CreateKbArticleBody) => api.post<KbArticle>('/kb/articles', body), onSuccess: done });
}

export function useSaveKbTranslation(id: string) {
  const done = useInvalidateKb();
  return useMutation({
    mutationFn: ({ locale, body }: { locale: KbLocale; body: SaveKbTranslationBody }) =>
      api.put<KbArticle>(`/kb/articles/${id}/translations/${locale}`, body),
    onSuccess: done,
  });
}

export function useUpdateKbArticle(id: string) {
  const done = useInvalidateKb();
  return useMutation({ mutationFn: (body: UpdateKbArticleBody) => api.patch<KbArticle>(`/kb/articles/${id}`, body), onSuccess: done });
}

export function useRestoreKbVersion(id: string) {
  const done = useInvalidateKb();
  return useMutation({
    mutationFn: ({ locale, version }: { locale: KbLocale; version: number }) =>
      api.post<KbArticle>(`/kb/articles/${id}/translations/${locale}/versions/${version}/restore`),
    onSuccess: done,
  });
}

export function useUnreadAnnouncements() {
  return useQuery({
    queryKey: ['kb', 'announcements', 'unread'],
    queryFn: () => api.get<{ items: KbAnnouncement[] }>('/kb/announcements', { unread: '1' }),
  });
}

export function useAcknowledgeAnnouncement() {
  const done = useInvalidateKb();
  return useMutation({ mutationFn: (id: string) => api.post<KbAnnouncement>(`/kb/announcements/${id}/acknowledge`), onSuccess: done });
}

/** Deflection per language and channel (the widget reports as `widget`): GET /kb/reports/deflection. */
export function useKbDeflection(days: number) {
  return useQuery({
    queryKey: ['kb', 'reports', 'deflection', days],
    queryFn: () => api.get<{ items: KbDeflectionRow[] }>('/kb/reports/deflection', { days }),
  });
}
