import { z } from 'zod';
import { ListTicketsQuery } from './tickets.ts';

/** Admin configuration wire types (see docs/api.md "Admin configuration"). */

export const AdminIdParams = z.object({ id: z.uuid() });

/** Display names per locale besides the default `name`/`label`. */
export const Translations = z
  .object({
    bn: z.string().trim().max(200).optional(),
    hi: z.string().trim().max(200).optional(),
  })
  .strict();
export type Translations = z.infer<typeof Translations>;

// ---- teams ----

export const Team = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  leadId: z.uuid().nullable(),
  memberIds: z.array(z.uuid()),
  createdAt: z.string(),
});
export type Team = z.infer<typeof Team>;

export const TeamList = z.object({ items: z.array(Team) });
export type TeamList = z.infer<typeof TeamList>;

export const CreateTeamBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(1000).optional(),
    leadId: z.uuid().nullable().optional(),
    memberIds: z.array(z.uuid()).max(1000).optional(),
  })
  .strict();
export type CreateTeamBody = z.infer<typeof CreateTeamBody>;

export const UpdateTeamBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().max(1000).optional(),
    leadId: z.uuid().nullable().optional(),
  })
  .strict();
export type UpdateTeamBody = z.infer<typeof UpdateTeamBody>;

export const SetTeamMembersBody = z.object({ userIds: z.array(z.uuid()).max(1000) }).strict();
export type SetTeamMembersBody = z.infer<typeof SetTeamMembersBody>;

// ---- categories ----

export const Category = z.object({
  id: z.uuid(),
  name: z.string(),
  translations: Translations,
  position: z.number().int(),
  isActive: z.boolean(),
  ticketCount: z.number().int(),
  createdAt: z.string(),
});
export type Category = z.infer<typeof Category>;

export const CategoryList = z.object({ items: z.array(Category) });
export type CategoryList = z.infer<typeof CategoryList>;

export const ListConfigQuery = z.object({
  /** include deactivated entries (admin screens); default: active only */
  includeInactive: z.enum(['0', '1', 'true', 'false']).optional(),
});

export const CreateCategoryBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    translations: Translations.optional(),
    position: z.number().int().min(0).max(100_000).optional(),
    isActive: z.boolean().optional(),
  })
  .strict();
export type CreateCategoryBody = z.infer<typeof CreateCategoryBody>;

export const UpdateCategoryBody = CreateCategoryBody.partial().strict();
export type UpdateCategoryBody = z.infer<typeof UpdateCategoryBody>;

/** DELETE of a category or custom field: removed outright, or only deactivated because tickets use it. */
export const DeleteConfigResult = z.object({ outcome: z.enum(['deleted', 'deactivated']) });
export type DeleteConfigResult = z.infer<typeof DeleteConfigResult>;

// ---- custom fields ----

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'dropdown', 'checkbox'] as const;
export const CustomFieldType = z.enum(CUSTOM_FIELD_TYPES);
export type CustomFieldType = z.infer<typeof CustomFieldType>;

export const CUSTOM_FIELD_KEY = /^[a-z][a-z0-9_]{0,40}$/;

export const CustomFieldOption = z
  .object({
    value: z.string().trim().min(1).max(100),
    label: z.string().trim().min(1).max(200),
    translations: Translations.optional(),
  })
  .strict();
export type CustomFieldOption = z.infer<typeof CustomFieldOption>;

export const CustomField = z.object({
  id: z.uuid(),
  key: z.string(),
  label: z.string(),
  translations: Translations,
  fieldType: CustomFieldType,
  options: z.array(CustomFieldOption),
  isRequired: z.boolean(),
  position: z.number().int(),
  isActive: z.boolean(),
  createdAt: z.string(),
});
export type CustomField = z.infer<typeof CustomField>;

export const CustomFieldList = z.object({ items: z.array(CustomField) });
export type CustomFieldList = z.infer<typeof CustomFieldList>;

export const CreateCustomFieldBody = z
  .object({
    key: z.string().regex(CUSTOM_FIELD_KEY, 'lower-case letters, digits and _, starting with a letter (at most 41)'),
    label: z.string().trim().min(1).max(200),
    translations: Translations.optional(),
    fieldType: CustomFieldType,
    options: z.array(CustomFieldOption).max(500).optional(),
    isRequired: z.boolean().optional(),
    position: z.number().int().min(0).max(100_000).optional(),
    isActive: z.boolean().optional(),
  })
  .strict();
export type CreateCustomFieldBody = z.infer<typeof CreateCustomFieldBody>;

/** `key` may be sent only unchanged: it is immutable once created. */
export const UpdateCustomFieldBody = CreateCustomFieldBody.extend({ key: z.string().max(100) })
  .partial()
  .strict();
export type UpdateCustomFieldBody = z.infer<typeof UpdateCustomFieldBody>;

// ---- saved views ----

/**
 * A saved view stores ticket-list filters exactly as `GET /tickets` takes them in its query string
 * (e.g. `{ "view": "all", "status": "open,pending", "sort": "updated_desc" }`), validated against that schema.
 */
export const SavedViewFilters = z.record(z.string().max(50), z.string().max(500));
export type SavedViewFilters = z.infer<typeof SavedViewFilters>;

/** The ticket-list filters a view may hold (everything but paging). */
export const SavedViewFilterSchema = ListTicketsQuery.omit({ limit: true, cursor: true }).strict();

export const SavedView = z.object({
  id: z.uuid(),
  name: z.string(),
  filters: SavedViewFilters,
  isShared: z.boolean(),
  /** who created it; a personal view is visible only to its owner */
  ownerId: z.uuid().nullable(),
  position: z.number().int(),
  createdAt: z.string(),
});
export type SavedView = z.infer<typeof SavedView>;

export const SavedViewList = z.object({ items: z.array(SavedView) });
export type SavedViewList = z.infer<typeof SavedViewList>;

export const CreateSavedViewBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    filters: SavedViewFilters,
    isShared: z.boolean().optional(),
    position: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();
export type CreateSavedViewBody = z.infer<typeof CreateSavedViewBody>;

export const UpdateSavedViewBody = CreateSavedViewBody.partial().strict();
export type UpdateSavedViewBody = z.infer<typeof UpdateSavedViewBody>;
