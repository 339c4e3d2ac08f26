import { type FrameToHost, type HostToFrame, isHostToFrame } from '../shared/bridge.ts';

/**
 * The frame's side of postMessage. It talks only to a parent whose origin the widget allows (or Seva's own origin,
 * for the demo page): messages go to that exact origin, and only messages from it — and from the parent window
 * itself — are accepted.
 */
export interface ParentBridge {
  readonly embedded: boolean;
  post(msg: FrameToHost): void;
  listen(handler: (msg: HostToFrame) => void): () => void;
}

export function isParentAllowed(parentOrigin: string | null, allowedOrigins: readonly string[], ownOrigin: string): boolean {
  if (!parentOrigin) return false;
  return parentOrigin === ownOrigin || allowedOrigins.includes(parentOrigin);
}

/** The bridge, or null when this frame is embedded by a page it must not talk to. */
export function connectParent(parentOrigin: string | null, allowedOrigins: readonly string[]): ParentBridge | null {
  const parentWindow = window.parent;
  if (parentWindow === window) {
    return { embedded: false, post: () => undefined, listen: () => () => undefined };
  }
  if (!isParentAllowed(parentOrigin, allowedOrigins, location.origin) || !parentOrigin) return null;
  // Where the browser tells us who embeds us, it must be the origin we were given.
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ancestors && ancestors.length > 0 && ancestors[0] !== parentOrigin) return null;
  return {
    embedded: true,
    post: (msg) => parentWindow.postMessage(msg, parentOrigin),
    listen: (handler) => {
      const onMessage = (event: MessageEvent) => {
        if (event.origin !== parentOrigin || event.source !== parentWindow) return;
        if (isHostToFrame(event.data)) handler(event.data);
      };
      window.addEventListener('message', onMessage);
      return () => window.removeEventListener('message', onMessage);
    },
  };
}
