import type {
  ActionPlan,
  ActionPlanImpact,
  ActionPlanStatus,
  Category,
  CreateActionPlanBody,
  Kudos,
  Leaderboard,
  NotifyActionPlanBody,
  Playbook,
  UpdateActionPlanBody,
  UpsertPlaybookBody,
} from '@seva/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

/** Improve: action plans, playbooks, kudos and recognition over the typed API client (docs/improve.md). */
interface Items<T> {
  items: T[];
}

export function useActionPlans(status?: string) {
  return useQuery({
    queryKey: ['improve', 'plans', status ?? 'all'],
    queryFn: () => api.get<Items<ActionPlan>>('/action-plans', status ? { status } : {}),
  });
}

export function useActionPlanTickets(id: string | null) {
  return useQuery({
    queryKey: ['improve', 'plan-tickets', id],
    queryFn: () =>
      api.get<Items<{ id: string; number: number; subject: string; status: string; language: string | null; notifiedAt: string | null }>>(
        `/action-plans/${id}/tickets`,
      ),
    enabled: id !== null,
  });
}

export function useActionPlanImpact(id: string | null) {
  return useQuery({
    queryKey: ['improve', 'impact', id],
    queryFn: () => api.get<ActionPlanImpact>(`/action-plans/${id}/impact`, { weeks: 8 }),
    enabled: id !== null,
  });
}

export function useCategories() {
  return useQuery({ queryKey: ['categories'], queryFn: () => api.get<Items<Category>>('/categories').then((r) => r.items) });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['improve'] });
}

export function useCreateActionPlan() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (body: CreateActionPlanBody) => api.post<ActionPlan>('/action-plans', body), onSuccess: done });
}

export function useUpdateActionPlan(id: string) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (body: UpdateActionPlanBody) => api.patch<ActionPlan>(`/action-plans/${id}`, body),
    onSuccess: done,
  });
}

export function useLinkTickets(id: string) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (tickets: string[]) => api.post<ActionPlan>(`/action-plans/${id}/tickets`, { tickets }),
    onSuccess: done,
  });
}

export function useNotifyActionPlan(id: string) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (body: NotifyActionPlanBody) =>
      api.post<{ notified: number; skipped: number; byLanguage: Record<string, number> }>(`/action-plans/${id}/notify`, body),
    onSuccess: done,
  });
}

export function usePlaybooks(locale?: string) {
  return useQuery({
    queryKey: ['improve', 'playbooks', locale ?? 'all'],
    queryFn: () => api.get<Items<Playbook>>('/playbooks', locale ? { locale } : {}),
  });
}

export function useTicketPlaybook(ref: string) {
  return useQuery({
    queryKey: ['improve', 'ticket-playbook', ref],
    queryFn: () => api.get<{ playbook: Playbook | null }>(`/tickets/${ref}/playbook`),
  });
}

export function useSavePlaybook() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (body: UpsertPlaybookBody) => api.put<Playbook>('/playbooks', body), onSuccess: done });
}

export function useGeneratePlaybooks() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (body: { locale: 'en' | 'bn' | 'hi'; top: number }) => api.post<Items<Playbook>>('/playbooks/generate', body),
    onSuccess: done,
  });
}

export function useLeaderboard(period: 'week' | 'month' | 'quarter') {
  return useQuery({ queryKey: ['improve', 'leaderboard', period], queryFn: () => api.get<Leaderboard>('/recognition/leaderboard', { period }), retry: false });
}

export function useThanks() {
  return useQuery({
    queryKey: ['improve', 'thanks'],
    queryFn: () =>
      api.get<Items<{ id: string; comment: string; rating: number; answeredAt: string; staff: { id: string; name: string } | null }>>(
        '/recognition/thanks',
      ),
    retry: false,
  });
}

export function useDigest() {
  return useQuery({
    queryKey: ['improve', 'digest'],
    queryFn: () =>
      api.get<{ points: number; solved: number; firstContactResolutions: number; goodRatings: number; badges: string[]; kudos: Array<{ message: string; from: string | null; at: string }> }>(
        '/recognition/digest',
      ),
    retry: false,
  });
}

export function useSendKudos() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (body: { toStaffId: string; ticketId?: string; message: string }) => api.post<Kudos>('/kudos', body),
    onSuccess: done,
  });
}

export const PLAN_STATUS_COLOURS: Record<ActionPlanStatus, string> = {
  open: 'blue',
  in_progress: 'yellow',
  fix_shipped: 'teal',
  done: 'green',
  dropped: 'gray',
};

/** The moves the server allows from each status (mirrors action-plans.service.ts). */
export const PLAN_NEXT: Record<ActionPlanStatus, ActionPlanStatus[]> = {
  open: ['in_progress', 'fix_shipped', 'dropped'],
  in_progress: ['open', 'fix_shipped', 'dropped'],
  fix_shipped: ['in_progress', 'done'],
  done: ['in_progress'],
  dropped: ['open'],
};
