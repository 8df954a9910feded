import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Session, SessionData } from 'express-session';
import type { Auditor } from '../../audit/auditor.ts';
import type { Random } from '../../shared/random.ts';
import { clientIp } from '../context.ts';
import { FormExpiredPage } from '../pages/index.ts';
import { sendJson, sendPage, wantsHtml } from '../respond.ts';

/** Forms post the token in this field; scripts (the renewal page) send it in the header. */
export const CSRF_FIELD = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** The one stable code of a refused token, on every surface (page `data-error-code` and JSON `error`). */
export const CSRF_ERROR = 'invalid_csrf_token';

/** Synchroniser token kept in the session. */
export function csrfToken(session: Session & Partial<SessionData>, random: Random): string {
  session.csrf ??= random.bytes(24).toString('base64url');
  return session.csrf;
}

/** Does the request carry the session's token (form field, else header)? Constant-time comparison. */
export function csrfValid(req: Request): boolean {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const submitted = typeof body[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : req.get(CSRF_HEADER);
  const expected = (req.session as Partial<SessionData> | undefined)?.csrf;
  if (typeof submitted !== 'string' || !expected) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Who is refused, for the audit trail, and where the page sends them back to. */
export interface CsrfRefusal {
  /** `<surface>.csrf`: portal.csrf, console.csrf, gateway.csrf. */
  action: `${string}.csrf`;
  actor: string | null;
  certificateSerial?: string | null;
  applicationId?: string | null;
  /** A page the person can GET to have a fresh form; by default the page the form was on (same host only), else "/". */
  back?: string;
  /** The public listener serves the stylesheet elsewhere. */
  assetBase?: string;
}

/** The one answer to a missing or stale token: audited, then 403 — a page for browsers, `{ error }` for scripts. */
export async function refuseCsrf(auditor: Auditor, req: Request, res: Response, refusal: CsrfRefusal): Promise<void> {
  await auditor.record({
    action: refusal.action,
    outcome: 'failure',
    reason: CSRF_ERROR,
    actor: refusal.actor,
    ip: clientIp(req),
    certificateSerial: refusal.certificateSerial ?? null,
    applicationId: refusal.applicationId ?? null,
    details: { path: req.path.slice(0, 200) },
  });
  if (!wantsHtml(req)) {
    sendJson(res, 403, { error: CSRF_ERROR });
    return;
  }
  sendPage(res, 403, FormExpiredPage({ lang: res.locals.lang, assetBase: refusal.assetBase, back: refusal.back ?? formPage(req) }));
}

/** The page that held the form, from the Referer when it names this host; "/" otherwise. */
function formPage(req: Request): string {
  try {
    const from = new URL(req.get('referer') ?? '');
    const path = `${from.pathname}${from.search}`;
    return from.host === req.get('host') && !path.startsWith('//') ? path.slice(0, 2000) : '/';
  } catch {
    return '/';
  }
}

/** The check and the answer in one: true when the request may go on, else it has been refused. */
export async function checkCsrf(auditor: Auditor, req: Request, res: Response, refusal: (req: Request, res: Response) => CsrfRefusal): Promise<boolean> {
  if (csrfValid(req)) return true;
  await refuseCsrf(auditor, req, res, refusal(req, res));
  return false;
}

/** The same as middleware: POSTs only (a GET changes nothing), after the body parser. */
export function requireCsrf(auditor: Auditor, refusal: (req: Request, res: Response) => CsrfRefusal): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'POST' || (await checkCsrf(auditor, req, res, refusal))) next();
  };
}
