import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../shared/errors';

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
}

/** Turns anything thrown into `{ error: { code, message } }`; only 5xx are logged as errors, with the request id. */
export function errorHandler(): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    if (appError.status >= 500) {
      req.log?.error({ err }, 'request failed');
    } else {
      req.log?.info({ code: appError.code, status: appError.status }, 'request refused');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(appError.headers ?? {})) res.setHeader(name, value);
    const body: { code: string; message: string; details?: unknown; requestId?: string } = { code: appError.code, message: appError.message };
    if (appError.details !== undefined) body.details = appError.details;
    if (appError.status >= 500) body.requestId = String(res.locals.requestId ?? '');
    res.status(appError.status).json({ error: body });
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const parserError = err as BodyParserError;
  switch (parserError?.type) {
    case 'entity.too.large':
      return new AppError(413, 'payload_too_large', 'The request body is too large.');
    case 'entity.parse.failed':
      return new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'unsupported_media_type', 'Unsupported body encoding or charset.');
    case 'parameters.too.many':
      return new AppError(413, 'payload_too_large', 'The request has too many parameters.');
    default:
      break;
  }
  const status = parserError?.status ?? parserError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(status, 'bad_request', 'The request could not be read.');
  }
  return new AppError(500, 'internal_error', 'Something went wrong on our side. It has been logged.');
}

export function jsonNotFound(): RequestHandler {
  return (_req, res) => {
    res.status(404).json({ error: { code: 'route_not_found', message: 'No such route.' } });
  };
}
