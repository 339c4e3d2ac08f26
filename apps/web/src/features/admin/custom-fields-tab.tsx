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
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { CustomField, CustomFieldType } from '@seva/contracts';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import { adminApi, adminKeys } from './admin-api.ts';
import {
  cleanTranslations,
  customFieldProblems,
  emptyDraft,
  keyFromLabel,
  nextPosition,
  type OptionDraft,
  toDrafts,
  toOptions,
} from './config-form.ts';
import { ConfirmModal, type ConfirmRequest } from './confirm-modal.tsx';
import { OptionsEditor } from './options-editor.tsx';
import { usePhone } from './use-phone.ts';

export const FIELD_TYPES = [
  'text',
  'number',
  'date',
  'dropdown',
  'checkbox',
] as const satisfies readonly CustomFieldType[];

/** Custom ticket fields: extra facts agents record on tickets (order number, product, warranty date …). */
export function CustomFieldsTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fields = useQuery({ queryKey: adminKeys.customFields, queryFn: adminApi.listCustomFields });
  const [editing, setEditing] = useState<CustomField | 'new' | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['custom-fields'] });

  const toggle = useMutation({
    mutationFn: (f: CustomField) => adminApi.updateCustomField(f.id, { isActive: !f.isActive }),
    onSuccess: () => void refresh(),
    onError: (err) =>
      notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) }),
  });
  const remove = useMutation({
    mutationFn: (f: CustomField) => adminApi.deleteCustomField(f.id),
    onSuccess: (result) => {
      setConfirm(null);
      void refresh();
      notifications.show({
        color: 'teal',
        message: result?.outcome === 'deactivated' ? t('admin:fields.inUseDeactivated') : t('admin:fields.deleted'),
      });
    },
    onError: (err) => {
      setConfirm(null);
      notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
    },
  });

  const items = [...(fields.data ?? [])].sort((a, b) => a.position - b.position || a.label.localeCompare(b.label));

  return (
    <Stack>
      <Group justify="space-between">
        <Text c="dimmed" size="sm">
          {t('admin:fields.help')}
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="field-create">
          {t('admin:fields.create')}
        </Button>
      </Group>
      {fields.isLoading && (
        <Center p="lg">
          <Loader aria-label={t('common:states.loading')} />
        </Center>
      )}
      {fields.error && <Alert color="red">{errorMessage(t, fields.error)}</Alert>}
      {fields.data?.length === 0 && <Text c="dimmed">{t('admin:fields.empty')}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="sm" data-testid="fields-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin:fields.label')}</Table.Th>
                <Table.Th>{t('admin:fields.key')}</Table.Th>
                <Table.Th>{t('admin:fields.type')}</Table.Th>
                <Table.Th>{t('admin:fields.required')}</Table.Th>
                <Table.Th>{t('admin:common.active')}</Table.Th>
                <Table.Th aria-label={t('admin:common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((f) => (
                <Table.Tr key={f.id} data-testid={`field-row-${f.key}`}>
                  <Table.Td>
                    <Text size="sm" fw={500} c={f.isActive ? undefined : 'dimmed'}>
                      {f.label}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {[f.translations.bn, f.translations.hi].filter(Boolean).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {f.key}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`admin:fieldTypes.${f.fieldType}`)}</Badge>
                    {f.fieldType === 'dropdown' && (
                      <Text size="xs" c="dimmed">
                        {t('admin:fields.optionCount', { count: f.options.length })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{f.isRequired ? t('admin:common.yes') : t('admin:common.no')}</Table.Td>
                  <Table.Td>
                    <Switch
                      checked={f.isActive}
                      onChange={() => toggle.mutate(f)}
                      aria-label={t('admin:common.activeFor', { name: f.label })}
                      disabled={toggle.isPending}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <ActionIcon
                        variant="subtle"
                        aria-label={t('admin:common.editItem', { name: f.label })}
                        onClick={() => setEditing(f)}
                      >
                        <IconPencil size={16} />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('admin:common.deleteItem', { name: f.label })}
                        onClick={() =>
                          setConfirm({
                            title: t('admin:fields.deleteTitle'),
                            message: t('admin:fields.deleteConfirm', { name: f.label }),
                            confirmLabel: t('common:actions.delete'),
                            danger: true,
                            onConfirm: () => remove.mutate(f),
                          })
                        }
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && (
        <CustomFieldModal
          field={editing === 'new' ? null : editing}
          defaultPosition={nextPosition(items)}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmModal request={confirm} loading={remove.isPending} onClose={() => setConfirm(null)} />
    </Stack>
  );
}

interface Errors {
  key?: string;
  label?: string;
  options?: string;
  option: Record<number, string>;
}

function CustomFieldModal({
  field,
  defaultPosition,
  onClose,
}: {
  field: CustomField | null;
  defaultPosition: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const phone = usePhone();
  const qc = useQueryClient();
  const [label, setLabel] = useState(field?.label ?? '');
  const [key, setKey] = useState(field?.key ?? '');
  const [keyTouched, setKeyTouched] = useState(field !== null);
  const [bn, setBn] = useState(field?.translations.bn ?? '');
  const [hi, setHi] = useState(field?.translations.hi ?? '');
  const [fieldType, setFieldType] = useState<CustomFieldType>(field?.fieldType ?? 'text');
  const [options, setOptions] = useState<OptionDraft[]>(field ? toDrafts(field.options) : []);
  const [isRequired, setIsRequired] = useState(field?.isRequired ?? false);
  const [isActive, setIsActive] = useState(field?.isActive ?? true);
  const [position, setPosition] = useState(field?.position ?? defaultPosition);
  const [errors, setErrors] = useState<Errors>({ option: {} });

  const save = useMutation({
    mutationFn: () => {
      const body = {
        label: label.trim(),
        translations: cleanTranslations({ bn, hi }),
        fieldType,
        options: toOptions(fieldType, options),
        isRequired,
        isActive,
        position,
      };
      return field ? adminApi.updateCustomField(field.id, body) : adminApi.createCustomField({ key, ...body });
    },
    onSuccess: (f) => {
      void qc.invalidateQueries({ queryKey: ['custom-fields'] });
      notifications.show({ color: 'teal', message: t('admin:fields.saved', { name: f.label }) });
      onClose();
    },
    onError: (err) =>
      setErrors({
        key: fieldError(err, 'key'),
        label: fieldError(err, 'label'),
        options: fieldError(err, 'options'),
        option: {},
      }),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next: Errors = { option: {} };
    for (const p of customFieldProblems({ key, label, fieldType, options })) {
      if (p.field === 'key')
        next.key = t(p.problem === 'required' ? 'admin:validation.required' : 'admin:validation.keyPattern');
      else if (p.field === 'label') next.label = t('admin:validation.required');
      else if (p.problem === 'none') next.options = t('admin:validation.optionsNone');
      else if (p.index !== undefined)
        next.option[p.index] = t(
          p.problem === 'duplicate' ? 'admin:validation.optionDuplicate' : 'admin:validation.required',
        );
    }
    setErrors(next);
    if (next.key || next.label || next.options || Object.keys(next.option).length > 0) return;
    save.mutate();
  };

  const serverFieldErrors =
    save.error instanceof ApiError &&
    save.error.code === 'VALIDATION_FAILED' &&
    (errors.key || errors.label || errors.options);

  return (
    <Modal
      opened
      fullScreen={phone}
      onClose={onClose}
      title={field ? t('admin:fields.editTitle') : t('admin:fields.create')}
      centered
      size="xl"
    >
      <form onSubmit={onSubmit} noValidate data-testid="field-form">
        <Stack gap="sm">
          {save.error && !serverFieldErrors && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <TextInput
            label={t('admin:fields.label')}
            required
            value={label}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setLabel(v);
              if (!keyTouched) setKey(keyFromLabel(v));
            }}
            error={errors.label}
            data-testid="field-label"
          />
          <TextInput
            label={t('admin:fields.key')}
            description={field ? t('admin:fields.keyFixed') : t('admin:fields.keyHelp')}
            required
            disabled={field !== null}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            value={key}
            onChange={(e) => {
              setKeyTouched(true);
              setKey(e.currentTarget.value.trim());
            }}
            error={errors.key}
            data-testid="field-key"
          />
          <Group grow wrap="wrap">
            <TextInput
              label={t('admin:common.nameBengali')}
              lang="bn"
              value={bn}
              onChange={(e) => setBn(e.currentTarget.value)}
              miw={180}
            />
            <TextInput
              label={t('admin:common.nameHindi')}
              lang="hi"
              value={hi}
              onChange={(e) => setHi(e.currentTarget.value)}
              miw={180}
            />
          </Group>
          <Select
            label={t('admin:fields.type')}
            data={FIELD_TYPES.map((ft) => ({ value: ft, label: t(`admin:fieldTypes.${ft}`) }))}
            value={fieldType}
            allowDeselect={false}
            onChange={(v) => {
              if (!v) return;
              setFieldType(v as CustomFieldType);
              if (v === 'dropdown' && options.length === 0) setOptions([emptyDraft()]);
            }}
            data-testid="field-type"
          />
          {fieldType === 'dropdown' && (
            <>
              <OptionsEditor value={options} onChange={setOptions} errors={errors.option} />
              {errors.options && (
                <Text size="sm" c="red">
                  {errors.options}
                </Text>
              )}
            </>
          )}
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
            label={t('admin:fields.requiredLabel')}
            description={t('admin:fields.requiredHelp')}
            checked={isRequired}
            onChange={(e) => setIsRequired(e.currentTarget.checked)}
            data-testid="field-required"
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
            <Button type="submit" loading={save.isPending} data-testid="field-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
