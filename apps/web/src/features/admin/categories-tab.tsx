import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Modal,
  NumberInput,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Category, CreateCategoryBody } from '@seva/contracts';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import { adminApi, adminKeys } from './admin-api.ts';
import { cleanTranslations, nextPosition } from './config-form.ts';
import { ConfirmModal, type ConfirmRequest } from './confirm-modal.tsx';
import { usePhone } from './use-phone.ts';

/** Categories: what tickets are about, named in English, Bengali and Hindi, in the order agents see them. */
export function CategoriesTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const categories = useQuery({ queryKey: adminKeys.categories, queryFn: adminApi.listCategories });
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['categories'] });

  const toggle = useMutation({
    mutationFn: (c: Category) => adminApi.updateCategory(c.id, { isActive: !c.isActive }),
    onSuccess: (c) => {
      void refresh();
      notifications.show({
        color: 'teal',
        message: c.isActive
          ? t('admin:categories.activated', { name: c.name })
          : t('admin:categories.deactivated', { name: c.name }),
      });
    },
    onError: (err) =>
      notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) }),
  });
  const remove = useMutation({
    mutationFn: (c: Category) => adminApi.deleteCategory(c.id),
    onSuccess: (result) => {
      setConfirm(null);
      void refresh();
      notifications.show({
        color: 'teal',
        message:
          result?.outcome === 'deactivated' ? t('admin:categories.inUseDeactivated') : t('admin:categories.deleted'),
      });
    },
    onError: (err) => {
      setConfirm(null);
      notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
    },
  });

  const items = [...(categories.data ?? [])].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));

  return (
    <Stack>
      <Group justify="space-between">
        <Text c="dimmed" size="sm">
          {t('admin:categories.help')}
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="category-create">
          {t('admin:categories.create')}
        </Button>
      </Group>
      {categories.isLoading && (
        <Center p="lg">
          <Loader aria-label={t('common:states.loading')} />
        </Center>
      )}
      {categories.error && <Alert color="red">{errorMessage(t, categories.error)}</Alert>}
      {categories.data?.length === 0 && <Text c="dimmed">{t('admin:categories.empty')}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="sm" data-testid="categories-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin:common.order')}</Table.Th>
                <Table.Th>{t('admin:common.nameEnglish')}</Table.Th>
                <Table.Th>{t('admin:common.nameBengali')}</Table.Th>
                <Table.Th>{t('admin:common.nameHindi')}</Table.Th>
                <Table.Th>{t('admin:categories.tickets')}</Table.Th>
                <Table.Th>{t('admin:common.active')}</Table.Th>
                <Table.Th aria-label={t('admin:common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.id} data-testid={`category-row-${c.name}`}>
                  <Table.Td>{c.position}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500} c={c.isActive ? undefined : 'dimmed'}>
                      {c.name}
                    </Text>
                  </Table.Td>
                  <Table.Td lang="bn">
                    {c.translations.bn || (
                      <Badge variant="outline" color="gray" size="xs">
                        {t('admin:common.missing')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td lang="hi">
                    {c.translations.hi || (
                      <Badge variant="outline" color="gray" size="xs">
                        {t('admin:common.missing')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{c.ticketCount}</Table.Td>
                  <Table.Td>
                    <Switch
                      checked={c.isActive}
                      onChange={() => toggle.mutate(c)}
                      aria-label={t('admin:common.activeFor', { name: c.name })}
                      disabled={toggle.isPending}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('admin:common.editItem', { name: c.name })}
                        onClick={() => setEditing(c)}
                      >
                        <IconPencil size={16} />
                      </ActionIcon>
                      <Tooltip
                        label={c.ticketCount > 0 ? t('admin:categories.deleteInUseHint') : t('common:actions.delete')}
                      >
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('admin:common.deleteItem', { name: c.name })}
                          onClick={() =>
                            setConfirm({
                              title: t('admin:categories.deleteTitle'),
                              message:
                                c.ticketCount > 0
                                  ? t('admin:categories.deleteInUseConfirm', { name: c.name, count: c.ticketCount })
                                  : t('admin:categories.deleteConfirm', { name: c.name }),
                              confirmLabel: t('common:actions.delete'),
                              danger: true,
                              onConfirm: () => remove.mutate(c),
                            })
                          }
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && (
        <CategoryModal
          category={editing === 'new' ? null : editing}
          defaultPosition={nextPosition(items)}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmModal request={confirm} loading={remove.isPending} onClose={() => setConfirm(null)} />
    </Stack>
  );
}

function CategoryModal({
  category,
  defaultPosition,
  onClose,
}: {
  category: Category | null;
  defaultPosition: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const phone = usePhone();
  const qc = useQueryClient();
  const [name, setName] = useState(category?.name ?? '');
  const [bn, setBn] = useState(category?.translations.bn ?? '');
  const [hi, setHi] = useState(category?.translations.hi ?? '');
  const [position, setPosition] = useState<number>(category?.position ?? defaultPosition);
  const [isActive, setIsActive] = useState(category?.isActive ?? true);
  const [nameError, setNameError] = useState<string | undefined>();

  const save = useMutation({
    mutationFn: (body: CreateCategoryBody) =>
      category ? adminApi.updateCategory(category.id, body) : adminApi.createCategory(body),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: ['categories'] });
      notifications.show({ color: 'teal', message: t('admin:categories.saved', { name: c.name }) });
      onClose();
    },
    onError: (err) => setNameError(fieldError(err, 'name')),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError(t('admin:validation.required'));
      return;
    }
    setNameError(undefined);
    save.mutate({ name: name.trim(), translations: cleanTranslations({ bn, hi }), position, isActive });
  };

  return (
    <Modal
      opened
      fullScreen={phone}
      onClose={onClose}
      title={category ? t('admin:categories.editTitle') : t('admin:categories.create')}
      centered
    >
      <form onSubmit={onSubmit} noValidate data-testid="category-form">
        <Stack gap="sm">
          {save.error && !nameError && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <TextInput
            label={t('admin:common.nameEnglish')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError}
            data-testid="category-name"
          />
          <TextInput
            label={t('admin:common.nameBengali')}
            lang="bn"
            value={bn}
            onChange={(e) => setBn(e.currentTarget.value)}
            data-testid="category-name-bn"
          />
          <TextInput
            label={t('admin:common.nameHindi')}
            lang="hi"
            value={hi}
            onChange={(e) => setHi(e.currentTarget.value)}
            data-testid="category-name-hi"
          />
          <NumberInput
            label={t('admin:common.order')}
            description={t('admin:common.orderHelp')}
            min={0}
            max={100000}
            allowDecimal={false}
            value={position}
            onChange={(v) => setPosition(typeof v === 'number' ? v : Number(v) || 0)}
          />
          <Switch
            label={t('admin:common.active')}
            checked={isActive}
            onChange={(e) => setIsActive(e.currentTarget.checked)}
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="category-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
