import type { Message } from '@seva/contracts';
import { Alert, Button, Center, Grid, Loader, Stack, Tabs, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useNavigate, useParams } from '@tanstack/react-router';
import { lazy, Suspense, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { lastInboxSearch } from '../inbox/inbox-filters.ts';
import { CollaboratorsPanel } from './collaborators-panel.tsx';
import type { ComposerHandle } from './composer.tsx';
import { TicketPlaybook } from '../improve/ticket-playbook.tsx';
import { TicketRuleRuns } from '../desk-rules/ticket-rule-runs.tsx';
import { TicketQualityPanel } from '../quality/ticket-quality-panel.tsx';
import { TeamworkPanel } from '../routing/teamwork-panel.tsx';
import { ChatPanel } from '../chat/chat-panel.tsx';
import { ChatTimelineStatus } from '../chat/chat-timeline-status.tsx';
import { TicketCallsPanel } from '../callbacks/ticket-calls-panel.tsx';
import { TicketSlaPanel } from '../sla/ticket-sla-panel.tsx';
import { TicketChannelPanel } from '../channels/ticket-channel-panel.tsx';
import { CustomerPanel } from './customer-panel.tsx';
import { EventLog } from './event-log.tsx';
import { MergeModal, SplitModal } from './merge-split-modals.tsx';
import { MessageItem } from './message-item.tsx';
import { useMessageDecision, useMessages, useTicket } from './ticket-api.ts';
import { TicketHeader } from './ticket-header.tsx';
import { TicketProperties } from './ticket-properties.tsx';

// The rich-text editor (tiptap) is the heaviest part of the app: load it with the first ticket page, not the inbox.
const Composer = lazy(() => import('./composer.tsx').then((m) => ({ default: m.Composer })));

function dialogOpen(): boolean {
  return !!document.querySelector('[role="dialog"]');
}

/** One ticket: header, conversation (or activity log), composer, and the side panels. r / n / Esc on the keyboard. */
export function TicketPage() {
  const { t } = useTranslation();
  const { ticketId } = useParams({ from: '/app/tickets/$ticketId' });
  const { can } = useSession();
  const navigate = useNavigate();
  const ticket = useTicket(ticketId);
  const messages = useMessages(ticket.data?.id);
  const decision = useMessageDecision(ticket.data);
  const composer = useRef<ComposerHandle>(null);
  const [tab, setTab] = useState<string | null>('conversation');
  const [mergeOpened, setMergeOpened] = useState(false);
  const [splitting, setSplitting] = useState<Message | null>(null);

  useHotkeys([
    [
      'r',
      (e) => {
        if (dialogOpen()) return;
        e.preventDefault();
        setTab('conversation');
        setTimeout(() => composer.current?.focus('reply'));
      },
    ],
    [
      'n',
      (e) => {
        if (dialogOpen()) return;
        e.preventDefault();
        setTab('conversation');
        setTimeout(() => composer.current?.focus('note'));
      },
    ],
    [
      'Escape',
      () => {
        if (!dialogOpen()) void navigate({ to: '/', search: lastInboxSearch() });
      },
    ],
  ]);

  if (ticket.isLoading) {
    return (
      <Center py="xl">
        <Loader aria-label={t('common:states.loading')} />
      </Center>
    );
  }
  if (ticket.isError || !ticket.data) {
    const notFound = ticket.error instanceof ApiError && ticket.error.status === 404;
    return (
      <Alert color={notFound ? 'gray' : 'red'} title={notFound ? t('ticket:page.notFound') : t('common:states.error')} data-testid="ticket-error">
        {!notFound && (
          <Button size="xs" variant="light" onClick={() => void ticket.refetch()}>
            {t('common:actions.retry')}
          </Button>
        )}
      </Alert>
    );
  }
  const tk = ticket.data;
  const decide = (m: Message, d: 'approve' | 'reject') => {
    let reason: string | undefined;
    if (d === 'reject') {
      const answer = window.prompt(t('ticket:message.rejectReason'));
      if (answer === null) return;
      reason = answer.trim() || undefined;
    }
    decision.mutate(
      { messageId: m.id, decision: d, reason },
      {
        onSuccess: () => notifications.show({ color: 'teal', message: d === 'approve' ? t('ticket:message.approved') : t('ticket:message.rejectedDone') }),
        onError: (err) => notifications.show({ color: 'red', message: err instanceof ApiError ? err.message : t('common:states.error') }),
      },
    );
  };

  return (
    <Stack gap="md" data-testid="ticket-page" data-ticket-id={tk.id}>
      <TicketHeader key={tk.id} ticket={tk} onMerge={() => setMergeOpened(true)} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List mb="sm">
              <Tabs.Tab value="conversation" data-testid="tab-conversation">
                {t('ticket:page.conversation')}
              </Tabs.Tab>
              <Tabs.Tab value="events" data-testid="tab-events">
                {t('ticket:page.activity')}
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="conversation">
              <Stack gap="sm" data-testid="timeline">
                {messages.isLoading && (
                  <Center py="md">
                    <Loader size="sm" aria-label={t('common:states.loading')} />
                  </Center>
                )}
                {messages.isError && <Alert color="red">{t('common:states.error')}</Alert>}
                {messages.data?.length === 0 && <Text c="dimmed">{t('ticket:page.noMessages')}</Text>}
                {messages.data?.map((m) => (
                  <MessageItem
                    key={m.id}
                    message={m}
                    customerName={tk.customer.name || tk.customer.email || ''}
                    canApprove={can('messages:approve')}
                    canSplit={can('tickets:merge') && m.kind !== 'system' && tk.status !== 'closed' && (messages.data?.length ?? 0) > 1}
                    deciding={decision.isPending && decision.variables?.messageId === m.id}
                    onDecide={(d) => decide(m, d)}
                    onSplit={() => setSplitting(m)}
                  />
                ))}
                {tk.channel === 'chat' && <ChatTimelineStatus ticket={tk} messages={messages.data} />}
                <Suspense fallback={<Loader size="sm" aria-label={t('common:states.loading')} />}>
                  <Composer key={tk.id} ref={composer} ticket={tk} />
                </Suspense>
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="events">
              <EventLog ticketId={tk.id} />
            </Tabs.Panel>
          </Tabs>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            {tk.channel === 'chat' && <ChatPanel key={tk.id} ticket={tk} messages={messages.data} />}
            {tk.channel === 'phone' && <TicketCallsPanel ticket={tk} />}
            <TicketChannelPanel ticket={tk} />
            <TicketSlaPanel ticket={tk} />
            <TicketProperties ticket={tk} />
            <TicketPlaybook ticketRef={String(tk.number)} assignee={tk.assignee} />
            <CustomerPanel ticket={tk} />
            <CollaboratorsPanel ticket={tk} />
            <TeamworkPanel ticket={tk} />
            <TicketRuleRuns ticket={tk} />
            <TicketQualityPanel ticket={tk} />
          </Stack>
        </Grid.Col>
      </Grid>
      <MergeModal ticket={tk} opened={mergeOpened} onClose={() => setMergeOpened(false)} />
      <SplitModal ticket={tk} message={splitting} onClose={() => setSplitting(null)} />
    </Stack>
  );
}
