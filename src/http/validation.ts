import type { ZodError } from 'zod';
import { AppError } from '../shared/errors';

export function validationError(error: ZodError, where: 'body' | 'query'): AppError {
  const issues = error.issues.slice(0, 20).map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const message = first ? `Invalid ${first.path}: ${first.message}` : `Invalid ${where}.`;
  return new AppError(400, 'validation_failed', message, { issues });
}
