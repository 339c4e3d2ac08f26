import type { Category, CustomField, CustomFieldOption, SavedView, StaffUser, Team, Translations } from '@seva/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';

/** Desk configuration the agent workspace reads (docs/api.md "Admin configuration"). */
export type { Category, CustomField, CustomFieldOption, SavedView, Team, Translations };

interface Items<T> {
  items: T[];
}

const CONFIG_STALE = 5 * 60_000;

/** The label in the agent's language, falling back to the default name. */
export function localized(item: { name?: string; label?: string; translations?: Translations | null }, lang: string): string {
  const tr = item.translations as Record<string, string | undefined> | null | undefined;
  return tr?.[lang]?.trim() || item.name || item.label || '';
}

export function useCategories() {
  return useQuery({
    queryKey: ['categories'],
    queryFn: () => api.get<Items<Category>>('/categories').then((r) => r.items),
    staleTime: CONFIG_STALE,
  });
}

export function useTeams() {
  const { can } = useSession();
  return useQuery({
    queryKey: ['teams'],
    queryFn: () => api.get<Items<Team>>('/teams').then((r) => r.items),
    staleTime: CONFIG_STALE,
    enabled: can('staff:read'),
  });
}

export function useStaff() {
  const { can } = useSession();
  return useQuery({
    queryKey: ['staff'],
    queryFn: () => api.get<Items<StaffUser>>('/staff').then((r) => r.items),
    staleTime: CONFIG_STALE,
    enabled: can('staff:read'),
  });
}

export function useCustomFields() {
  return useQuery({
    queryKey: ['custom-fields'],
    queryFn: () => api.get<Items<CustomField>>('/custom-fields').then((r) => r.items),
    staleTime: CONFIG_STALE,
  });
}

export function useSavedViews() {
  return useQuery({
    queryKey: ['views'],
    queryFn: () => api.get<Items<SavedView>>('/views').then((r) => r.items),
    staleTime: 60_000,
  });
}
