import { AppError } from '../../platform/errors.ts';

export const visitorUnauthorised = () =>
  new AppError(
    'UNAUTHENTICATED',
    'The visitor token is missing or no longer valid: start a new visitor (POST /widget/v1/visitors)',
  );
export const widgetNotFound = () => new AppError('NOT_FOUND', 'Widget not found');
export const conversationNotFound = () => new AppError('NOT_FOUND', 'Conversation not found');
export const identityRejected = () =>
  new AppError('INVALID_CREDENTIALS', 'The identity signature does not match: the visitor was not signed in', {
    errors: [{ path: 'identity.signature', message: 'does not match HMAC-SHA256(secret, userId) for this widget' }],
  });
export const tooMany = (what: string) => new AppError('RATE_LIMITED', `Too many ${what}: try again later`);
export const fieldProblem = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', 'Some fields are not valid', { errors: [{ path, message }] });
