import type { LoadOptions } from '../load.ts';

export type HttpScenario = Omit<LoadOptions, 'url' | 'headers' | 'duration' | 'connections'>;

/** The seeded tickets are numbered from here (bench/seed.ts). */
const FIRST_NUMBER = 1000;

/**
 * The HTTP scenarios over a database seeded with `scale` tickets: the inbox two ways, the ticket page's two reads
 * (a random seeded ticket each time) and ticket create through the API (one of 5,000 customers, found or created).
 */
export function httpScenarios(scale: number): {
  rnd: (n: number) => number;
  ticketCreate: HttpScenario;
  inboxOpen: HttpScenario;
  scenarios: HttpScenario[];
} {
  const rnd = (n: number) => 1 + Math.floor(Math.random() * n);
  const ticketCreate: HttpScenario = {
    name: 'ticket create',
    method: 'POST',
    next: () => ({
      path: '/api/v1/tickets',
      body: JSON.stringify({
        subject: `Bench ticket ${Math.random().toString(36).slice(2)}`,
        customer: { email: `load${rnd(5000)}@example.com`, name: 'Load Test' },
        message: { body: 'My refund has not arrived yet, please help.' },
      }),
    }),
  };
  const inboxOpen: HttpScenario = {
    name: 'inbox: open tickets, newest first',
    next: () => ({ path: '/api/v1/tickets?view=all&status=open&limit=50' }),
  };
  const scenarios: HttpScenario[] = [
    inboxOpen,
    {
      name: 'inbox: urgent, oldest first',
      next: () => ({ path: '/api/v1/tickets?view=all&priority=urgent&sort=updated_asc&limit=50' }),
    },
    { name: 'ticket page: ticket', next: () => ({ path: `/api/v1/tickets/${FIRST_NUMBER + rnd(scale)}` }) },
    {
      name: 'ticket page: messages',
      next: () => ({ path: `/api/v1/tickets/${FIRST_NUMBER + rnd(scale)}/messages` }),
    },
    ticketCreate,
  ];
  return { rnd, ticketCreate, inboxOpen, scenarios };
}
