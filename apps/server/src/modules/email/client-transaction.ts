/** Moved to platform/db/client-transaction.ts (every top-level transaction is one now); kept for the channels' imports. */
export { withClientTransaction } from '../../platform/db/client-transaction.ts';
