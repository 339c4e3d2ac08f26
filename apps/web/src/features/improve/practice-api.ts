import type { PracticeAttempt } from '@seva/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

/** Practice mode over the typed API client. */
export function useScenarios() {
  return useQuery({
    queryKey: ['practice', 'scenarios'],
    queryFn: () =>
      api.get<{ items: Array<{ id: string; subject: string; locale: string; category: { id: string; name: string } | null }> }>('/practice/scenarios'),
  });
}

export function useAttempt(id: string | null) {
  return useQuery({ queryKey: ['practice', 'attempt', id], queryFn: () => api.get<PracticeAttempt>(`/practice/attempts/${id}`), enabled: id !== null, refetchInterval: 5000 });
}

export function useReviewQueue(enabled: boolean) {
  return useQuery({
    queryKey: ['practice', 'queue'],
    queryFn: () => api.get<{ items: Array<{ id: string; trainee: string; subject: string; submittedAt: string }> }>('/practice/review-queue'),
    enabled,
  });
}

export function useProgress() {
  return useQuery({
    queryKey: ['practice', 'progress'],
    queryFn: () =>
      api.get<{ items: Array<{ category: { id: string; name: string } | null; attempts: number; reviewed: number; averageScore: number | null; bestScore: number | null }> }>(
        '/practice/progress',
      ),
  });
}

export function usePracticeMutations() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: ['practice'] });
  return {
    generate: useMutation({ mutationFn: () => api.post<{ created: number }>('/practice/scenarios/generate', { limit: 10 }), onSuccess: done }),
    start: useMutation({ mutationFn: (scenarioId: string) => api.post<PracticeAttempt>('/practice/attempts', { scenarioId }), onSuccess: done }),
    turn: useMutation({ mutationFn: (v: { id: string; text: string }) => api.post<PracticeAttempt>(`/practice/attempts/${v.id}/turns`, { text: v.text }), onSuccess: done }),
    submit: useMutation({ mutationFn: (id: string) => api.post<PracticeAttempt>(`/practice/attempts/${id}/submit`), onSuccess: done }),
    review: useMutation({
      mutationFn: (v: { id: string; scores: Record<string, number>; feedback: string }) =>
        api.post<PracticeAttempt>(`/practice/attempts/${v.id}/review`, { scores: v.scores, feedback: v.feedback }),
      onSuccess: done,
    }),
  };
}
