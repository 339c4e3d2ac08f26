import { z } from 'zod';
import { Locale } from './staff.ts';

/** Shared list conventions: `?limit=` (default 50, max 200) and an opaque `?cursor=`. */
const PageLimit = z.coerce.number().int().min(1).max(200).default(50);
const PageCursor = z.string().min(1).max(500).optional();

export const IDENTITY_KINDS = ['email', 'phone', 'external'] as const;
export const IdentityKind = z.enum(IDENTITY_KINDS);
export type IdentityKind = z.infer<typeof IdentityKind>;

export const CustomerIdentity = z.object({
  id: z.uuid(),
  /** email | phone | external (visitor ids from the widget appear as 'visitor') */
  kind: z.string(),
  /** normalised: lower-case email; phone as + and digits */
  value: z.string(),
  isPrimary: z.boolean(),
  isVerified: z.boolean(),
  createdAt: z.string(),
});
export type CustomerIdentity = z.infer<typeof CustomerIdentity>;

export const OrganisationRef = z.object({ id: z.uuid(), name: z.string() });
export type OrganisationRef = z.infer<typeof OrganisationRef>;

export const CustomerSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  /** primary email, else the first email, else null */
  email: z.string().nullable(),
  /** primary phone, else the first phone, else null */
  phone: z.string().nullable(),
  organisation: OrganisationRef.nullable(),
  locale: z.string().nullable(),
  mergedIntoId: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CustomerSummary = z.infer<typeof CustomerSummary>;

export const Customer = CustomerSummary.extend({
  notes: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  identities: z.array(CustomerIdentity),
  /** tickets that are not solved or closed */
  openTicketCount: z.number().int(),
  ticketCount: z.number().int(),
});
export type Customer = z.infer<typeof Customer>;

export const CustomerList = z.object({ items: z.array(CustomerSummary), nextCursor: z.string().nullable() });
export type CustomerList = z.infer<typeof CustomerList>;

export const ListCustomersQuery = z.object({
  q: z.string().max(200).optional(),
  organisationId: z.uuid().optional(),
  limit: PageLimit,
  cursor: PageCursor,
});
export type ListCustomersQuery = z.infer<typeof ListCustomersQuery>;

const CustomerName = z.string().trim().min(1).max(200);
const EmailInput = z.string().trim().min(3).max(320);
const PhoneInput = z.string().trim().min(3).max(40);

export const CreateCustomerBody = z
  .object({
    name: CustomerName,
    emails: z.array(EmailInput).max(20).optional(),
    phones: z.array(PhoneInput).max(20).optional(),
    organisationId: z.uuid().nullable().optional(),
    locale: Locale.nullable().optional(),
    notes: z.string().max(10_000).optional(),
  })
  .strict();
export type CreateCustomerBody = z.infer<typeof CreateCustomerBody>;

export const UpdateCustomerBody = z
  .object({
    name: CustomerName.optional(),
    organisationId: z.uuid().nullable().optional(),
    locale: Locale.nullable().optional(),
    notes: z.string().max(10_000).optional(),
    attributes: z.record(z.string().max(100), z.unknown()).optional(),
  })
  .strict();
export type UpdateCustomerBody = z.infer<typeof UpdateCustomerBody>;

export const AddIdentityBody = z
  .object({
    kind: IdentityKind,
    value: z.string().trim().min(1).max(320),
    isPrimary: z.boolean().optional(),
  })
  .strict();
export type AddIdentityBody = z.infer<typeof AddIdentityBody>;

export const MergeCustomerBody = z.object({ duplicateId: z.uuid() }).strict();
export type MergeCustomerBody = z.infer<typeof MergeCustomerBody>;

export const CustomerIdParams = z.object({ id: z.uuid() });
export const IdentityParams = z.object({ id: z.uuid(), identityId: z.uuid() });

/** `GET /customers/:id/tickets` answers a `TicketList` (see tickets.ts), newest first. */
export const CustomerTicketsQuery = z.object({ limit: PageLimit, cursor: PageCursor });

// ---- organisations ----

export const Organisation = z.object({
  id: z.uuid(),
  name: z.string(),
  /** lower-case email domains whose senders belong here */
  domains: z.array(z.string()),
  /** members may see each other's tickets in the portal */
  isShared: z.boolean(),
  notes: z.string(),
  customerCount: z.number().int(),
  createdAt: z.string(),
});
export type Organisation = z.infer<typeof Organisation>;

export const OrganisationList = z.object({ items: z.array(Organisation), nextCursor: z.string().nullable() });
export type OrganisationList = z.infer<typeof OrganisationList>;

export const ListOrganisationsQuery = z.object({
  q: z.string().max(200).optional(),
  limit: PageLimit,
  cursor: PageCursor,
});

const Domain = z.string().trim().min(3).max(253);

export const CreateOrganisationBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    domains: z.array(Domain).max(50).optional(),
    isShared: z.boolean().optional(),
    notes: z.string().max(10_000).optional(),
  })
  .strict();
export type CreateOrganisationBody = z.infer<typeof CreateOrganisationBody>;

export const UpdateOrganisationBody = CreateOrganisationBody.partial().strict();
export type UpdateOrganisationBody = z.infer<typeof UpdateOrganisationBody>;

export const OrganisationIdParams = z.object({ id: z.uuid() });
