/**
 * The one error type. Use cases throw it; the HTTP error handler turns it into
 * `{ error: { code, message } }`. Codes are stable strings clients may switch on.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const errors = {
  badRequest: (code: string, message: string, details?: unknown) => new AppError(400, code, message, details),
  unauthorized: (message = 'Authentication required.') => new AppError(401, 'unauthorized', message),
  forbidden: (code: string, message: string) => new AppError(403, code, message),
  // 404 is also the answer for things that exist but are not yours, so existence cannot be probed.
  notFound: (message = 'Not found.') => new AppError(404, 'not_found', message),
  conflict: (code: string, message: string, details?: unknown) => new AppError(409, code, message, details),
  tooLarge: (message: string) => new AppError(413, 'payload_too_large', message),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new AppError(429, 'too_many_attempts', `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) }),
};
