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
  // Redis first: its client's errors are recognised by message; a bare ECONNREFUSED comes from the database driver.
  if (isSessionStoreOutage(error)) return { status: 503, code: 'session_store_unavailable' };
  if (isDatabaseOutage(error)) return { status: 503, code: 'database_unavailable' };
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

/** Redis unreachable or its client (ioredis) giving up: a clear 503, nothing half-written. */
function isSessionStoreOutage(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /Connection is closed|Stream isn't writeable|enableOfflineQueue|MaxRetriesPerRequest|Redis/i.test(message);
}

// Socket errors, and PostgreSQL's classes 08 (connection exception) and 57P (server shutting down or starting).
const DATABASE_OUTAGE_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|08\d{3}|08P01|57P0[1-3])$/;
const DATABASE_OUTAGE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|the database system is|database is locked|SQLITE_BUSY/i;

/** PostgreSQL unreachable (or SQLite locked): `database_unavailable`, not a session store outage. */
function isDatabaseOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && DATABASE_OUTAGE_CODES.test(code)) || DATABASE_OUTAGE_MESSAGES.test(error.message);
}
