import { Box } from '@mantine/core';
import { useMemo } from 'react';
import { buildFrameDocument, estimateFrameHeight } from './frame-document.ts';

/**
 * Message HTML (sanitised on the server, and still untrusted) is shown only inside a sandboxed frame: an opaque
 * origin with no scripts, forms, popups or same-origin access, plus a CSP that blocks every network fetch
 * (remote images and tracking pixels included). Never dangerouslySetInnerHTML on the app origin.
 */
export function SafeHtmlFrame({ html, text, title }: { html: string; text: string; title: string }) {
  const doc = useMemo(() => buildFrameDocument(html), [html]);
  const height = useMemo(() => estimateFrameHeight(html, text), [html, text]);
  return (
    <Box
      component="iframe"
      title={title}
      sandbox=""
      srcDoc={doc}
      referrerPolicy="no-referrer"
      loading="lazy"
      data-testid="message-html"
      style={{ width: '100%', height, border: 0, resize: 'vertical', overflow: 'auto', display: 'block', background: 'transparent' }}
    />
  );
}
