import type { QualityReview, QualityReviewList, QualitySample, QualityScorecard } from '@seva/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

export interface ReviewFilters {
  agentId?: string | undefined;
  reviewerId?: string | undefined;
  ticketId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface CriterionInput {
  key: string;
  label: string;
  weight: number;
}

const KEY = ['quality'] as const;

export function useReviews(f: ReviewFilters, enabled = true) {
  return useQuery({
    queryKey: [...KEY, 'reviews', f],
    queryFn: () => api.get<QualityReviewList>('/quality/reviews', { ...f }),
    enabled,
  });
}

export function useScorecards() {
  return useQuery({
    queryKey: [...KEY, 'scorecards'],
    queryFn: () => api.get<{ items: QualityScorecard[] }>('/quality/scorecards').then((r) => r.items),
  });
}

export function useSample(days: number, enabled: boolean) {
  return useQuery({
    queryKey: [...KEY, 'sample', days],
    queryFn: () => api.get<QualitySample>('/quality/sample', { perAgent: 3, days }),
    enabled,
  });
}

export function useCreateScorecard() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; criteria: CriterionInput[] }) =>
      api.post<QualityScorecard>('/quality/scorecards', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...KEY, 'scorecards'] }),
  });
}

export function useSetScorecardActive() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; isActive: boolean }) =>
      api.patch<QualityScorecard>(`/quality/scorecards/${v.id}`, { isActive: v.isActive }),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...KEY, 'scorecards'] }),
  });
}

export function useCreateReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      scorecardId: string;
      ticketId: string;
      agentId?: string;
      scores: Record<string, number>;
      comment?: string;
    }) => api.post<QualityReview>('/quality/reviews', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}

/** The weighted score the server will compute (Σ weight × score/4 ÷ Σ weight), shown while scoring. */
export function previewScore(criteria: CriterionInput[], scores: Record<string, number>): number | null {
  let total = 0;
  let weights = 0;
  for (const c of criteria) {
    const s = scores[c.key];
    if (s === undefined) return null;
    total += c.weight * (s / 4);
    weights += c.weight;
  }
  return weights === 0 ? null : Math.round((total / weights) * 10_000) / 100;
}
