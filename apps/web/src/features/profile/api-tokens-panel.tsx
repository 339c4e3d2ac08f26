import {
  Alert,
  Badge,
  Button,
  Center,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ApiToken, CreateTokenResult, TokenScope } from '@seva/contracts';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatRelative } from '../../i18n/index.ts';
import { useSession } from '../../lib/session.tsx';
import { adminApi, adminKeys, useAdminStaff } from '../admin/admin-api.ts';
import { ConfirmModal, type ConfirmRequest } from '../admin/confirm-modal.tsx';
import { usePhone } from '../admin/use-phone.ts';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import {
  EXPIRY_CHOICES,
  type ExpiryChoice,
  expiryFrom,
  scopeKey,
  scopesFor,
  sortTokens,
  tokenState,
} from './token-status.ts';

const STATE_COLOR = { active: 'green', revoked: 'gray', expired: 'orange' } as const;

/**
 * API tokens: your own (profile), or everyone's (admin, `all`). The raw token is shown once, right after it is
 * created; afterwards only its prefix identifies it.
 */
export function ApiTokensPanel({ all }: { all: boolean }) {
  const { t, i18n } = useTranslation();
  const { session, can } = useSession();
  const qc = useQueryClient();
  const tokens = useQuery({ queryKey: adminKeys.tokens(all), queryFn: () => adminApi.listTokens(all) });
  const staff = useAdminStaff(all && can('staff:read'));
  const [creating, setCreating] = useState(false);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const owners = new Map((staff.data ?? []).map((s) => [s.id, s.name]));

  const revoke = useMutation({
    mutationFn: (token: ApiToken) => adminApi.revokeToken(token.id),
    onSuccess: (_r, token) => {
      setConfirm(null);
      void qc.invalidateQueries({ queryKey: ['tokens'] });
      notifications.show({ color: 'teal', message: t('profile:tokens.revoked', { name: token.name }) });
    },
    onError: (err) => {
      setConfirm(null);
      notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
    },
  });

  const items = sortTokens(tokens.data ?? []);

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Text c="dimmed" size="sm" maw={560}>
          {all ? t('profile:tokens.helpAll') : t('profile:tokens.help')}
        </Text>
        {can('tokens:own') && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="token-create">
            {t('profile:tokens.create')}
          </Button>
        )}
      </Group>
      {tokens.isLoading && (
        <Center p="lg">
          <Loader aria-label={t('common:states.loading')} />
        </Center>
      )}
      {tokens.error && <Alert color="red">{errorMessage(t, tokens.error)}</Alert>}
      {tokens.data?.length === 0 && <Text c="dimmed">{t('profile:tokens.empty')}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={700}>
          <Table striped verticalSpacing="sm" data-testid="tokens-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('profile:tokens.name')}</Table.Th>
                {all && <Table.Th>{t('profile:tokens.owner')}</Table.Th>}
                <Table.Th>{t('profile:tokens.prefix')}</Table.Th>
                <Table.Th>{t('profile:tokens.scopes')}</Table.Th>
                <Table.Th>{t('profile:tokens.lastUsed')}</Table.Th>
                <Table.Th>{t('profile:tokens.state')}</Table.Th>
                <Table.Th aria-label={t('admin:common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((tok) => {
                const state = tokenState(tok);
                return (
                  <Table.Tr key={tok.id} data-testid={`token-row-${tok.name}`}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {tok.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t('profile:tokens.createdAt', { when: formatDateTime(tok.createdAt, i18n.language) })}
                      </Text>
                    </Table.Td>
                    {all && (
                      <Table.Td>
                        {owners.get(tok.userId) ?? (tok.userId === session?.user.id ? session.user.name : '—')}
                      </Table.Td>
                    )}
                    <Table.Td>
                      <Code>{tok.prefix}…</Code>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {tok.scopes.map((s) => (
                          <Badge key={s} size="xs" variant="outline">
                            {t(`profile:scopes.${scopeKey(s)}`)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {tok.lastUsedAt ? formatRelative(tok.lastUsedAt, i18n.language) : t('profile:tokens.neverUsed')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATE_COLOR[state]} variant="light">
                        {t(`profile:tokenStates.${state}`)}
                      </Badge>
                      {state === 'active' && tok.expiresAt && (
                        <Text size="xs" c="dimmed">
                          {t('profile:tokens.expires', { when: formatDateTime(tok.expiresAt, i18n.language) })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {state === 'active' && (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          data-testid={`token-revoke-${tok.name}`}
                          onClick={() =>
                            setConfirm({
                              title: t('profile:tokens.revokeTitle'),
                              message: t('profile:tokens.revokeConfirm', { name: tok.name }),
                              confirmLabel: t('profile:tokens.revoke'),
                              danger: true,
                              onConfirm: () => revoke.mutate(tok),
                            })
                          }
                        >
                          {t('profile:tokens.revoke')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {creating && <CreateTokenModal role={session?.user.role ?? 'agent'} onClose={() => setCreating(false)} />}
      <ConfirmModal request={confirm} loading={revoke.isPending} onClose={() => setConfirm(null)} />
    </Stack>
  );
}

function CreateTokenModal({ role, onClose }: { role: string; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = usePhone();
  const qc = useQueryClient();
  const available = scopesFor(role);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>(['tickets:read']);
  const [expiry, setExpiry] = useState<ExpiryChoice>('never');
  const [errors, setErrors] = useState<{ name?: string; scopes?: string }>({});
  const [created, setCreated] = useState<CreateTokenResult | null>(null);

  const create = useMutation({
    mutationFn: adminApi.createToken,
    onSuccess: (r) => {
      setCreated(r);
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: (err) => setErrors({ name: fieldError(err, 'name'), scopes: fieldError(err, 'scopes') }),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (!name.trim()) next.name = t('admin:validation.required');
    if (scopes.length === 0) next.scopes = t('profile:tokens.scopesRequired');
    setErrors(next);
    if (next.name || next.scopes) return;
    create.mutate({ name: name.trim(), scopes, expiresAt: expiryFrom(expiry) });
  };

  return (
    <Modal
      opened
      fullScreen={phone}
      onClose={onClose}
      title={t('profile:tokens.createTitle')}
      centered
      size="lg"
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack data-testid="token-created">
          <Alert color="yellow" icon={<IconKey size={18} />} title={t('profile:tokens.onceTitle')}>
            {t('profile:tokens.onceHelp')}
          </Alert>
          <TextInput
            readOnly
            value={created.token}
            ff="monospace"
            label={created.record.name}
            data-testid="token-value"
            onFocus={(e) => e.currentTarget.select()}
          />
          <Group justify="flex-end">
            <CopyButton value={created.token}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? 'filled' : 'light'}
                  color={copied ? 'teal' : undefined}
                  onClick={copy}
                  data-testid="token-copy"
                >
                  {copied ? t('admin:common.copied') : t('admin:common.copy')}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose} data-testid="token-done">
              {t('admin:common.done')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={onSubmit} noValidate data-testid="token-form">
          <Stack gap="sm">
            {create.error && !(errors.name || errors.scopes) && (
              <Alert color="red">{errorMessage(t, create.error)}</Alert>
            )}
            <TextInput
              label={t('profile:tokens.name')}
              description={t('profile:tokens.nameHelp')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.name}
              data-testid="token-name"
            />
            <Checkbox.Group
              label={t('profile:tokens.scopes')}
              value={scopes}
              onChange={(v) => setScopes(v as TokenScope[])}
              error={errors.scopes}
            >
              <Stack gap={6} mt="xs">
                {available.map((s) => (
                  <Checkbox
                    key={s}
                    value={s}
                    label={t(`profile:scopes.${scopeKey(s)}`)}
                    description={t(`profile:scopeHelp.${scopeKey(s)}`)}
                    data-testid={`token-scope-${s}`}
                  />
                ))}
              </Stack>
            </Checkbox.Group>
            <Select
              label={t('profile:tokens.expiry')}
              data={EXPIRY_CHOICES.map((c) => ({ value: c, label: t(`profile:expiry.${c}`) }))}
              value={expiry}
              allowDeselect={false}
              onChange={(v) => v && setExpiry(v as ExpiryChoice)}
            />
            <Group justify="flex-end" mt="xs">
              <Button variant="default" onClick={onClose}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} data-testid="token-submit">
                {t('profile:tokens.createSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
