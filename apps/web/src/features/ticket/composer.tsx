import type { Attachment, Message, Ticket, TicketStatus } from '@seva/contracts';
import { ActionIcon, Alert, Button, FileButton, Group, Menu, Paper, Pill, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link, RichTextEditor } from '@mantine/tiptap';
import { IconChevronDown, IconLock, IconMessageReply, IconPaperclip, IconTemplate } from '@tabler/icons-react';
import { useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { MacroPicker } from '../macros/macro-picker.tsx';
import { ActiveMacroBar, useComposerMacro } from '../macros/use-composer-macro.tsx';
import { uploadAttachment, useSendMessage } from './ticket-api.ts';
import { sendAndSetStatuses } from './ticket-status.ts';

export type ComposerMode = 'reply' | 'note';

export interface ComposerHandle {
  focus(mode?: ComposerMode): void;
}

const MAX_ATTACHMENTS = 20;

function draftKey(ticketId: string, mode: ComposerMode) {
  return `seva.draft.${ticketId}.${mode}`;
}

/** The reply / internal-note composer: rich text (tiptap), attachments, Ctrl+Enter to send, drafts kept per tab. */
export const Composer = forwardRef<ComposerHandle, { ticket: Ticket }>(function Composer({ ticket }, ref) {
  const { t } = useTranslation();
  const { can } = useSession();
  const canReply = can('tickets:reply');
  const canNote = can('tickets:note');
  const [mode, setMode] = useState<ComposerMode>(canReply ? 'reply' : 'note');
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [uploading, setUploading] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const send = useSendMessage(ticket);
  const rootRef = useRef<HTMLDivElement>(null);
  const sendRef = useRef<(status?: TicketStatus) => void>(() => undefined);
  const openPickerRef = useRef<() => void>(() => undefined);
  const startedAtRef = useRef<number | null>(null);

  const editor = useEditor({
    extensions: [StarterKit.configure({ link: false }), Link.configure({ openOnClick: false, autolink: true })],
    content: typeof sessionStorage !== 'undefined' ? (sessionStorage.getItem(draftKey(ticket.id, mode)) ?? '') : '',
    immediatelyRender: true,
    shouldRerenderOnTransaction: true,
    editorProps: {
      attributes: { 'aria-label': t('ticket:composer.bodyLabel'), 'data-testid': 'composer-editor' },
      handleKeyDown: (view, event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          sendRef.current();
          return true;
        }
        if (event.key === '/' && view.state.doc.textContent === '') {
          event.preventDefault();
          openPickerRef.current();
          return true;
        }
        if (event.key === 'Escape') {
          // first Esc leaves the editor (the draft stays), a second one goes back to the inbox
          (view.dom as HTMLElement).blur();
          return true;
        }
        return false;
      },
    },
    onUpdate: ({ editor: e }) => {
      // handle time: from the first keystroke of this reply to its sending (insights: cost per contact)
      if (!e.isEmpty && startedAtRef.current === null) startedAtRef.current = Date.now();
      try {
        if (e.isEmpty) sessionStorage.removeItem(draftKey(ticket.id, modeRef.current));
        else sessionStorage.setItem(draftKey(ticket.id, modeRef.current), e.getHTML());
      } catch {
        /* storage full or unavailable: drafts are a convenience */
      }
    },
  });
  const modeRef = useRef(mode);

  const switchMode = (next: ComposerMode) => {
    if (next === mode) return;
    modeRef.current = next;
    setMode(next);
    editor?.commands.setContent(sessionStorage.getItem(draftKey(ticket.id, next)) ?? '');
  };

  const macro = useComposerMacro(ticket, (html, internal) => {
    if (internal && canNote) switchMode('note');
    else if (!internal && canReply) switchMode('reply');
    editor?.commands.setContent(html);
    editor?.commands.focus('end');
  });
  openPickerRef.current = () => macro.openPicker('');

  useImperativeHandle(ref, () => ({
    focus(next) {
      if (next && ((next === 'reply' && canReply) || (next === 'note' && canNote))) switchMode(next);
      rootRef.current?.scrollIntoView?.({ block: 'nearest' });
      editor?.commands.focus('end');
    },
  }));

  const empty = !editor || editor.isEmpty;
  const busy = send.isPending || uploading > 0;

  const doSend = (status?: TicketStatus) => {
    if (!editor || busy) return;
    const text = editor.getText({ blockSeparator: '\n' }).trim();
    if (!text && attachments.length === 0 && !macro.active) return;
    setError(null);
    if (macro.active && attachments.length === 0) {
      // the macro's reply and its field changes go together, and the use is counted; its handle time too
      const started = startedAtRef.current;
      const timed = started !== null && text !== '' && can('tickets:reply');
      const seconds = timed ? Math.min(86_400, Math.max(0, Math.round((Date.now() - started) / 1000))) : undefined;
      macro
        .apply(text, seconds)
        .then(() => {
          startedAtRef.current = null;
          sessionStorage.removeItem(draftKey(ticket.id, mode));
          editor.commands.clearContent();
        })
        .catch((err: unknown) => setError(err instanceof ApiError ? (err.fieldError('body') ?? err.message) : t('common:states.error')));
      return;
    }
    send.mutate(
      {
        body: text || ' ',
        html: editor.getHTML(),
        internal: mode === 'note',
        attachmentIds: attachments.length ? attachments.map((a) => a.id) : undefined,
        status,
      },
      {
        onSuccess: (msg: Message) => {
          const started = startedAtRef.current;
          startedAtRef.current = null;
          if (started !== null && can('tickets:reply')) {
            const seconds = Math.min(86_400, Math.max(0, Math.round((Date.now() - started) / 1000)));
            void api.put(`/insights/messages/${msg.id}/handle-time`, { seconds }).catch(() => undefined);
          }
          sessionStorage.removeItem(draftKey(ticket.id, mode));
          editor.commands.clearContent();
          setAttachments([]);
          // with attachments the message went out normally: the macro still applies its changes
          if (macro.active) void macro.apply('').catch(() => undefined);
          notifications.show({
            color: msg.status === 'pending_approval' ? 'orange' : 'teal',
            message:
              msg.status === 'pending_approval'
                ? t('ticket:composer.sentForApproval')
                : mode === 'note'
                  ? t('ticket:composer.noteAdded')
                  : t('ticket:composer.replySent'),
          });
        },
        onError: (err) => {
          setError(err instanceof ApiError ? (err.fieldError('body') ?? err.message) : t('common:states.error'));
        },
      },
    );
  };
  sendRef.current = doSend;

  const onFiles = async (files: File[]) => {
    const room = MAX_ATTACHMENTS - attachments.length;
    for (const file of files.slice(0, room)) {
      setUploading((n) => n + 1);
      try {
        const a = await uploadAttachment(file);
        setAttachments((prev) => [...prev, a]);
      } catch (err) {
        notifications.show({
          color: 'red',
          message: t('ticket:composer.uploadFailed', { name: file.name, reason: err instanceof ApiError ? err.message : '' }),
        });
      } finally {
        setUploading((n) => n - 1);
      }
    }
  };

  const labels = useMemo(
    () => ({
      boldControlLabel: t('ticket:composer.bold'),
      italicControlLabel: t('ticket:composer.italic'),
      strikeControlLabel: t('ticket:composer.strike'),
      codeControlLabel: t('ticket:composer.code'),
      codeBlockControlLabel: t('ticket:composer.codeBlock'),
      bulletListControlLabel: t('ticket:composer.bulletList'),
      orderedListControlLabel: t('ticket:composer.orderedList'),
      blockquoteControlLabel: t('ticket:composer.quote'),
      linkControlLabel: t('ticket:composer.link'),
      unlinkControlLabel: t('ticket:composer.unlink'),
      linkEditorInputLabel: t('ticket:composer.linkUrl'),
      linkEditorInputPlaceholder: 'https://…',
      linkEditorExternalLink: t('ticket:composer.linkExternal'),
      linkEditorInternalLink: t('ticket:composer.linkInternal'),
      linkEditorSave: t('common:actions.save'),
    }),
    [t],
  );

  useEffect(() => {
    editor?.setOptions({ editorProps: { ...editor.options.editorProps, attributes: { 'aria-label': t('ticket:composer.bodyLabel'), 'data-testid': 'composer-editor' } } });
  }, [editor, t]);

  if (!canReply && !canNote) return null;
  if (ticket.status === 'closed') {
    return (
      <Alert color="gray" data-testid="composer-closed">
        {t('ticket:composer.closed')}
      </Alert>
    );
  }
  const statuses = mode === 'reply' ? sendAndSetStatuses(ticket.status) : [];

  return (
    <Paper
      ref={rootRef}
      withBorder
      p="sm"
      radius="md"
      data-testid="composer"
      data-mode={mode}
      bg={mode === 'note' ? 'var(--mantine-color-yellow-0)' : undefined}
      style={mode === 'note' ? { borderColor: 'var(--mantine-color-yellow-5)' } : undefined}
    >
      <Group justify="space-between" mb="xs">
        <Button.Group aria-label={t('ticket:composer.modeLabel')}>
          <Button
            size="xs"
            variant={mode === 'reply' ? 'filled' : 'default'}
            leftSection={<IconMessageReply size={14} />}
            disabled={!canReply}
            aria-pressed={mode === 'reply'}
            onClick={() => switchMode('reply')}
            data-testid="mode-reply"
          >
            {t('ticket:composer.reply')}
          </Button>
          <Button
            size="xs"
            variant={mode === 'note' ? 'filled' : 'default'}
            color={mode === 'note' ? 'yellow' : undefined}
            leftSection={<IconLock size={14} />}
            disabled={!canNote}
            aria-pressed={mode === 'note'}
            onClick={() => switchMode('note')}
            data-testid="mode-note"
          >
            {t('ticket:composer.note')}
          </Button>
        </Button.Group>
        <Text size="xs" c="dimmed">
          {mode === 'note' ? t('ticket:composer.noteHint') : t('ticket:composer.replyHint', { name: ticket.customer.name || ticket.customer.email })}
        </Text>
      </Group>
      <RichTextEditor editor={editor} labels={labels}>
        <RichTextEditor.Toolbar>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Bold />
            <RichTextEditor.Italic />
            <RichTextEditor.Strikethrough />
            <RichTextEditor.Code />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.BulletList />
            <RichTextEditor.OrderedList />
            <RichTextEditor.Blockquote />
            <RichTextEditor.CodeBlock />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Link />
            <RichTextEditor.Unlink />
          </RichTextEditor.ControlsGroup>
        </RichTextEditor.Toolbar>
        <RichTextEditor.Content mih={120} />
      </RichTextEditor>
      {attachments.length > 0 && (
        <Group gap={6} mt="xs" data-testid="composer-attachments">
          {attachments.map((a) => (
            <Pill key={a.id} withRemoveButton onRemove={() => setAttachments((prev) => prev.filter((x) => x.id !== a.id))} removeButtonProps={{ 'aria-label': t('ticket:composer.removeAttachment', { name: a.filename }) }}>
              {a.filename}
            </Pill>
          ))}
        </Group>
      )}
      {macro.active && <ActiveMacroBar macro={macro.active} onClear={macro.clear} />}
      <MacroPicker {...macro.pickerProps} />
      {error && (
        <Text c="red" size="sm" mt="xs" role="alert">
          {error}
        </Text>
      )}
      <Group justify="space-between" mt="xs">
        <Group gap={0}>
          <FileButton onChange={(files) => void onFiles(files)} multiple>
            {(props) => (
              <Button {...props} variant="subtle" size="xs" leftSection={<IconPaperclip size={14} />} loading={uploading > 0} data-testid="attach-files">
                {t('ticket:composer.attach')}
              </Button>
            )}
          </FileButton>
          <Button variant="subtle" size="xs" leftSection={<IconTemplate size={14} />} onClick={() => macro.openPicker('')} data-testid="composer-macros" title={t('macros:composer.hint')}>
            {t('macros:composer.button')}
          </Button>
        </Group>
        <Group gap={0} wrap="nowrap">
          <Button
            onClick={() => doSend()}
            loading={send.isPending}
            disabled={(empty && attachments.length === 0) || uploading > 0}
            color={mode === 'note' ? 'yellow' : undefined}
            data-testid="send-reply"
            style={statuses.length ? { borderTopRightRadius: 0, borderBottomRightRadius: 0 } : undefined}
          >
            {mode === 'note' ? t('ticket:composer.addNote') : t('ticket:composer.send')}
          </Button>
          {statuses.length > 0 && (
            <Menu position="top-end">
              <Menu.Target>
                <ActionIcon
                  size={36}
                  variant="filled"
                  disabled={(empty && attachments.length === 0) || busy}
                  aria-label={t('ticket:composer.sendAndSet')}
                  data-testid="send-and-set"
                  style={{ borderTopLeftRadius: 0, borderBottomLeftRadius: 0, borderLeft: '1px solid rgba(255,255,255,.4)' }}
                >
                  <IconChevronDown size={16} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t('ticket:composer.sendAndSet')}</Menu.Label>
                {statuses.map((s) => (
                  <Menu.Item key={s} onClick={() => doSend(s)} data-testid={`send-and-${s}`}>
                    {t('ticket:composer.sendAs', { status: t(`ticket:status.${s}`) })}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          )}
        </Group>
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        {t('ticket:composer.shortcut')}
      </Text>
    </Paper>
  );
});
