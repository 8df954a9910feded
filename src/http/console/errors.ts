import type { NextFunction, Request, Response } from 'express';
import { errorAnswer } from '../errors.ts';
import { logger } from '../../shared/logger.ts';
import { sendJson } from '../respond.ts';

/** The admin API always answers JSON `{ error, message? }`, whatever the Accept header says. */
export function apiErrorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const { status, code, message } = errorAnswer(error);
  if (status >= 500) logger.error('admin API request failed', { path: req.path, code, error: error instanceof Error ? error.message : String(error) });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error: code, ...(message ? { message } : {}) });
}

export function apiNotFound(_req: Request, res: Response): void {
  sendJson(res, 404, { error: 'not_found', message: 'no such endpoint' });
}
