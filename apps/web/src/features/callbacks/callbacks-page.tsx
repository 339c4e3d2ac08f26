import type { Callback, CallbackPatch } from '@seva/contracts';
import { Alert, Anchor, Badge, Button, Card, Center, Group, Loader, Popover, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCalendarTime, IconPhone, IconPhoneCall } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { errorMessage } from '../auth/auth-errors.ts';
import { callbackKeys, callbacksApi, useCallbacks } from './callbacks-api.ts';
import { formatInZone, isKnownTimeZone, isoToLocalInput, localInputToIso } from './call-time.ts';
import { type LogCallTarget, LogCallModal } from './log-call-modal.tsx';

const STATUS_COLOR: Record<string, string> = { requested: 'orange', scheduled: 'blue', completed: 'teal', unreachable: 'red', cancelled: 'gray' };

/** The callback queue: requests from the widget ("call me back"), claim, schedule, call and log the outcome. */
export function CallbacksPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'open' | 'done'>('open');
  const list = useCallbacks(status);
  const [logging, setLogging] = useState<LogCallTarget | null>(null);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1} size="h2">
            {t('callbacks:page.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('callbacks:page.help')}
          </Text>
        </div>
        <SegmentedControl
          value={status}
          onChange={(v) => setStatus(v as 'open' | 'done')}
          data={[
            { value: 'open', label: t('callbacks:page.open') },
            { value: 'done', label: t('callbacks:page.done') },
          ]}
          data-testid="callbacks-filter"
        />
      </Group>
      {list.isLoading && (
        <Center p="lg">
          <Loader aria-label={t('common:states.loading')} />
        </Center>
      )}
      {list.error && <Alert color="red">{errorMessage(t, list.error)}</Alert>}
      {list.data?.length === 0 && <Text c="dimmed">{status === 'open' ? t('callbacks:page.emptyOpen') : t('callbacks:page.emptyDone')}</Text>}
      <Stack gap="sm">
        {list.data?.map((cb) => (
          <CallbackCard key={cb.id} cb={cb} onLog={() => setLogging({ ticketId: cb.ticketId, ticketNumber: cb.ticketNumber, phone: cb.phone, callbackId: cb.id })} />
        ))}
      </Stack>
      {logging && <LogCallModal target={logging} onClose={() => setLogging(null)} />}
    </Stack>
  );
}

function CallbackCard({ cb, onLog }: { cb: Callback; onLog: () => void }) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const qc = useQueryClient();
  const [scheduling, setScheduling] = useState(false);
  const [when, setWhen] = useState(isoToLocalInput(cb.scheduledFor ?? cb.preferredAt));
  const update = useMutation({
    mutationFn: (body: CallbackPatch) => callbacksApi.update(cb.id, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: callbackKeys.all }),
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
  });
  const mine = cb.claimedById === session?.user.id;
  const open = cb.status === 'requested' || cb.status === 'scheduled';
  const lang = i18n.language;
  const customerZone = isKnownTimeZone(cb.timezone) ? cb.timezone : null;
  const agentZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const time = cb.scheduledFor ?? cb.preferredAt;

  return (
    <Card withBorder padding="sm" data-testid="callback-row" data-ticket-number={cb.ticketNumber} data-status={cb.status}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4} style={{ flex: 1, minWidth: 220 }}>
          <Group gap={6}>
            <Text fw={600}>{cb.customerName}</Text>
            <Badge size="sm" color={STATUS_COLOR[cb.status]} data-testid="callback-status">
              {t(`callbacks:status.${cb.status}`)}
            </Badge>
            <Anchor size="xs" renderRoot={(props) => <Link {...props} to="/tickets/$ticketId" params={{ ticketId: String(cb.ticketNumber) }} />}>
              #{cb.ticketNumber}
            </Anchor>
          </Group>
          <Group gap={6}>
            <IconPhone size={14} />
            <Anchor href={`tel:${cb.phone.replace(/[^\d+]/g, '')}`} size="sm" data-testid="callback-phone">
              {cb.phone}
            </Anchor>
          </Group>
          <Text size="sm" data-testid="callback-when">
            {time
              ? `${cb.scheduledFor ? t('callbacks:page.scheduledFor') : t('callbacks:page.preferred')}: ${formatInZone(time, lang, agentZone)} ${t('callbacks:page.yourTime')}`
              : t('callbacks:page.asap')}
          </Text>
          {time && customerZone && customerZone !== agentZone && (
            <Text size="xs" c="dimmed" data-testid="callback-customer-time">
              {t('callbacks:page.customerTime', { time: formatInZone(time, lang, customerZone), zone: customerZone })}
            </Text>
          )}
          {cb.note && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {cb.note}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {cb.claimedByName ? t('callbacks:page.claimedBy', { name: cb.claimedByName }) : t('callbacks:page.unclaimed')}
            {cb.attempts > 0 ? ` · ${t('callbacks:page.attempts', { count: cb.attempts })}` : ''}
          </Text>
        </Stack>
        {open && (
          <Group gap="xs">
            {!mine ? (
              <Button size="xs" variant="light" onClick={() => update.mutate({ claim: true })} loading={update.isPending} data-testid="callback-claim">
                {t('callbacks:page.claim')}
              </Button>
            ) : (
              <Button size="xs" variant="subtle" onClick={() => update.mutate({ claim: false })} loading={update.isPending} data-testid="callback-release">
                {t('callbacks:page.release')}
              </Button>
            )}
            <Popover opened={scheduling} onChange={setScheduling} trapFocus position="bottom-end" withArrow>
              <Popover.Target>
                <Button size="xs" variant="default" leftSection={<IconCalendarTime size={14} />} onClick={() => setScheduling((o) => !o)} data-testid="callback-schedule">
                  {t('callbacks:page.schedule')}
                </Button>
              </Popover.Target>
              <Popover.Dropdown>
                <Stack gap="xs">
                  <TextInput type="datetime-local" label={t('callbacks:page.scheduleAt')} value={when} onChange={(e) => setWhen(e.currentTarget.value)} data-testid="callback-schedule-at" />
                  <Button
                    size="xs"
                    disabled={!localInputToIso(when)}
                    onClick={() => {
                      update.mutate({ scheduledFor: localInputToIso(when), status: 'scheduled' });
                      setScheduling(false);
                    }}
                    data-testid="callback-schedule-save"
                  >
                    {t('common:actions.save')}
                  </Button>
                </Stack>
              </Popover.Dropdown>
            </Popover>
            <Button size="xs" leftSection={<IconPhoneCall size={14} />} onClick={onLog} data-testid="callback-log">
              {t('callbacks:log.button')}
            </Button>
            <Button size="xs" variant="subtle" color="gray" onClick={() => update.mutate({ status: 'cancelled' })} data-testid="callback-cancel">
              {t('callbacks:page.cancel')}
            </Button>
          </Group>
        )}
      </Group>
    </Card>
  );
}
