import type { Request } from 'express';
import type { Runtime } from '../../../core/runtime.ts';
import type { ConsoleActor } from '../../../console/index.ts';
import type { User } from '../../../model/index.ts';
import type { ConsoleResponse } from './locals.ts';
import { clientIp } from '../../context.ts';
import { csrfToken } from '../../kit/csrf.ts';
import { t, type Lang, type MessageKey } from '../../i18n/index.ts';

/** The signed-in coordinator (set by requireConsoleAccess). */
export function coordinatorOf(res: ConsoleResponse): User {
  const user = res.locals.user;
  if (!user) throw new Error('console route without requireConsoleAccess');
  return user;
}

/** Who acts, for the domain operations and the audit trail: identifier, IP, certificate. */
export function actorOf(req: Request, res: ConsoleResponse): ConsoleActor {
  const user = coordinatorOf(res);
  return { name: user.identifier, ip: clientIp(req), userId: user.id, certificateSerial: res.locals.certificate.record.serial };
}

const NOTICES = ['approved', 'rejected', 'code_reissued', 'pending_approval', 'approval_confirmed', 'approval_cancelled', 'totp_disabled'] as const;

function count(value: unknown): number {
  const n = typeof value === 'string' ? Number.parseInt(value, 10) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** `?ok=<notice>` after a POST → the sentence to show. Unknown notices show nothing. */
export function noticeOf(lang: Lang, query: Request['query']): string | null {
  const ok = query.ok;
  if (ok === 'bulk') return t(lang, 'console.notice.bulk', { done: count(query.done), pending: count(query.pending), failed: count(query.failed) });
  if (ok === 'approved' && typeof query.identifier === 'string' && /^[a-z0-9][a-z0-9.-]{0,119}$/.test(query.identifier)) return t(lang, 'console.notice.accountCreated', { identifier: query.identifier });
  return typeof ok === 'string' && (NOTICES as readonly string[]).includes(ok) ? t(lang, `console.notice.${ok}` as MessageKey) : null;
}

/** What every console page needs: language, coordinator, CSRF token for its forms, a notice. */
export function shellOf(req: Request, res: ConsoleResponse, runtime: Runtime): { lang: Lang; coordinator: { identifier: string }; csrfToken: string; notice: string | null } {
  const lang = res.locals.lang;
  return { lang, coordinator: { identifier: coordinatorOf(res).identifier }, csrfToken: csrfToken(req.session, runtime.random), notice: req.method === 'GET' ? noticeOf(lang, req.query) : null };
}

/** The posted form; its CSRF token was checked for every console POST by consoleCsrf before any route ran. */
export function posted(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

export function text(value: unknown, max = 2000): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** Path ids are opaque; anything odd is simply not found. */
export function idParam(req: Request): string {
  const id = req.params.id;
  return typeof id === 'string' ? id.slice(0, 100) : '';
}
