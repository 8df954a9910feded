import type { NextFunction, Request, Response } from 'express';
import { PasserelleError } from '../../shared/errors.ts';
import { logger } from '../../shared/logger.ts';
import { sendJson } from '../respond.ts';

/** The admin API always answers JSON `{ error, message? }`, whatever the Accept header says. */
export function apiErrorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  let status = 500;
  let code = 'internal_error';
  let message: string | undefined;
  if (error instanceof PasserelleError) {
    status = error.status;
    code = error.code;
    if (error.expose) message = error.message;
  } else if (isBodyError(error)) {
    status = error.status;
    code = error.type === 'entity.too.large' ? 'payload_too_large' : 'invalid_body';
    message = error.type === 'entity.too.large' ? 'the body is larger than 32 kB' : error.type === 'entity.parse.failed' ? 'the body is not valid JSON' : 'the body could not be read';
  }
  if (status >= 500) logger.error('admin API request failed', { path: req.path, code, error: error instanceof Error ? error.message : String(error) });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error: code, ...(message ? { message } : {}) });
}

function isBodyError(error: unknown): error is { status: number; type: string } {
  const e = error as { status?: unknown; type?: unknown };
  return typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string';
}

export function apiNotFound(_req: Request, res: Response): void {
  sendJson(res, 404, { error: 'not_found', message: 'no such endpoint' });
}
