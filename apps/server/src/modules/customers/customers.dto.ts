import type { Customer, CustomerIdentity, CustomerSummary } from '@seva/contracts';
import type { CustomerDetailRow, CustomerSummaryRow, IdentityRow } from './customers.repository.ts';

const iso = (d: Date | string): string => (d instanceof Date ? d : new Date(d)).toISOString();

export function toCustomerSummary(r: CustomerSummaryRow): CustomerSummary {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    organisation:
      r.organisation_id && r.organisation_name ? { id: r.organisation_id, name: r.organisation_name } : null,
    locale: r.locale,
    mergedIntoId: r.merged_into_id,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function toIdentity(r: IdentityRow): CustomerIdentity {
  return {
    id: r.id,
    kind: r.kind,
    value: r.value,
    isPrimary: r.is_primary,
    isVerified: r.is_verified,
    createdAt: iso(r.created_at),
  };
}

export function toCustomer(r: CustomerDetailRow, identities: IdentityRow[]): Customer {
  return {
    ...toCustomerSummary(r),
    notes: r.notes,
    attributes: r.attributes ?? {},
    identities: identities.map(toIdentity),
    openTicketCount: r.open_ticket_count,
    ticketCount: r.ticket_count,
  };
}
