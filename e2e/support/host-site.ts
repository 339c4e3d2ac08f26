import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A customer's website on its own origin (http://localhost:<port>) for widget journeys: it embeds the snippet,
 * and its CSS tries hard to restyle everything, so a journey can show the widget is not affected.
 */
export interface HostSite {
  origin: string;
  close(): Promise<void>;
}

export const HOSTILE_CSS = `
* { font-family: "Courier New", monospace !important; color: rgb(255, 0, 0) !important; font-size: 31px !important; }
iframe { display: none !important; width: 1px !important; height: 1px !important; }
button { display: none !important; }
seva-widget, div { display: none !important; opacity: 0 !important; }
`;

export interface HostSiteOptions {
  sevaBaseUrl: string;
  widgetKey: string;
  /** extra markup in <body> (e.g. a frame that points at Seva directly) */
  extraBody?: (origin: string) => string;
  /** what /account sets as `window.SevaWidget` before the loader runs (a signed-in user of the site) */
  signedInUser?: () => unknown;
}

function page(opts: HostSiteOptions, origin: string, title: string, nav: string, head = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${HOSTILE_CSS}</style>${head}</head>
<body>
<h1>${title}</h1>
<p>${nav}</p>
${opts.extraBody ? opts.extraBody(origin) : ''}
<script src="${opts.sevaBaseUrl}/widget.js" data-seva-key="${opts.widgetKey}" async></script>
</body></html>`;
}

export async function startHostSite(opts: HostSiteOptions): Promise<HostSite> {
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    let html = page(opts, origin, 'Tea shop', '<a href="/orders">Your orders</a>');
    if (url.pathname === '/orders') html = page(opts, origin, 'Your orders', '<a href="/">Back to the shop</a>');
    if (url.pathname === '/account') {
      // JSON inside a script: escape "<" so no value can close the tag
      const config = JSON.stringify({ identity: opts.signedInUser?.() ?? undefined }).replace(/</g, '\\u003c');
      html = page(opts, origin, 'Your account', '<a href="/">Back to the shop</a>', `<script>window.SevaWidget = ${config};</script>`);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // "localhost" and Seva's "127.0.0.1": a different host and port, so truly another origin (and site)
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
