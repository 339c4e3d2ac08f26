import { connectDatabase } from './apps/server/src/platform/db/client.ts';
import { createStaffUser } from './apps/server/src/modules/staff/staff.service.ts';
import { createApiToken } from './apps/server/src/modules/tokens/tokens.service.ts';
import { TOKEN_SCOPE_NAMES } from './apps/server/src/platform/auth/permissions.ts';
const database = connectDatabase(process.env.DATABASE_URL as string, { max: 2 });
const admin = await createStaffUser({ db: database.db }, { actor: { kind: 'system' }, email: `probe-${Date.now()}@example.com`, password: 'probe-password-123', name: 'Probe', role: 'admin' });
const { token } = await createApiToken({ db: database.db }, { actor: { kind: 'system' }, userId: admin.id, name: 'probe', scopes: [...TOKEN_SCOPE_NAMES] });
console.log(token);
await database.close();
