import type {
  ApiToken,
  Category,
  CreateCategoryBody,
  CreateCustomFieldBody,
  CreateTeamBody,
  CreateTokenBody,
  CreateTokenResult,
  CustomField,
  DeleteConfigResult,
  DeskSettings,
  InviteStaffBody,
  InviteStaffResult,
  StaffUser,
  Team,
  UpdateCategoryBody,
  UpdateCustomFieldBody,
  UpdateSettingsBody,
  UpdateStaffBody,
  UpdateTeamBody,
} from '@seva/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

/**
 * The admin screens' calls (docs/api.md "Staff, tokens, settings" and "Admin configuration"). Query keys start with
 * the same word the agent workspace uses (['staff'], ['teams'], ['categories'], ['custom-fields']) so that
 * invalidating after a change refreshes both.
 */
interface Items<T> {
  items: T[];
}

export const adminKeys = {
  staff: ['staff', 'admin'] as const,
  teams: ['teams', 'admin'] as const,
  categories: ['categories', 'admin'] as const,
  customFields: ['custom-fields', 'admin'] as const,
  tokens: (all: boolean) => ['tokens', all ? 'all' : 'own'] as const,
  settings: ['settings'] as const,
};

export const adminApi = {
  listStaff: () => api.get<Items<StaffUser>>('/staff').then((r) => r.items),
  invite: (body: InviteStaffBody) => api.post<InviteStaffResult>('/staff/invitations', body),
  updateStaff: (id: string, body: UpdateStaffBody) => api.patch<StaffUser>(`/staff/${id}`, body),

  listTeams: () => api.get<Items<Team>>('/teams').then((r) => r.items),
  createTeam: (body: CreateTeamBody) => api.post<Team>('/teams', body),
  updateTeam: (id: string, body: UpdateTeamBody) => api.patch<Team>(`/teams/${id}`, body),
  setTeamMembers: (id: string, userIds: string[]) => api.put<Team>(`/teams/${id}/members`, { userIds }),
  deleteTeam: (id: string) => api.delete<void>(`/teams/${id}`),

  listCategories: () => api.get<Items<Category>>('/categories', { includeInactive: '1' }).then((r) => r.items),
  createCategory: (body: CreateCategoryBody) => api.post<Category>('/categories', body),
  updateCategory: (id: string, body: UpdateCategoryBody) => api.patch<Category>(`/categories/${id}`, body),
  deleteCategory: (id: string) => api.delete<DeleteConfigResult | undefined>(`/categories/${id}`),

  listCustomFields: () => api.get<Items<CustomField>>('/custom-fields', { includeInactive: '1' }).then((r) => r.items),
  createCustomField: (body: CreateCustomFieldBody) => api.post<CustomField>('/custom-fields', body),
  updateCustomField: (id: string, body: UpdateCustomFieldBody) => api.patch<CustomField>(`/custom-fields/${id}`, body),
  deleteCustomField: (id: string) => api.delete<DeleteConfigResult | undefined>(`/custom-fields/${id}`),

  listTokens: (all: boolean) =>
    api.get<Items<ApiToken>>('/tokens', all ? { all: '1' } : undefined).then((r) => r.items),
  createToken: (body: CreateTokenBody) => api.post<CreateTokenResult>('/tokens', body),
  revokeToken: (id: string) => api.delete<void>(`/tokens/${id}`),

  getSettings: () => api.get<DeskSettings>('/settings'),
  updateSettings: (body: UpdateSettingsBody) => api.patch<DeskSettings>('/settings', body),
};

export function useAdminStaff(enabled = true) {
  return useQuery({ queryKey: adminKeys.staff, queryFn: adminApi.listStaff, enabled });
}
