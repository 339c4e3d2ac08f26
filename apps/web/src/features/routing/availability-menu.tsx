import { Indicator, Menu, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { routingApi, routingKeys } from './routing-api.ts';

const COLOR = { online: 'teal', away: 'orange', offline: 'gray' } as const;

/** Online, away or offline: only people online are given new work by the team's strategy. */
export function AvailabilityMenu() {
  const { t } = useTranslation();
  const { session } = useSession();
  const qc = useQueryClient();
  const staff = useQuery({ queryKey: routingKeys.staff, queryFn: routingApi.staff, staleTime: 30_000 });
  const me = staff.data?.find((s) => s.userId === session?.user.id);
  const status = me?.status ?? 'offline';
  const set = useMutation({
    mutationFn: routingApi.setAvailability,
    onSuccess: () => void qc.invalidateQueries({ queryKey: routingKeys.staff }),
    onError: () => notifications.show({ color: 'red', message: t('common:states.error') }),
  });
  return (
    <Menu>
      <Menu.Target>
        <UnstyledButton aria-label={t('routing:availability.label')} data-testid="availability-menu" data-status={status}>
          <Indicator color={COLOR[status]} position="middle-start" offset={-8} size={8}>
            <Text size="sm" ml={6}>
              {t(`routing:availability.${status}`)}
            </Text>
          </Indicator>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        {(['online', 'away', 'offline'] as const).map((s) => (
          <Menu.Item key={s} onClick={() => set.mutate(s)} data-testid={`availability-${s}`}>
            {t(`routing:availability.${s}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
