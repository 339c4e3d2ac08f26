import type { ActionPlan, ActionPlanStatus } from '@seva/contracts';
import { Anchor, Badge, Button, Checkbox, Drawer, Group, Modal, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { ImpactBars } from './impact-bars.tsx';
import {
  PLAN_NEXT,
  PLAN_STATUS_COLOURS,
  useActionPlanImpact,
  useActionPlanTickets,
  useLinkTickets,
  useNotifyActionPlan,
  useUpdateActionPlan,
} from './improve-api.ts';

function NotifyModal({ plan, onClose }: { plan: ActionPlan; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotifyActionPlan(plan.id);
  const [en, setEn] = useState('');
  const [bn, setBn] = useState('');
  const [hi, setHi] = useState('');
  const [solve, setSolve] = useState(true);
  const send = () =>
    notify.mutate(
      { messages: { en, ...(bn.trim() ? { bn } : {}), ...(hi.trim() ? { hi } : {}) }, solve },
      {
        onSuccess: (r) => {
          notifications.show({ color: 'teal', message: t('improve:notify.done', { notified: r.notified, skipped: r.skipped }) });
          onClose();
        },
      },
    );
  return (
    <Modal opened onClose={onClose} title={t('improve:notify.title')} size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          {t('improve:notify.explain', { n: plan.waitingCount })}
        </Text>
        <Textarea label={t('common:languages.en')} value={en} onChange={(e) => setEn(e.currentTarget.value)} required autosize minRows={2} data-testid="notify-en" />
        <Textarea label={t('common:languages.bn')} value={bn} onChange={(e) => setBn(e.currentTarget.value)} autosize minRows={2} data-testid="notify-bn" />
        <Textarea label={t('common:languages.hi')} value={hi} onChange={(e) => setHi(e.currentTarget.value)} autosize minRows={2} data-testid="notify-hi" />
        <Checkbox label={t('improve:notify.solve')} checked={solve} onChange={(e) => setSolve(e.currentTarget.checked)} />
        {notify.isError && <Text c="red">{(notify.error as Error).message}</Text>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={send} disabled={en.trim() === ''} loading={notify.isPending} data-testid="notify-send">
            {t('improve:notify.send')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** One action plan: the problem, its status and fix, the tickets behind it, contacts before/after, and the notice. */
export function ActionPlanDrawer({ plan, onClose }: { plan: ActionPlan; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const manage = can('improve:manage');
  const update = useUpdateActionPlan(plan.id);
  const link = useLinkTickets(plan.id);
  const tickets = useActionPlanTickets(plan.id);
  const impact = useActionPlanImpact(plan.id);
  const [fix, setFix] = useState(plan.fix);
  const [refs, setRefs] = useState('');
  const [notifying, setNotifying] = useState(false);
  const fail = (err: unknown) =>
    notifications.show({ color: 'red', message: err instanceof ApiError ? (err.problem.errors?.[0]?.message ?? err.message) : String(err) });

  return (
    <Drawer opened onClose={onClose} position="right" size="lg" title={<Title order={3} size="h4">{plan.title}</Title>}>
      <Stack data-testid="action-plan-drawer">
        <Group gap="xs">
          <Badge color={PLAN_STATUS_COLOURS[plan.status]}>{t(`improve:status.${plan.status}`)}</Badge>
          {plan.category && <Badge variant="light">{plan.category.name}</Badge>}
          {plan.tag && <Badge variant="outline">#{plan.tag}</Badge>}
          {plan.overdue && <Badge color="red">{t('improve:plans.overdue')}</Badge>}
        </Group>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{plan.problem}</Text>
        <Text size="sm" c="dimmed">
          {t('improve:plans.owner')}: {plan.ownerName}
          {plan.dueDate ? ` · ${t('improve:plans.due')}: ${plan.dueDate}` : ''}
        </Text>

        {manage && (
          <Select
            label={t('improve:plans.moveTo')}
            placeholder={t('improve:plans.choose')}
            data={PLAN_NEXT[plan.status].map((s) => ({ value: s, label: t(`improve:status.${s}`) }))}
            value={null}
            onChange={(v) => v && update.mutate({ status: v as ActionPlanStatus, fix }, { onError: fail })}
            data-testid="plan-status"
          />
        )}
        <Textarea
          label={t('improve:plans.fix')}
          value={fix}
          onChange={(e) => setFix(e.currentTarget.value)}
          readOnly={!manage}
          autosize
          minRows={2}
          data-testid="plan-fix"
        />
        {manage && fix !== plan.fix && (
          <Button size="xs" w="fit-content" onClick={() => update.mutate({ fix }, { onError: fail })}>
            {t('common:actions.save')}
          </Button>
        )}

        <Title order={4} size="h5">
          {t('improve:impact.title')}
        </Title>
        {impact.data && <ImpactBars impact={impact.data} />}

        <Title order={4} size="h5">
          {t('improve:plans.tickets', { waiting: plan.waitingCount, total: plan.ticketCount })}
        </Title>
        {manage && (
          <Group align="flex-end">
            <TextInput
              label={t('improve:plans.linkTickets')}
              placeholder="1042, 1043"
              value={refs}
              onChange={(e) => setRefs(e.currentTarget.value)}
              style={{ flex: 1 }}
              data-testid="plan-link-input"
            />
            <Button
              onClick={() =>
                link.mutate(
                  refs.split(/[\s,]+/).map((x) => x.replace(/^#/, '')).filter(Boolean),
                  { onSuccess: () => setRefs(''), onError: fail },
                )
              }
              disabled={refs.trim() === ''}
              loading={link.isPending}
            >
              {t('improve:plans.link')}
            </Button>
          </Group>
        )}
        <Stack gap={4}>
          {tickets.data?.items.map((tk) => (
            <Group key={tk.id} gap="xs">
              <Anchor renderRoot={(props) => <Link {...props} to="/tickets/$ticketId" params={{ ticketId: String(tk.number) }} />}>
                #{tk.number}
              </Anchor>
              <Text size="sm" lineClamp={1} style={{ flex: 1 }}>
                {tk.subject}
              </Text>
              <Badge size="xs" variant="light">
                {t(`ticket:status.${tk.status}`)}
              </Badge>
              {tk.notifiedAt && (
                <Badge size="xs" color="teal">
                  {t('improve:plans.notified')}
                </Badge>
              )}
            </Group>
          ))}
        </Stack>
        {manage && (plan.status === 'fix_shipped' || plan.status === 'done') && plan.waitingCount > 0 && (
          <Button color="teal" onClick={() => setNotifying(true)} data-testid="plan-notify">
            {t('improve:notify.open', { n: plan.waitingCount })}
          </Button>
        )}
      </Stack>
      {notifying && <NotifyModal plan={plan} onClose={() => setNotifying(false)} />}
    </Drawer>
  );
}
