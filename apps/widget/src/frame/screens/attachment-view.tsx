import type { WidgetAttachment } from '@seva/contracts';
import { useEffect, useState } from 'preact/hooks';
import type { WidgetApi } from '../api.ts';
import type { Translate } from '../i18n/index.ts';

const INLINE_IMAGE = /^image\/(png|jpe?g|gif|webp)$/i;

/**
 * An attachment in the chat. Raster images are fetched with the visitor token and shown inline from a blob: URL;
 * anything else (SVG included) is only offered as a download.
 */
export function AttachmentView({ api, attachment, t }: { api: WidgetApi; attachment: WidgetAttachment; t: Translate }) {
  const [src, setSrc] = useState<string | null>(null);
  const isImage = INLINE_IMAGE.test(attachment.contentType);

  useEffect(() => {
    if (!isImage) return;
    let url: string | null = null;
    let alive = true;
    api
      .fetchAttachment(attachment.url)
      .then((blob) => {
        if (!alive) return;
        url = URL.createObjectURL(blob);
        setSrc(url);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [attachment.url]);

  const download = async () => {
    const blob = await api.fetchAttachment(attachment.url);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = attachment.filename;
    a.rel = 'noopener';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  if (isImage && src) return <img class="chat-image" src={src} alt={attachment.filename} />;
  return (
    <button type="button" class="file" onClick={download}>
      {t('chat.download', { name: attachment.filename })}
    </button>
  );
}
