import { AppError } from '../shared/errors';
import { TeamLogRuleError } from '../shared/team-log-rules';

/** The log's rule codes as HTTP answers: a moved head is a conflict to refetch; the rest are the client's mistake. */
export function toHttpError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  // The rules are pure functions of the request's entry: anything else they throw (a decoder refusing a
  // string the schema let through) is bad input, answered 400, never a 500.
  if (!(error instanceof TeamLogRuleError)) return new AppError(400, 'invalid_entry', 'The entry could not be decoded.');
  switch (error.code) {
    case 'log_conflict':
      return new AppError(409, 'log_conflict', error.message);
    case 'not_allowed':
      return new AppError(403, 'not_allowed', error.message);
    case 'invalid_signature':
      return new AppError(400, 'invalid_signature', error.message);
    case 'invalid_entry':
      return new AppError(400, 'invalid_entry', error.message);
  }
}
