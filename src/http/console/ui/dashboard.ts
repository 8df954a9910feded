import { Router, type Request, type Response } from 'express';
import type { HttpDeps } from '../../deps.ts';
import type { ApprovalStatus } from '../../../model/console.ts';
import { cancelApproval, confirmApproval, getApproval, listApprovals } from '../../../console/index.ts';
import { PasserelleError } from '../../../shared/errors.ts';
import { sendPage } from '../../respond.ts';
import { DashboardPage } from '../../pages/console/dashboard/dashboard-page.tsx';
import { APPROVAL_STATUSES, ApprovalPage, ApprovalsPage } from '../../pages/console/dashboard/approvals.tsx';
import { consoleTotp } from './second-factor.ts';
import { securityRoutes } from './security.ts';
import { actorOf, coordinatorOf, idParam, shellOf } from './shell.ts';

/** Console pages: the dashboard, second approvals (four-eyes rule) and the coordinator's own security page. */
export function dashboardRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();
  const totp = consoleTotp(deps);

  router.get('/', async (req, res) => {
    const user = coordinatorOf(res);
    const counts = await runtime.storage.dashboard.counts(runtime.clock.now().getTime(), runtime.config.renewal.noticeDays);
    sendPage(
      res,
      200,
      DashboardPage({
        ...shellOf(req, res, runtime),
        counts,
        approvals: await listApprovals(runtime, 'pending'),
        userId: user.id,
        secondFactor: res.locals.secondFactorState ?? (await totp.state(user.id)),
        fourEyes: runtime.config.console.fourEyes.enabled,
      }),
    );
  });

  router.get('/double-validation', async (req, res) => {
    const requested = typeof req.query.status === 'string' ? req.query.status : 'pending';
    const status = (APPROVAL_STATUSES as readonly string[]).includes(requested) ? (requested as ApprovalStatus) : 'all';
    sendPage(res, 200, ApprovalsPage({ ...shellOf(req, res, runtime), status, approvals: await listApprovals(runtime, status === 'all' ? undefined : status), userId: coordinatorOf(res).id }));
  });

  const approvalPage = async (req: Request, res: Response, status: number, error: string | null = null) =>
    sendPage(res, status, ApprovalPage({ ...shellOf(req, res, runtime), approval: await getApproval(runtime, idParam(req)), userId: coordinatorOf(res).id, error }));

  router.get('/double-validation/:id', (req, res) => approvalPage(req, res, 200));

  /** A refused confirmation or cancellation shows on the approval's page; anything else is an error page. */
  async function attempt(req: Request, res: Response, run: () => Promise<unknown>, notice: string): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (error instanceof PasserelleError && error.expose && error.code !== 'not_found') {
        await approvalPage(req, res, error.status, error.code);
        return;
      }
      throw error;
    }
    res.redirect(303, `/?ok=${notice}`);
  }

  router.post('/double-validation/:id/confirmer', (req, res) => attempt(req, res, () => confirmApproval(runtime, idParam(req), actorOf(req, res)), 'approval_confirmed'));
  router.post('/double-validation/:id/annuler', (req, res) => attempt(req, res, () => cancelApproval(runtime, idParam(req), actorOf(req, res)), 'approval_cancelled'));

  router.use(securityRoutes(deps, totp));
  return router;
}
