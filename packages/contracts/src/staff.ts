import { z } from 'zod';

/** Languages the desk speaks: English, Bengali, Hindi. */
export const LOCALES = ['en', 'bn', 'hi'] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

export const STAFF_ROLES = ['admin', 'supervisor', 'agent', 'collaborator'] as const;
export const StaffRole = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRole>;

export const STAFF_STATUSES = ['invited', 'active', 'disabled'] as const;
export const StaffStatus = z.enum(STAFF_STATUSES);
export type StaffStatus = z.infer<typeof StaffStatus>;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
export const Password = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);

export const StaffUser = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: StaffRole,
  status: StaffStatus,
  locale: z.string(),
  teamIds: z.array(z.uuid()),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type StaffUser = z.infer<typeof StaffUser>;

export const StaffList = z.object({ items: z.array(StaffUser) });
export type StaffList = z.infer<typeof StaffList>;

export const StaffIdParams = z.object({ id: z.uuid() });

export const InviteStaffBody = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  role: StaffRole,
});
export type InviteStaffBody = z.infer<typeof InviteStaffBody>;

export const InviteStaffResult = z.object({
  user: StaffUser,
  /** relative path to the acceptance page; the token in it is shown only once */
  inviteUrl: z.string(),
});
export type InviteStaffResult = z.infer<typeof InviteStaffResult>;

export const UpdateStaffBody = z
  .object({
    role: StaffRole.optional(),
    status: z.enum(['active', 'disabled']).optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type UpdateStaffBody = z.infer<typeof UpdateStaffBody>;

export const UpdateMeBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    locale: Locale.optional(),
  })
  .strict();
export type UpdateMeBody = z.infer<typeof UpdateMeBody>;

export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: Password,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

/** API token scopes (see the server's permission policy for what each unlocks). */
export const TOKEN_SCOPES = ['tickets:read', 'tickets:write', 'customers:read', 'customers:write', 'admin'] as const;
export const TokenScope = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof TokenScope>;

export const ApiToken = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  name: z.string(),
  /** first characters of the token, to tell tokens apart */
  prefix: z.string(),
  scopes: z.array(TokenScope),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenList = z.object({ items: z.array(ApiToken) });
export type ApiTokenList = z.infer<typeof ApiTokenList>;

export const ListTokensQuery = z.object({ all: z.enum(['0', '1', 'true', 'false']).optional() });

export const CreateTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(TokenScope).min(1).max(TOKEN_SCOPES.length),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;

export const CreateTokenResult = z.object({
  /** the raw token: shown once, never again */
  token: z.string(),
  record: ApiToken,
});
export type CreateTokenResult = z.infer<typeof CreateTokenResult>;

export const TokenIdParams = z.object({ id: z.uuid() });

export const DeskSettings = z.object({
  collaboratorRepliesNeedApproval: z.boolean(),
  deskName: z.string(),
  defaultLocale: Locale,
});
export type DeskSettings = z.infer<typeof DeskSettings>;

export const UpdateSettingsBody = z
  .object({
    collaboratorRepliesNeedApproval: z.boolean().optional(),
    deskName: z.string().trim().min(1).max(100).optional(),
    defaultLocale: Locale.optional(),
  })
  .strict();
export type UpdateSettingsBody = z.infer<typeof UpdateSettingsBody>;
