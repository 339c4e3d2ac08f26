import type {
  CostReport,
  CreateInsightsReportBody,
  CustomersAtRisk,
  Heatmap,
  HotButtons,
  InsightsAlert,
  InsightsDashboard,
  InsightsDrilldown,
  InsightsReportSubscription,
  InsightsSettings,
  InsightsShift,
  InsightsShiftList,
  InsightsSla,
  StaffingPlan,
  SurveyResults,
  SurveySettings,
} from '@seva/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

export interface InsightsParams {
  from: string;
  to: string;
  channel?: string;
  tz: string;
}

const q = (p: InsightsParams) => ({ from: p.from, to: p.to, channel: p.channel, tz: p.tz });

export function useDashboard(p: InsightsParams) {
  return useQuery({
    queryKey: ['insights', 'dashboard', p],
    queryFn: () => api.get<InsightsDashboard>('/insights/dashboard', q(p)),
    placeholderData: keepPreviousData,
  });
}

export function useHotButtons(p: InsightsParams, dimension: string) {
  return useQuery({
    queryKey: ['insights', 'hot', p, dimension],
    queryFn: () => api.get<HotButtons>('/insights/hot-buttons', { ...q(p), dimension }),
  });
}

export function useAlerts() {
  return useQuery({
    queryKey: ['insights', 'alerts'],
    queryFn: () => api.get<{ items: InsightsAlert[] }>('/insights/alerts'),
  });
}

export function useHeatmap(p: InsightsParams) {
  return useQuery({ queryKey: ['insights', 'heatmap', p], queryFn: () => api.get<Heatmap>('/insights/heatmap', q(p)) });
}

export function useStaffing(tz: string) {
  return useQuery({
    queryKey: ['insights', 'staffing', tz],
    queryFn: () => api.get<StaffingPlan>('/insights/staffing', { tz }),
  });
}

export function useCost(p: InsightsParams) {
  return useQuery({
    queryKey: ['insights', 'cost', p.from, p.to],
    queryFn: () => api.get<CostReport>('/insights/cost', { from: p.from, to: p.to }),
  });
}

export function useSurveyResults(p: InsightsParams) {
  return useQuery({
    queryKey: ['insights', 'csat', p.from, p.to],
    queryFn: () => api.get<SurveyResults>('/surveys/results', { from: p.from, to: p.to, kind: 'csat' }),
  });
}

export interface DrillTarget {
  title: string;
  query: Record<string, string>;
}

export function useDrilldown(p: InsightsParams, target: DrillTarget | null) {
  return useQuery({
    queryKey: ['insights', 'drill', p, target?.query],
    queryFn: () =>
      api.get<InsightsDrilldown>('/insights/drilldown', {
        from: p.from,
        to: p.to,
        channel: p.channel,
        limit: 50,
        ...target?.query,
      }),
    enabled: target !== null,
  });
}

export function exportUrl(p: InsightsParams, report: string): string {
  const s = new URLSearchParams({ from: p.from, to: p.to, tz: p.tz, report });
  if (p.channel) s.set('channel', p.channel);
  return `/api/v1/insights/export?${s.toString()}`;
}

/** From the server's background snapshot (at most 15 minutes old; `asOf` says when it was computed). */
export function useCustomersAtRisk(days: number) {
  return useQuery({
    queryKey: ['insights', 'risk', days],
    queryFn: () => api.get<CustomersAtRisk>('/insights/customers-at-risk', { days }),
  });
}

/** Computes the lists now (the server keeps them as the new snapshot) and shows them. */
export function useRefreshCustomersAtRisk(days: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.get<CustomersAtRisk>('/insights/customers-at-risk', { days, refresh: 'true' }),
    onSuccess: (data) => qc.setQueryData(['insights', 'risk', days], data),
  });
}

export type SlaBy = 'policy' | 'team' | 'assignee' | 'channel' | 'metric';

export function useSlaAchievement(p: InsightsParams, by: SlaBy) {
  return useQuery({
    queryKey: ['insights', 'sla', p, by],
    queryFn: () => api.get<InsightsSla>('/insights/sla', { from: p.from, to: p.to, channel: p.channel, by }),
  });
}

export function useReportSubscriptions() {
  return useQuery({
    queryKey: ['insights', 'reports'],
    queryFn: () => api.get<{ items: InsightsReportSubscription[] }>('/insights/reports'),
  });
}

export function useCreateReportSubscription() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInsightsReportBody) => api.post<InsightsReportSubscription>('/insights/reports', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['insights', 'reports'] }),
  });
}

export function useDeleteReportSubscription() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/insights/reports/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['insights', 'reports'] }),
  });
}

export function useSendReportNow() {
  return useMutation({ mutationFn: (id: string) => api.post<{ queued: boolean }>(`/insights/reports/${id}/send`) });
}

export function useInsightsSettings() {
  return useQuery({
    queryKey: ['insights', 'settings'],
    queryFn: () => api.get<InsightsSettings>('/insights/settings'),
  });
}

export function useSaveInsightsSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<InsightsSettings>) => api.patch<InsightsSettings>('/insights/settings', body),
    onSuccess: (data) => {
      qc.setQueryData(['insights', 'settings'], data);
      void qc.invalidateQueries({ queryKey: ['insights', 'staffing'] });
      void qc.invalidateQueries({ queryKey: ['insights', 'cost'] });
    },
  });
}

export function useSurveySettings() {
  return useQuery({ queryKey: ['surveys', 'settings'], queryFn: () => api.get<SurveySettings>('/surveys/settings') });
}

export function useSaveSurveySettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<SurveySettings>) => api.patch<SurveySettings>('/surveys/settings', body),
    onSuccess: (data) => qc.setQueryData(['surveys', 'settings'], data),
  });
}

export function useShifts() {
  return useQuery({ queryKey: ['insights', 'shifts'], queryFn: () => api.get<InsightsShiftList>('/insights/shifts') });
}

export function useCreateShift() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      staffId: string;
      weekday: number;
      startHour: number;
      endHour: number;
      channel?: string | null;
    }) => api.post<InsightsShift>('/insights/shifts', body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['insights', 'shifts'] });
      void qc.invalidateQueries({ queryKey: ['insights', 'staffing'] });
    },
  });
}

export function useDeleteShift() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/insights/shifts/${id}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['insights', 'shifts'] });
      void qc.invalidateQueries({ queryKey: ['insights', 'staffing'] });
    },
  });
}
