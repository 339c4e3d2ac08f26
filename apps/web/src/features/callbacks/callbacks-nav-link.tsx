import { Badge, NavLink } from '@mantine/core';
import { IconPhoneCall } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { useCallbacks } from './callbacks-api.ts';

/** "Callbacks" in the navigation, with the number of open requests nobody else has claimed. */
export function CallbacksNavLink({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const open = useCallbacks('open');
  const count = (open.data ?? []).filter((c) => !c.claimedById || c.claimedById === session?.user.id).length;
  return (
    <NavLink
      component={Link}
      to="/callbacks"
      label={t('callbacks:nav')}
      leftSection={<IconPhoneCall size={16} />}
      rightSection={
        count > 0 ? (
          <Badge size="sm" color="orange" circle data-testid="callbacks-nav-count" aria-label={t('callbacks:page.openCount', { count })}>
            {count}
          </Badge>
        ) : null
      }
      onClick={onNavigate}
      data-testid="nav-callbacks"
    />
  );
}
