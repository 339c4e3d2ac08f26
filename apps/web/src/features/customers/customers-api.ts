import type { Customer } from '@seva/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';

export const customerKey = (id: string) => ['customer', id] as const;

export function useCustomer(id: string | undefined) {
  const { can } = useSession();
  return useQuery({
    queryKey: customerKey(id ?? ''),
    queryFn: () => api.get<Customer>(`/customers/${id}`),
    enabled: !!id && can('customers:read'),
  });
}
