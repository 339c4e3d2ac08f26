export * from './customers.ts';
export * from './staff.ts';
export * from './tickets.ts';
