import { Router, type Request, type Response } from 'express';
import type { HttpDeps } from '../../deps.ts';
import type { TotpService } from '../../../console/index.ts';
import { sendDenial } from '../../kit/deny.ts';
import { sendPage } from '../../respond.ts';
import { DisablePage, RecoveryCodesPage, RegeneratePage, SecurityPage, type CodeProblem } from '../../pages/console/totp/pages.tsx';
import { ENROL_PATH } from './second-factor.ts';
import { actorOf, coordinatorOf, posted, shellOf, text } from './shell.ts';

/** /securite: the coordinator's own second factor — state, new recovery codes, disabling. */
export function securityRoutes(deps: HttpDeps, totp: TotpService): Router {
  const { runtime } = deps;
  const router = Router();

  const refused = (req: Request, res: Response, outcome: { locked: boolean }, render: () => void) => {
    if (outcome.locked) sendDenial(req, res, runtime.config, 'account_locked', { identifier: coordinatorOf(res).identifier, applicationName: res.locals.application.name });
    else render();
  };

  router.get('/securite', async (req, res) => {
    const user = coordinatorOf(res);
    const state = await totp.state(user.id);
    sendPage(res, 200, SecurityPage({ ...shellOf(req, res, runtime), state, recoveryCodesLeft: state === 'enabled' ? await totp.recoveryCodesLeft(user.id) : 0, required: runtime.config.console.requireTotp }));
  });

  const disablePage = (req: Request, res: Response, status: number, problem: CodeProblem = null) => sendPage(res, status, DisablePage({ ...shellOf(req, res, runtime), problem }));
  router.get('/securite/desactiver', (req, res) => disablePage(req, res, 200));
  router.post('/securite/desactiver', async (req, res) => {
    const body = posted(req);
    const outcome = await totp.disable(coordinatorOf(res), text(body.password, 1024), text(body.code, 64), actorOf(req, res));
    if (outcome.ok) {
      if (runtime.config.console.requireTotp) {
        // Required by the cell: enrol again before going on.
        req.session.auth!.secondFactor = false;
        res.redirect(303, ENROL_PATH);
      } else {
        res.redirect(303, '/securite?ok=totp_disabled');
      }
      return;
    }
    refused(req, res, outcome, () => disablePage(req, res, 401, { kind: outcome.reason === 'wrong_password' ? 'wrong_password' : 'invalid', remaining: outcome.remaining }));
  });

  const regeneratePage = (req: Request, res: Response, status: number, problem: CodeProblem = null) => sendPage(res, status, RegeneratePage({ ...shellOf(req, res, runtime), problem }));
  router.get('/securite/codes-de-secours', (req, res) => regeneratePage(req, res, 200));
  router.post('/securite/codes-de-secours', async (req, res) => {
    const body = posted(req);
    const outcome = await totp.regenerateRecoveryCodes(coordinatorOf(res), text(body.code, 64), actorOf(req, res));
    if (outcome.ok) {
      sendPage(res, 200, RecoveryCodesPage({ ...shellOf(req, res, runtime), codes: outcome.recoveryCodes, next: '/securite' }));
      return;
    }
    refused(req, res, outcome, () => regeneratePage(req, res, 401, { kind: 'invalid', remaining: outcome.remaining }));
  });

  return router;
}
