import fs from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { DbOrTx } from '../../platform/db/client.ts';
import { attachments } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { FileTooLargeError } from '../attachments/attachment-storage.ts';
import { attachmentPath, sanitiseFilename, storeAttachmentStream } from '../attachments/index.ts';
import { sniffUploadType } from '../widget/sniff-upload.ts';

/**
 * Files a customer attaches on the help centre (the contact form, a reply on "my requests"): multipart posts that
 * work without JavaScript. At most 3 files, each at most 10 MB (or the desk's smaller attachment limit); the type
 * is read from the bytes, never from the name or the browser's claim: PNG, JPEG, GIF, WebP, PDF or plain text (the
 * widget's rule; never SVG or HTML). Files are stored like every attachment (content-addressed, streamed, bounded)
 * and put on the message in the message's own transaction.
 */
export const HELP_UPLOAD_LIMITS = { maxFiles: 3, maxBytes: 10 * 1024 * 1024 } as const;

export function helpUploadMaxBytes(deps: Pick<Deps, 'config'>): number {
  return Math.min(deps.config.maxAttachmentBytes, HELP_UPLOAD_LIMITS.maxBytes);
}

export interface HelpUpload {
  sha256: string;
  sizeBytes: number;
  contentType: string;
  filename: string;
}

/** Why the files were refused (a key into the help strings); the form is shown again with the text kept. */
export type HelpUploadError = 'errFileTooLarge' | 'errFileType' | 'errTooManyFiles';

export interface HelpPost {
  fields: Record<string, string>;
  files: HelpUpload[];
  fileError: HelpUploadError | null;
}

/** The numbers the upload hint and messages show: `{ n: files, mb: megabytes per file }`. */
export function uploadVars(deps: Pick<Deps, 'config'>): { n: number; mb: number } {
  return { n: HELP_UPLOAD_LIMITS.maxFiles, mb: Math.floor(helpUploadMaxBytes(deps) / (1024 * 1024)) };
}

/** Drops stored uploads that will not be used (the form was refused). */
export async function discardHelpUploads(
  deps: Pick<Deps, 'db' | 'config'>,
  files: readonly HelpUpload[],
): Promise<void> {
  for (const f of files) await discard(deps, f.sha256);
}

/** Removes a refused file unless the same content is already a stored attachment (storage is content-addressed). */
async function discard(deps: Pick<Deps, 'db' | 'config'>, sha256: string): Promise<void> {
  const [used] = await deps.db
    .select({ id: attachments.id })
    .from(attachments)
    .where(eq(attachments.sha256, sha256))
    .limit(1);
  if (!used) await fs.rm(attachmentPath(deps.config.dataDir, sha256), { force: true });
}

/**
 * Reads a help-centre form post: urlencoded (no files) or multipart (fields and `files`). Every file is streamed
 * to storage and checked; on the first refused file the rest of the upload is drained and nothing is kept.
 */
export async function readHelpPost(deps: Pick<Deps, 'db' | 'config'>, req: FastifyRequest): Promise<HelpPost> {
  if (!req.isMultipart()) {
    const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v;
    return { fields, files: [], fileError: null };
  }
  const max = helpUploadMaxBytes(deps);
  const fields: Record<string, string> = {};
  const files: HelpUpload[] = [];
  let fileError: HelpUploadError | null = null;
  // the size and count limits are judged here (a clear message on the form), not by the parser's 413
  // (`throwFileSizeLimit` is read per request by @fastify/multipart; its types only list busboy's options)
  const options = { throwFileSizeLimit: false, limits: { fileSize: max + 1, files: HELP_UPLOAD_LIMITS.maxFiles + 1 } };
  const parts = req.parts(options as Parameters<FastifyRequest['parts']>[0]);
  try {
    await readParts();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') fileError ??= 'errTooManyFiles';
    else if (code === 'FST_REQ_FILE_TOO_LARGE') fileError ??= 'errFileTooLarge';
    else throw err;
  }
  if (fileError) await discardHelpUploads(deps, files);
  return { fields, files: fileError ? [] : files, fileError };

  async function readParts(): Promise<void> {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value;
        continue;
      }
      // an empty file input still sends a part with no name and no bytes
      if (fileError || part.fieldname !== 'files' || !part.filename) {
        part.file.resume();
        continue;
      }
      if (files.length >= HELP_UPLOAD_LIMITS.maxFiles) {
        fileError = 'errTooManyFiles';
        part.file.resume();
        continue;
      }
      try {
        const stored = await storeAttachmentStream(deps.config.dataDir, part.file, {
          maxBytes: max,
          isTruncated: () => part.file.truncated,
        });
        if (stored.sizeBytes === 0) continue;
        const type = sniffUploadType(await fs.readFile(attachmentPath(deps.config.dataDir, stored.sha256)));
        if (!type) {
          fileError = 'errFileType';
          await discard(deps, stored.sha256);
          continue;
        }
        files.push({ ...stored, contentType: type, filename: sanitiseFilename(part.filename) });
      } catch (err) {
        if (!(err instanceof FileTooLargeError)) throw err;
        fileError = 'errFileTooLarge';
        part.file.resume();
      }
    }
  }
}

/** Puts stored uploads on a message (inside the message's transaction). */
export async function attachHelpUploads(
  tx: DbOrTx,
  input: { messageId: string; files: readonly HelpUpload[]; now: Date },
): Promise<void> {
  if (input.files.length === 0) return;
  await tx.insert(attachments).values(
    input.files.map((f) => ({
      sha256: f.sha256,
      sizeBytes: f.sizeBytes,
      contentType: f.contentType,
      filename: f.filename,
      messageId: input.messageId,
      createdAt: input.now,
    })),
  );
}
