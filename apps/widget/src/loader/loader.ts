import { type BridgeIdentity, type BridgePage, clipPage, type HostToFrame, isFrameToHost } from '../shared/bridge.ts';
import { CHAT_ICON, CLOSE_ICON, LAUNCHER_CSS } from './launcher-style.ts';

/**
 * The loader a site embeds: `<script src="https://seva.example/widget.js" data-seva-key="…" async></script>`.
 * It draws only the launcher button (in a closed shadow root) and creates the widget frame on first open — or at
 * once when the visitor has a conversation going. It talks to the frame with postMessage, always to Seva's exact
 * origin, and accepts only messages whose origin is Seva's and whose source is its own frame.
 */
interface SevaWidgetGlobal {
  identity?: BridgeIdentity;
  language?: string;
}

interface LauncherConfig {
  primaryColor: string;
  position: 'right' | 'left';
}

const OPEN_LABEL: Record<string, string> = { en: 'Open help', bn: 'সাহায্য খুলুন', hi: 'सहायता खोलें' };
const CLOSE_LABEL: Record<string, string> = { en: 'Close help', bn: 'সাহায্য বন্ধ করুন', hi: 'सहायता बंद करें' };

// Read while the script runs: document.currentScript is null once it has finished.
const ownScript = document.currentScript;

function findScript(): HTMLScriptElement | null {
  const current = ownScript;
  if (current instanceof HTMLScriptElement && current.dataset.sevaKey) return current;
  return document.querySelector<HTMLScriptElement>('script[data-seva-key]');
}

function currentPage(): BridgePage {
  return clipPage({ url: location.href, title: document.title, referrer: document.referrer });
}

function readIdentity(): BridgeIdentity | null {
  const g = (window as unknown as { SevaWidget?: SevaWidgetGlobal }).SevaWidget;
  const id = g?.identity;
  if (!id || typeof id.userId !== 'string' || typeof id.signature !== 'string') return null;
  const out: BridgeIdentity = { userId: id.userId, signature: id.signature };
  if (typeof id.email === 'string') out.email = id.email;
  if (typeof id.name === 'string') out.name = id.name;
  return out;
}

function storageGet(k: string): string | null {
  try {
    return localStorage.getItem(k);
  } catch {
    return null;
  }
}

function storageSet(k: string, v: string | null): void {
  try {
    if (v === null) localStorage.removeItem(k);
    else localStorage.setItem(k, v);
  } catch {
    // storage blocked: the frame is created on open instead
  }
}

