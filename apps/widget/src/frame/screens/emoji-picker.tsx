import { useEffect, useRef } from 'preact/hooks';

/** A small built-in set: enough for a support chat, no emoji library in the bundle. */
export const EMOJI = [
  '😀', '😄', '😊', '🙂', '😉', '😍', '🤔', '😅', '😂', '😢', '😮', '😡', '😴', '🙏', '👍', '👎',
  '👋', '👏', '🙌', '💪', '🤝', '❤️', '💔', '🔥', '✅', '❌', '⚠️', '❓', '🎉', '⭐', '📦', '📎',
  '📷', '💡', '⏰', '📞', '✉️', '💳', '🚚', '🛒',
];

export interface EmojiPickerProps {
  label: string;
  onPick(emoji: string): void;
  onClose(): void;
}

export function EmojiPicker({ label, onPick, onClose }: EmojiPickerProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector('button')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);
  return (
    <div class="emoji-picker" role="dialog" aria-label={label} ref={ref}>
      {EMOJI.map((e) => (
        <button type="button" key={e} class="emoji" aria-label={e} onClick={() => onPick(e)}>
          {e}
        </button>
      ))}
    </div>
  );
}
