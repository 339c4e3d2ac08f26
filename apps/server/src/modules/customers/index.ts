import type { FastifyInstance } from 'fastify';
import { customersRoutes } from './customers.routes.ts';
import { organisationsRoutes } from './organisations.routes.ts';

/** The customers module: customers, their identities, merging, and organisations. */
export async function customersModule(app: FastifyInstance): Promise<void> {
  await app.register(customersRoutes);
  await app.register(organisationsRoutes);
}

// The module's public API for other modules.
export { refreshCustomerSearchText } from './customers.repository.ts';
export { getCustomer, isUniqueViolation } from './customers.service.ts';
export {
  queryTerms,
  searchCustomers,
  termMatchesSql,
  fuzzyThreshold,
  MIN_FUZZY_LENGTH,
  withSearchSettings,
} from './customer-search.ts';
export { toCustomerSummary } from './customers.dto.ts';
export { normaliseEmail, normalisePhone, normaliseDomain } from './identity-values.ts';
export { customerVisibleSql, ticketVisibleSql } from './ticket-visibility-sql.ts';
export { decodeCursor, encodeCursor, isScoreIdCursor } from './cursor.ts';
