import { AppError } from '../../platform/errors.ts';

export const ticketNotFound = () => new AppError('NOT_FOUND', 'Ticket not found');
export const messageNotFound = () => new AppError('NOT_FOUND', 'Message not found');

export const invalidTransition = (from: string, to: string) =>
  new AppError('INVALID_TRANSITION', `A ticket cannot go from ${from} to ${to}`, { details: { from, to } });

export const ticketClosed = () =>
  new AppError('CONFLICT', 'This ticket is closed; open a follow-up ticket instead', {
    details: { reason: 'TICKET_CLOSED' },
  });

export const fieldError = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', 'Some fields are not valid', { errors: [{ path, message }] });
