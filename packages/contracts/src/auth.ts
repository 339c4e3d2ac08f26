import { z } from 'zod';
import { Locale, PASSWORD_MAX_LENGTH, Password, StaffUser } from './staff.ts';

export const SetupStatus = z.object({ needsSetup: z.boolean() });
export type SetupStatus = z.infer<typeof SetupStatus>;

export const SetupBody = z.object({
  email: z.email().max(320),
  password: Password,
  name: z.string().trim().min(1).max(200),
  locale: Locale.optional(),
});
export type SetupBody = z.infer<typeof SetupBody>;

export const LoginBody = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const AcceptInvitationBody = z.object({
  token: z.string().min(1).max(200),
  password: Password,
  name: z.string().trim().min(1).max(200).optional(),
});
export type AcceptInvitationBody = z.infer<typeof AcceptInvitationBody>;

export const Session = z.object({
  user: StaffUser,
  /** send as the x-csrf-token header on every POST/PUT/PATCH/DELETE made with the session cookie */
  csrfToken: z.string(),
  permissions: z.array(z.string()),
});
export type Session = z.infer<typeof Session>;