function startLoader(): void {
  const script = findScript();
  const key = script?.dataset.sevaKey;
  if (!script || !key || (window as unknown as { __sevaWidgetLoaded?: boolean }).__sevaWidgetLoaded) return;
  (window as unknown as { __sevaWidgetLoaded?: boolean }).__sevaWidgetLoaded = true;
  const sevaOrigin = new URL(script.src, location.href).origin;
  const siteLanguage = script.dataset.sevaLanguage || (window as unknown as { SevaWidget?: SevaWidgetGlobal }).SevaWidget?.language || null;
  const langBase = (siteLanguage || navigator.language || 'en').slice(0, 2).toLowerCase();
  const ongoingKey = `seva-widget:${key}:ongoing`;
  const visitorKey = `seva-widget:${key}:visitor`;

  fetch(`${sevaOrigin}/widget/launcher?key=${encodeURIComponent(key)}`, { mode: 'cors', credentials: 'omit' })
    .then((res) => (res.ok ? (res.json() as Promise<LauncherConfig>) : null))
    .then((config) => {
      if (config) mount(config);
    })
    .catch(() => undefined);

  function mount(config: LauncherConfig): void {
    const host = document.createElement('seva-widget');
    host.setAttribute('style', 'all:initial !important;display:block !important;position:static !important;');
    const shadow = host.attachShadow({ mode: 'closed' });
    if (typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype && 'adoptedStyleSheets' in shadow) {
      // a constructed sheet also works on host pages whose CSP forbids inline <style>
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(LAUNCHER_CSS);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      const style = document.createElement('style');
      style.textContent = LAUNCHER_CSS;
      shadow.appendChild(style);
    }
    const root = document.createElement('div');
    root.className = `root ${config.position === 'left' ? 'left' : 'right'}`;
    if (/^#[0-9a-fA-F]{3,8}$/.test(config.primaryColor)) root.style.setProperty('--seva-primary', config.primaryColor);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'launcher';
    button.setAttribute('aria-expanded', 'false');
    const openLabel = OPEN_LABEL[langBase] ?? OPEN_LABEL.en ?? 'Open help';
    const closeLabel = CLOSE_LABEL[langBase] ?? CLOSE_LABEL.en ?? 'Close help';
    button.setAttribute('aria-label', openLabel);
    button.innerHTML = CHAT_ICON; // our own constant markup, never page or visitor content
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.hidden = true;
    button.appendChild(badge);
    root.appendChild(button);
    shadow.appendChild(root);
    document.body.appendChild(host);

    let frame: HTMLIFrameElement | null = null;
    let frameReady = false;
    let open = false;

    const post = (msg: HostToFrame) => {
      if (frame?.contentWindow && frameReady) frame.contentWindow.postMessage(msg, sevaOrigin);
    };

    const createFrame = () => {
      if (frame) return frame;
      const params = new URLSearchParams({ key: key as string, origin: location.origin });
      if (siteLanguage) params.set('lang', siteLanguage);
      frame = document.createElement('iframe');
      frame.className = 'panel';
      frame.title = openLabel;
      frame.hidden = !open;
      frame.setAttribute('allow', 'clipboard-write');
      frame.src = `${sevaOrigin}/widget/frame?${params.toString()}`;
      root.insertBefore(frame, button);
      return frame;
    };

    const setOpen = (next: boolean) => {
      open = next;
      const f = next ? createFrame() : frame;
      if (f) f.hidden = !next;
      button.setAttribute('aria-expanded', String(next));
      button.setAttribute('aria-label', next ? closeLabel : openLabel);
      button.innerHTML = next ? CLOSE_ICON : CHAT_ICON;
      button.appendChild(badge);
      post({ type: 'seva:visibility', open: next });
      if (next) badge.hidden = true;
      if (next && f && frameReady) f.focus();
      if (!next) button.focus();
    };

    button.addEventListener('click', () => setOpen(!open));
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && open) setOpen(false);
    });

    window.addEventListener('message', (event) => {
      if (!frame || event.origin !== sevaOrigin || event.source !== frame.contentWindow) return;
      const data: unknown = event.data;
      if (!isFrameToHost(data)) return;
      if (data.type === 'seva:ready') {
        frameReady = true;
        post({ type: 'seva:init', page: currentPage(), identity: readIdentity(), language: siteLanguage, open, visitorToken: storageGet(visitorKey) });
        if (open) frame.focus();
      } else if (data.type === 'seva:close') {
        setOpen(false);
      } else if (data.type === 'seva:ongoing') {
        storageSet(ongoingKey, data.ongoing ? '1' : null);
      } else if (data.type === 'seva:visitor') {
        storageSet(visitorKey, typeof data.token === 'string' && data.token.length <= 200 ? data.token : null);
      } else if (data.type === 'seva:unread') {
        const n = Math.max(0, Math.floor(Number(data.count) || 0));
        badge.textContent = n > 9 ? '9+' : String(n);
        badge.hidden = n === 0 || open;
      }
    });

    // Single-page sites: tell the frame about every navigation so the agent sees the current page.
    const pageChanged = () => post({ type: 'seva:page', page: currentPage() });
    for (const name of ['pushState', 'replaceState'] as const) {
      const original = history[name];
      history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
        const result = original.apply(this, args);
        setTimeout(pageChanged, 0);
        return result;
      };
    }
    window.addEventListener('popstate', pageChanged);
    window.addEventListener('hashchange', pageChanged);

    if (storageGet(ongoingKey) === '1') createFrame();
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', startLoader, { once: true });
else startLoader();
