import type { Request, Response } from 'express';
import type { Runtime } from '../../../core/runtime.ts';
import { PasserelleError } from '../../../shared/errors.ts';
import type { AdminScope } from '../../../services/index.ts';
import type { EstablishmentPageBase } from '../../pages/console/establishment/parts.tsx';
import { shellOf } from './shell.ts';
import { t } from '../../i18n/index.ts';

/** The signed-in console user's fence (set by requireCoordinatorAccount). */
export function scopeOf(res: Response): AdminScope {
  const scope = res.locals.adminScope;
  if (!scope) throw new Error('console route without requireConsoleAccess');
  return scope;
}

/** The establishment an administrator works on (their first; the cell has none). */
export async function ownEstablishment(runtime: Runtime, res: Response): Promise<{ id: string; name: string } | null> {
  const scope = scopeOf(res);
  if (scope.kind === 'region') return null;
  const establishment = await runtime.storage.establishments.findById(scope.establishmentIds[0]!);
  return establishment ? { id: establishment.id, name: establishment.name } : null;
}

/** What every services page gets: the console shell, the administrator's establishment, `?ok` / `?error`. */
export async function pageBase(req: Request, res: Response, runtime: Runtime): Promise<EstablishmentPageBase> {
  const base = shellOf(req, res, runtime);
  const error = typeof req.query.error === 'string' && /^[a-z_]{1,60}$/.test(req.query.error) ? req.query.error : null;
  const notice = req.query.ok === 'done' ? t(base.lang, 'services.notice.done') : req.query.ok === 'pending_approval' ? t(base.lang, 'services.notice.pendingApproval') : base.notice;
  return { ...base, notice, error, establishment: await ownEstablishment(runtime, res) };
}

/**
 * Runs a form's action, then back to `back` with `?ok=done` (`?ok=pending_approval` when the
 * four-eyes rule made it wait for a second approval), or `?error=<code>` for a refusal
 * the page explains. Out-of-scope and unknown items (404) and server errors go to the error page.
 */
export async function formAction(res: Response, back: string, run: () => Promise<unknown>): Promise<void> {
  try {
    const result = await run();
    const pending = typeof result === 'object' && result !== null && (result as { status?: unknown }).status === 'pending_approval';
    res.redirect(303, `${back}?ok=${pending ? 'pending_approval' : 'done'}`);
  } catch (error) {
    if (error instanceof PasserelleError && error.expose && error.status !== 404 && error.status !== 403) {
      res.redirect(303, `${back}?error=${encodeURIComponent(error.code)}`);
      return;
    }
    throw error;
  }
}
