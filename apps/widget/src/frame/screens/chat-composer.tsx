import type { WidgetAttachment } from '@seva/contracts';
import { useRef, useState } from 'preact/hooks';
import type { WidgetApi } from '../api.ts';
import type { Translate } from '../i18n/index.ts';
import { EmojiPicker } from './emoji-picker.tsx';

export interface ChatComposerProps {
  api: WidgetApi;
  t: Translate;
  disabled: boolean;
  onSend(body: string, attachments: WidgetAttachment[]): Promise<boolean> | boolean;
  onTyping(isTyping: boolean): void;
  /** the text as the visitor types it (article suggestions before a chat starts) */
  onDraft?(text: string): void;
}

const MAX_BYTES = 10 * 1024 * 1024;
const TYPING_IDLE_MS = 3_000;

/** Text, emoji and attachments; Enter sends, Shift+Enter starts a new line. */
export function ChatComposer({ api, t, disabled, onSend, onTyping, onDraft }: ChatComposerProps) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<WidgetAttachment[]>([]);
  const [picker, setPicker] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const typing = useRef<{ on: boolean; timer: ReturnType<typeof setTimeout> | null }>({ on: false, timer: null });

  const stopTyping = () => {
    if (typing.current.timer) clearTimeout(typing.current.timer);
    typing.current.timer = null;
    if (typing.current.on) onTyping(false);
    typing.current.on = false;
  };

  const changed = (value: string) => {
    setText(value);
    onDraft?.(value);
    if (!typing.current.on && value.trim()) {
      typing.current.on = true;
      onTyping(true);
    }
    if (typing.current.timer) clearTimeout(typing.current.timer);
    typing.current.timer = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const send = async () => {
    const body = text.trim();
    if ((!body && files.length === 0) || disabled || uploading) return;
    stopTyping();
    const ok = await onSend(body, files);
    if (ok) {
      setText('');
      onDraft?.('');
      setFiles([]);
    }
    input.current?.focus();
  };

  const attach = async (list: FileList | null) => {
    if (!list) return;
    setProblem(null);
    setUploading(true);
    try {
      for (const file of Array.from(list).slice(0, 5 - files.length)) {
        if (file.size > MAX_BYTES) {
          setProblem(t('chat.tooBig'));
          continue;
        }
        try {
          const uploaded = await api.uploadFile(file);
          setFiles((old) => [...old, uploaded]);
        } catch {
          setProblem(t('chat.uploadFailed'));
        }
      }
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  return (
    <div class="composer">
      {files.length > 0 ? (
        <ul class="attached">
          {files.map((f) => (
            <li key={f.id}>
              {t('chat.attachmentPending', { name: f.filename })}{' '}
              <button type="button" class="link" aria-label={t('chat.removeAttachment', { name: f.filename })} onClick={() => setFiles((old) => old.filter((x) => x.id !== f.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {problem ? <p class="error" role="alert">{problem}</p> : null}
      {picker ? (
        <EmojiPicker
          label={t('chat.emoji')}
          onClose={() => {
            setPicker(false);
            input.current?.focus();
          }}
          onPick={(e) => {
            changed(text + e);
            setPicker(false);
            input.current?.focus();
          }}
        />
      ) : null}
      <div class="composer-row">
        <button type="button" class="icon-button" aria-label={t('chat.emoji')} title={t('chat.emoji')} aria-expanded={picker} onClick={() => setPicker(!picker)}>
          🙂
        </button>
        <button type="button" class="icon-button" aria-label={t('chat.attach')} title={t('chat.attach')} disabled={uploading} onClick={() => fileInput.current?.click()}>
          📎
        </button>
        <input
          ref={fileInput}
          type="file"
          class="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          multiple
          accept="image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain"
          onChange={(e) => attach((e.currentTarget as HTMLInputElement).files)}
        />
        <label class="visually-hidden" for="chat-input">
          {t('chat.placeholder')}
        </label>
        <textarea
          id="chat-input"
          ref={input}
          rows={2}
          maxLength={5000}
          placeholder={t('chat.placeholder')}
          value={text}
          disabled={disabled}
          onInput={(e) => changed((e.currentTarget as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
        />
        <button type="button" class="primary send" disabled={disabled || uploading} onClick={() => void send()}>
          {t('chat.send')}
        </button>
      </div>
    </div>
  );
}
