import type { Ticket } from '@seva/contracts';
import { Anchor, Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';

interface Suggestions {
  suggestions: Array<{ categoryId: string | null; label: string; confidence: number }>;
}

/** The classifier's best guess for an uncategorised ticket, with its confidence; one click applies it. */
export function CategorySuggestion({ ticket, onApply, disabled }: { ticket: Ticket; onApply(categoryId: string): void; disabled: boolean }) {
  const { t, i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['ticket', ticket.id, 'category-suggestions'],
    queryFn: () => api.get<Suggestions>(`/tickets/${ticket.id}/category-suggestions`),
    enabled: !ticket.categoryId,
    staleTime: 60_000,
  });
  const best = q.data?.suggestions.find((s) => s.categoryId);
  if (ticket.categoryId || !best?.categoryId) return null;
  const pct = new Intl.NumberFormat(i18n.language, { style: 'percent' }).format(best.confidence);
  return (
    <Group gap={4} data-testid="category-suggestion">
      <Text size="xs" c="dimmed">
        {t('ticket:properties.suggested', { label: best.label, confidence: pct })}
      </Text>
      {!disabled && (
        <Anchor size="xs" component="button" type="button" onClick={() => best.categoryId && onApply(best.categoryId)} data-testid="category-suggestion-apply">
          {t('ticket:properties.applySuggestion')}
        </Anchor>
      )}
    </Group>
  );
}
