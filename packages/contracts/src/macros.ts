import { z } from 'zod';
import { LanguageTag, TicketPriority, TicketStatus, TicketType } from './tickets.ts';

/** Macros and canned replies (issue 7): texts per language with placeholders, plus field changes. See docs/macros.md. */

export const MACRO_PLACEHOLDERS = [
  'customer.name',
  'customer.first_name',
  'ticket.number',
  'ticket.subject',
  'agent.name',
  'agent.first_name',
] as const;

const tag = z.string().trim().min(1).max(100);
export const MacroActions = z
  .object({
    status: TicketStatus.optional(),
    priority: TicketPriority.optional(),
    type: TicketType.optional(),
    categoryId: z.uuid().nullable().optional(),
    teamId: z.uuid().nullable().optional(),
    assigneeId: z.uuid().nullable().optional(),
    addTags: z.array(tag).max(20).optional(),
    removeTags: z.array(tag).max(20).optional(),
  })
  .strict();
export type MacroActions = z.infer<typeof MacroActions>;

const bodies = z.record(LanguageTag, z.string().max(20_000));
const shortcut = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{M}\p{N}_-]{1,40}$/u, 'letters, digits, - and _ (no spaces)');

export const CreateMacroBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    shortcut: shortcut.nullable().optional(),
    shared: z.boolean().default(false),
    bodies,
    internal: z.boolean().default(false),
    actions: MacroActions.default({}),
    active: z.boolean().default(true),
  })
  .strict();
export type CreateMacroBody = z.infer<typeof CreateMacroBody>;

export const UpdateMacroBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    shortcut: shortcut.nullable().optional(),
    bodies: bodies.optional(),
    internal: z.boolean().optional(),
    actions: MacroActions.optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateMacroBody = z.infer<typeof UpdateMacroBody>;

export const Macro = z.object({
  id: z.uuid(),
  name: z.string(),
  shortcut: z.string().nullable(),
  shared: z.boolean(),
  ownerId: z.uuid().nullable(),
  bodies: z.record(z.string(), z.string()),
  internal: z.boolean(),
  actions: MacroActions,
  active: z.boolean(),
  usageCount: z.number().int(),
  lastUsedAt: z.string().nullable(),
  /** the caller may change or delete it */
  editable: z.boolean(),
  updatedAt: z.string(),
});
export type Macro = z.infer<typeof Macro>;
export const MacroList = z.object({ items: z.array(Macro) });
export const MacroListQuery = z.object({ q: z.string().trim().max(100).optional(), includeInactive: z.enum(['0', '1']).optional() });
export const MacroIdParams = z.object({ id: z.uuid() });
export const TicketMacroParams = z.object({ id: z.string().min(1).max(64), macroId: z.uuid() });

export const MacroPreview = z.object({
  language: z.string(),
  /** the macro has no text in the ticket's language and fell back to this one */
  fellBack: z.boolean(),
  body: z.string(),
  internal: z.boolean(),
  actions: MacroActions,
  /** placeholders that had no value (e.g. an article without a published translation) */
  missing: z.array(z.string()),
});
export type MacroPreview = z.infer<typeof MacroPreview>;

export const ApplyMacroBody = z
  .object({
    /** the text as the agent edited it; the rendered text when left out */
    body: z.string().max(20_000).optional(),
    language: LanguageTag.optional(),
    /** seconds the agent spent on the reply (the composer's timer), recorded as the message's handle time */
    handleSeconds: z.number().int().min(0).max(86_400).optional(),
  })
  .strict();
export type ApplyMacroBody = z.infer<typeof ApplyMacroBody>;
