import './frame.css';
import type { WidgetIdentity, WidgetPage } from '@seva/contracts';
import { render } from 'preact';
import type { HostToFrame } from '../shared/bridge.ts';
import { App } from './app.tsx';
import { createTranslator, pickLanguage } from './i18n/index.ts';
import { connectParent } from './parent-bridge.ts';

/**
 * Boots the widget frame. The server writes the widget key and its allowed origins into #seva-widget; the loader
 * passes the host page's origin as ?origin=. Page, identity and language arrive in the loader's `seva:init`.
 */
const INIT_TIMEOUT_MS = 2_000;

function readAllowedOrigins(el: HTMLElement): string[] {
  try {
    const parsed: unknown = JSON.parse(el.dataset.allowedOrigins ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((o): o is string => typeof o === 'string') : [];
  } catch {
    return [];
  }
}

function boot(): void {
  const el = document.getElementById('seva-widget');
  if (!el) return;
  const params = new URLSearchParams(location.search);
  const key = el.dataset.key ?? '';
  const bridge = connectParent(params.get('origin'), readAllowedOrigins(el));
  const fallbackLanguage = pickLanguage([params.get('lang'), ...navigator.languages], 'en');
  if (!bridge || !key) {
    el.textContent = createTranslator(fallbackLanguage)('widget.unavailable');
    return;
  }
  let started = false;
  const start = (init: Extract<HostToFrame, { type: 'seva:init' }> | null) => {
    if (started) return;
    started = true;
    const page: WidgetPage = init?.page ?? (bridge.embedded ? {} : { url: location.href, title: document.title });
    render(
      <App
        widgetKey={key}
        bridge={bridge}
        initialPage={page}
        identity={(init?.identity as WidgetIdentity | null) ?? null}
        siteLanguage={init?.language ?? params.get('lang')}
        initiallyOpen={init?.open ?? !bridge.embedded}
        hostToken={typeof init?.visitorToken === 'string' ? init.visitorToken : null}
      />,
      el,
    );
  };
  const stop = bridge.listen((msg) => {
    if (msg.type === 'seva:init') {
      stop();
      start(msg);
    }
  });
  bridge.post({ type: 'seva:ready' });
  setTimeout(() => start(null), bridge.embedded ? INIT_TIMEOUT_MS : 0);
}

boot();
