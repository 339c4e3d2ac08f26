import { NavLink } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

/** The inbox views in the navigation (the inbox feature extends this with saved views and counts). */
export function InboxNav({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  return <NavLink component={Link} to="/" label={t('common:nav.inbox')} onClick={onNavigate} />;
}
