import { Center, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from './language-switcher.tsx';

/** The frame of the signed-out screens: name of the desk, language switcher, one card. Fits a phone. */
export function AuthShell({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Center mih="100dvh" p="md" bg="var(--mantine-color-gray-0)">
      <Container size={440} w="100%" p={0}>
        <Stack gap="md">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Text fw={700} size="xl" c="teal.8">
              {t('common:appName')}
            </Text>
            <LanguageSwitcher />
          </Group>
          <Paper withBorder shadow="sm" radius="md" p={{ base: 'md', sm: 'xl' }}>
            <Stack gap="xs" mb="md">
              <Title order={1} size="h2">
                {title}
              </Title>
              {subtitle && (
                <Text c="dimmed" size="sm">
                  {subtitle}
                </Text>
              )}
            </Stack>
            {children}
          </Paper>
        </Stack>
      </Container>
    </Center>
  );
}
