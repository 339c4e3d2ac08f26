export * from './customers.ts';
export * from './staff.ts';
export * from './tickets.ts';
export * from './kb.ts';
export * from './email.ts';
