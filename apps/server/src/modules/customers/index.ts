import type { FastifyInstance } from 'fastify';
import { customersRoutes } from './customers.routes.ts';
import { organisationsRoutes } from './organisations.routes.ts';

/** The customers module: customers, their identities, merging, and organisations. */
export async function customersModule(app: FastifyInstance): Promise<void> {
  await app.register(customersRoutes);
  await app.register(organisationsRoutes);
}

export { decodeCursor, encodeCursor, isScoreIdCursor } from './cursor.ts';
export {
  fuzzyThreshold,
  MIN_FUZZY_LENGTH,
  queryTerms,
  searchCustomers,
  termMatchesSql,
  withSearchSettings,
} from './customer-search.ts';
export { toCustomerSummary } from './customers.dto.ts';
// The module's public API for other modules.
export { refreshCustomerSearchText } from './customers.repository.ts';
export { getCustomer, isUniqueViolation } from './customers.service.ts';
export { normaliseDomain, normaliseEmail, normalisePhone } from './identity-values.ts';
export { customerVisibleSql, ticketVisibleSql } from './ticket-visibility-sql.ts';
