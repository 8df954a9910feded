import type { Request, Response } from 'express';
import type { VNode } from 'preact';
import type { HttpDeps } from '../../../deps.ts';
import { clientIp } from '../../../context.ts';
import { csrfToken } from '../../../kit/csrf.ts';
import { sendPage } from '../../../respond.ts';
import { t, type MessageKey } from '../../../i18n/index.ts';
import { PasserelleError } from '../../../../shared/errors.ts';
import type { User } from '../../../../model/index.ts';
import type { CoordinatorActor } from '../../../../registry/index.ts';
import { isFieldErrorCode, type FieldProblem, type RegistryPageBase } from '../../../pages/console/registry/index.ts';

/** Confirmations after a redirect (`?ok=…`), each with a message `registry.notice.<name>`. */
export const NOTICES = ['establishment_created', 'establishment_updated', 'establishment_deleted', 'collective_requested', 'collective_issued', 'certificate_revoked', 'message_retried', 'token_revoked'] as const;
export type Notice = (typeof NOTICES)[number];

/** The signed-in coordinator (requireConsoleAccess ran before any registry route). */
export function coordinatorOf(res: Response): User {
  if (!res.locals.user) throw new Error('registry route without requireConsoleAccess');
  return res.locals.user;
}

/** Who acts, for the audit trail: identifier, IP and the certificate of this connection. */
export function actorOf(req: Request, res: Response): CoordinatorActor {
  return { name: coordinatorOf(res).identifier, ip: clientIp(req), certificateSerial: res.locals.certificate.record.serial };
}

export function pageBase(deps: HttpDeps, req: Request, res: Response): RegistryPageBase {
  const ok = typeof req.query.ok === 'string' ? NOTICES.find((n) => n === req.query.ok) : undefined;
  const lang = res.locals.lang;
  return {
    lang,
    coordinator: { identifier: coordinatorOf(res).identifier },
    csrfToken: csrfToken(req.session, deps.runtime.random),
    notice: ok ? t(lang, `registry.notice.${ok}` as MessageKey) : null,
  };
}

export function render(res: Response, status: number, page: VNode): void {
  sendPage(res, status, page);
}

/** The posted fields, strings only (anything else reads as absent). */
export function fields(req: Request): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value;
  return out;
}

/** A path parameter, cut short: ids are opaque and anything odd is simply not found. */
export function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value.slice(0, 100) : '';
}

/**
 * A refusal a form can show next to a field (`details.field`, or the query's `fields`),
 * or null for anything else (which goes to the error page).
 */
export function problemsOf(error: unknown, fallbackField?: string): FieldProblem[] | null {
  if (!(error instanceof PasserelleError) || !error.expose) return null;
  const details = error.details ?? {};
  if (Array.isArray(details.problems)) {
    const listed = (details.problems as Array<{ field?: unknown; code?: unknown }>).filter(
      (p): p is FieldProblem => typeof p.field === 'string' && typeof p.code === 'string' && isFieldErrorCode(p.code),
    );
    if (listed.length) return listed;
  }
  if (!isFieldErrorCode(error.code)) return null;
  const named = typeof details.field === 'string' ? [details.field] : Array.isArray(details.fields) ? details.fields.filter((f): f is string => typeof f === 'string' && f !== '') : [];
  const code = error.code;
  if (named.length) return named.map((field) => ({ field, code }));
  if (code === 'finess_exists') return [{ field: 'finess', code }];
  return fallbackField ? [{ field: fallbackField, code }] : null;
}
