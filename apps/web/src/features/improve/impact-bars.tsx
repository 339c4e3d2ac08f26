import type { ActionPlanImpact } from '@seva/contracts';
import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/index.ts';

/** Contacts per week as bars: grey before the fix, teal after it. Plain SVG, no chart library. */
export function ImpactBars({ impact }: { impact: ActionPlanImpact }) {
  const { t, i18n } = useTranslation();
  const max = Math.max(1, ...impact.weeks.map((w) => w.count));
  const width = 24;
  const height = 80;
  return (
    <div data-testid="impact-bars">
      <svg width={impact.weeks.length * (width + 4)} height={height + 4} role="img" aria-label={t('improve:impact.chartLabel')}>
        {impact.weeks.map((w, i) => {
          const h = Math.round((w.count / max) * height);
          return (
            <rect key={w.weekStart} x={i * (width + 4)} y={height - h + 2} width={width} height={Math.max(h, 1)} fill={w.after ? '#12b886' : '#adb5bd'}>
              <title>{`${w.weekStart.slice(0, 10)}: ${w.count}`}</title>
            </rect>
          );
        })}
      </svg>
      <Group gap="lg" mt={4}>
        <Text size="sm">{t('improve:impact.before', { n: formatNumber(impact.beforePerWeek, i18n.language) })}</Text>
        {impact.afterPerWeek !== null && (
          <Text size="sm">{t('improve:impact.after', { n: formatNumber(impact.afterPerWeek, i18n.language) })}</Text>
        )}
        {impact.change !== null && (
          <Text size="sm" fw={600} c={impact.change <= 0 ? 'teal' : 'red'} data-testid="impact-change">
            {t('improve:impact.change', { pct: formatNumber(Math.round(impact.change * 100), i18n.language) })}
          </Text>
        )}
      </Group>
    </div>
  );
}
