import type { NextFunction, Request, Response } from 'express';
import { PasserelleError } from '../shared/errors.ts';
import { ErrorPage } from './pages/index.ts';
import { sendJson, sendPage, wantsHtml } from './respond.ts';
import { logger } from '../shared/logger.ts';

export interface ErrorAnswer {
  status: number;
  code: string;
  /** Only for client errors: a 5xx never shows its internals. */
  message?: string;
}

const BODY_MESSAGES: Record<string, string> = {
  'entity.too.large': 'the body is too large',
  'entity.parse.failed': 'the body could not be parsed',
};

/** What a client is told about an error: typed errors show their code and message when < 500. */
export function errorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof PasserelleError) return { status: error.status, code: error.code, ...(error.expose ? { message: error.message } : {}) };
  if (isBodyError(error)) {
    return { status: error.status, code: error.type === 'entity.too.large' ? 'payload_too_large' : 'invalid_body', message: BODY_MESSAGES[error.type] ?? 'the body could not be read' };
  }
  if (isStoreOutage(error)) return { status: 503, code: 'session_store_unavailable' };
  return { status: 500, code: 'internal_error' };
}

/** Pages for browsers, JSON for scripts; anything unexpected is logged and shown as a generic error. */
export function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const { status, code, message } = errorAnswer(error);
  if (status >= 500) logger.error('request failed', { path: req.path, code, error: error instanceof Error ? error.message : String(error) });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (wantsHtml(req)) sendPage(res, status, ErrorPage({ lang: res.locals.lang ?? 'fr', status, code, message }));
  else sendJson(res, status, { error: code, ...(message ? { message } : {}) });
}

function isBodyError(error: unknown): error is { status: number; type: string } {
  const e = error as { status?: unknown; type?: unknown };
  return typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string';
}

/** Redis unreachable or its client giving up: a clear 503, nothing half-written. */
function isStoreOutage(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /Connection is closed|ECONNREFUSED|Stream isn't writeable|enableOfflineQueue|MaxRetriesPerRequest|Redis/i.test(message);
}
