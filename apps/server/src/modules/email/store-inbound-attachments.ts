import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Db } from '../../platform/db/client.ts';
import { attachments } from '../../platform/db/schema/index.ts';
import { sanitiseFilename, storeAttachmentStream } from '../attachments/index.ts';
import type { IngestDeps } from './ingest-inbound-email.ts';
import type { ParsedEmail } from './parse-email.ts';

/** An inbound mail's attachments (at most 100, each within the attachment size limit), stored and linked to its message. */
export async function storeAttachments(
  deps: IngestDeps,
  tx: Db,
  parsed: ParsedEmail,
  messageId: string,
): Promise<Array<{ id: string; filename: string; sizeBytes: number; contentId: string | null; isInline: boolean }>> {
  const out = [];
  for (const a of parsed.attachments.slice(0, 100)) {
    if (a.content.length > deps.config.maxAttachmentBytes) continue;
    const stored = await storeAttachmentStream(deps.config.dataDir, Readable.from([Buffer.from(a.content)]), {
      maxBytes: deps.config.maxAttachmentBytes,
    });
    const id = randomUUID();
    const filename = sanitiseFilename(a.filename);
    await tx.insert(attachments).values({
      id,
      sha256: stored.sha256,
      sizeBytes: stored.sizeBytes,
      contentType: a.contentType.slice(0, 200),
      filename,
      messageId,
      isInline: a.isInline,
      contentId: a.contentId,
    });
    out.push({ id, filename, sizeBytes: stored.sizeBytes, contentId: a.contentId, isInline: a.isInline });
  }
  return out;
}
