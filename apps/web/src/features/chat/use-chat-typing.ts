import { useEffect, useRef, useState } from 'react';
import { subscribeRealtime } from '../realtime/realtime-channel.ts';

const VISITOR_TYPING_TTL_MS = 8000;

/**
 * Whether the visitor of this chat is typing: the name they gave ('' when unknown) or null. A "typing" signal lasts
 * a few seconds unless renewed; "stopped", a message from them, or going offline ends it at once. `from: 'staff'`
 * tracks a colleague typing in the same chat instead (the server never echoes my own typing).
 */
export function useChatTyping(ticketId: string, from: 'visitor' | 'staff' = 'visitor'): string | null {
  const [typing, setTyping] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    const unsubscribe = subscribeRealtime((m) => {
      if (m.ticketId !== ticketId) return;
      if (m.type === 'chat.typing') {
        if (m.from !== from) return;
        clearTimeout(timer.current);
        if (m.isTyping === true) {
          setTyping(typeof m.name === 'string' ? m.name : '');
          timer.current = setTimeout(() => setTyping(null), VISITOR_TYPING_TTL_MS);
        } else setTyping(null);
      } else if ((m.type === 'chat.presence' && m.online !== true) || m.type === 'message.added' || m.type === 'message.received') {
        clearTimeout(timer.current);
        setTyping(null);
      }
    });
    return () => {
      unsubscribe();
      clearTimeout(timer.current);
    };
  }, [ticketId, from]);
  return typing;
}
