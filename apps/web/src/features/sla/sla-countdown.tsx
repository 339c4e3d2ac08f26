import { Badge, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber } from '../../i18n/index.ts';
import { countdown, durationParts, type SlaTone, TONE_COLOR } from './countdown.ts';

/** The current time, re-read every `everyMs` (one timer per component; cheap at a 15 s tick). */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

export function useDuration() {
  const { t, i18n } = useTranslation();
  return (c: Parameters<typeof durationParts>[0]) =>
    durationParts(c)
      .map((p) => t(`sla:units.${p.unit}`, { n: formatNumber(p.value, i18n.language) }))
      .join(' ');
}

/** A live badge: "due in 2 h 30 m" (teal), at risk (orange), "15 m overdue" (red). */
export function SlaCountdown({ dueAt, state, size = 'sm' }: { dueAt: string | null; state: SlaTone | null; size?: 'xs' | 'sm' | 'md' }) {
  const { t, i18n } = useTranslation();
  // the tick re-renders; reading the clock at render too keeps the text right when the data changes between ticks
  useNow(5_000);
  const duration = useDuration();
  if (!dueAt) return null;
  const c = countdown(dueAt, state, Date.now());
  const text = c.overdue ? t('sla:overdue', { time: duration(c) }) : t('sla:dueIn', { time: duration(c) });
  return (
    <Tooltip label={t('sla:dueAt', { at: formatDateTime(dueAt, i18n.language) })}>
      <Badge color={TONE_COLOR[c.tone]} variant={c.tone === 'ok' ? 'light' : 'filled'} size={size} data-testid="sla-countdown" data-sla-tone={c.tone}>
        {text}
      </Badge>
    </Tooltip>
  );
}
