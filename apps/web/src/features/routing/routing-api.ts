import type {
  DutyShift,
  DutyShiftSeries,
  DutyShiftSeriesBody,
  Followup,
  Mailbox,
  OrganisationList,
  RoutingRuleBody,
  StaffRouting,
  Ticket,
  TimeOffEntry,
  TransferBody,
  UpdateDutyShiftBody,
  UpdateDutyShiftSeriesBody,
  UpdateStaffRoutingBody,
  UpdateTimeOffBody,
} from '@seva/contracts';
import { api } from '../../lib/api.ts';

export const routingKeys = {
  staff: ['routing', 'staff'] as const,
  followups: (state: string) => ['routing', 'followups', state] as const,
  experts: (q: string, language: string) => ['routing', 'experts', q, language] as const,
  rules: ['routing', 'rules'] as const,
  teams: ['routing', 'teams'] as const,
  timeOff: ['routing', 'time-off'] as const,
  shifts: ['routing', 'shifts'] as const,
  series: ['routing', 'shift-series'] as const,
  mailboxes: ['routing', 'mailboxes'] as const,
  organisations: ['routing', 'organisations'] as const,
  report: (kind: string, from: string, to: string) => ['routing', 'report', kind, from, to] as const,
};

export interface ExpertRow {
  userId: string;
  name: string;
  status: 'online' | 'away' | 'offline';
  score: number;
  skills: Array<{ skill: string; level: number }>;
  languages: string[];
  solvedMatching: number;
}

export const routingApi = {
  staff: () => api.get<{ items: StaffRouting[] }>('/routing/staff').then((r) => r.items),
  setAvailability: (status: string) => api.put<StaffRouting>('/routing/me/availability', { status }),
  updateStaff: (id: string, b: UpdateStaffRoutingBody) => api.patch<StaffRouting>(`/routing/staff/${id}`, b),
  transfer: (ticketId: string, b: TransferBody) => api.post<Ticket>(`/tickets/${ticketId}/transfer`, b),
  escalate: (ticketId: string, note: string) => api.post<Ticket>(`/tickets/${ticketId}/escalate`, { note }),
  followups: (state: 'open' | 'closed') =>
    api.get<{ items: Followup[] }>('/routing/following-up', { state }).then((r) => r.items),
  closeFollowup: (id: string, contactedCustomer: boolean) =>
    api.post<void>(`/routing/followups/${id}/close`, { contactedCustomer }),
  experts: (q: string, language: string) =>
    api
      .get<{ items: ExpertRow[] }>('/routing/experts', { ...(q ? { q } : {}), ...(language ? { language } : {}) })
      .then((r) => r.items),
  rules: () => api.get<{ items: Array<RoutingRuleBody & { id: string }> }>('/routing/rules').then((r) => r.items),
  saveRule: (id: string | null, b: RoutingRuleBody) =>
    id ? api.put(`/routing/rules/${id}`, b) : api.post('/routing/rules', b),
  deleteRule: (id: string) => api.delete<void>(`/routing/rules/${id}`),
  timeOff: () => api.get<{ items: TimeOffEntry[] }>('/routing/time-off').then((r) => r.items),
  addTimeOff: (userId: string, b: { startsAt: string; endsAt: string; note?: string }) =>
    api.post<void>(`/routing/staff/${userId}/time-off`, b),
  updateTimeOff: (id: string, b: UpdateTimeOffBody) => api.patch<TimeOffEntry>(`/routing/time-off/${id}`, b),
  deleteTimeOff: (id: string) => api.delete<void>(`/routing/time-off/${id}`),
  /** one-off shifts only: the occurrences of repeating shifts are listed as their series */
  shifts: () => api.get<{ items: DutyShift[] }>('/routing/shifts', { oneOff: 'true' }).then((r) => r.items),
  addShift: (b: { userId: string; teamId: string | null; startsAt: string; endsAt: string; note?: string }) =>
    api.post<void>('/routing/shifts', b),
  updateShift: (id: string, b: UpdateDutyShiftBody) => api.patch<DutyShift>(`/routing/shifts/${id}`, b),
  deleteShift: (id: string) => api.delete<void>(`/routing/shifts/${id}`),
  series: () => api.get<{ items: DutyShiftSeries[] }>('/routing/shift-series').then((r) => r.items),
  addSeries: (b: DutyShiftSeriesBody) => api.post<DutyShiftSeries>('/routing/shift-series', b),
  updateSeries: (id: string, b: UpdateDutyShiftSeriesBody) =>
    api.patch<DutyShiftSeries>(`/routing/shift-series/${id}`, b),
  deleteSeries: (id: string) => api.delete<void>(`/routing/shift-series/${id}`),
  /** for the rules' mailbox and organisation pickers */
  mailboxes: () => api.get<{ items: Mailbox[] }>('/mailboxes').then((r) => r.items),
  organisations: () => api.get<OrganisationList>('/organisations', { limit: 100 }).then((r) => r.items),
  teamStrategies: () => api.get<Record<string, string>>('/routing/teams'),
  setStrategy: (teamId: string, strategy: string) => api.put<void>(`/routing/teams/${teamId}`, { strategy }),
  assignmentReport: (from: string, to: string) =>
    api.get<{ rows: Array<{ userId: string | null; name: string; day: string; assigned: number }> }>(
      '/routing/reports/assignments',
      { from, to },
    ),
  transferReport: (from: string, to: string) =>
    api.get<{
      rows: Array<{
        userId: string;
        name: string;
        transfers: number;
        followupsKept: number;
        followupsMissed: number;
        followupsOpen: number;
      }>;
    }>('/routing/reports/transfers', { from, to }),
};
