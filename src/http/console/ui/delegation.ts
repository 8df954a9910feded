import { Router, type Request } from 'express';
import type { HttpDeps } from '../../deps.ts';
import {
  addAdmin,
  allowApplication,
  cancelAdministratorAction,
  confirmAdministratorAction,
  createService,
  disallowApplication,
  establishmentInScope,
  pendingApprovals,
  removeAdmin,
} from '../../../services/index.ts';
import { DelegationPage } from '../../pages/console/establishment/pages.tsx';
import { sendPage } from '../../respond.ts';
import { fields } from '../../kit/forms.ts';
import { actorOf, coordinatorOf, text } from './shell.ts';
import { formAction, pageBase, scopeOf } from './scope.ts';

function param(req: Request): string {
  const value = req.params.id;
  return typeof value === 'string' ? value.slice(0, 100) : '';
}

function approvalParam(req: Request): string {
  const value = req.params.approval;
  return typeof value === 'string' ? value.slice(0, 100) : '';
}

/**
 * /etablissements/:id/delegation, the cell's side: who administers the establishment, which
 * applications it may grant to its services, and its services (created here, managed on
 * /services/:id like an administrator would).
 */
export function delegationRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();
  const base = (req: Request) => `/etablissements/${encodeURIComponent(param(req))}/delegation`;

  router.get('/etablissements/:id/delegation', async (req, res) => {
    const target = await establishmentInScope(runtime, scopeOf(res), actorOf(req, res), param(req));
    const [admins, allowed, services, approvals] = await Promise.all([
      runtime.storage.delegation.admins(target.id),
      runtime.storage.delegation.allowedApplications(target.id),
      runtime.storage.services.listByEstablishment(target.id),
      pendingApprovals(runtime, target.id),
    ]);
    sendPage(
      res,
      200,
      DelegationPage({
        ...(await pageBase(req, res, runtime)),
        target: { id: target.id, name: target.name },
        admins,
        applications: runtime.config.applications.map((a) => ({ id: a.id, name: a.name, allowed: allowed.includes(a.id) })),
        services,
        approvals,
        userId: coordinatorOf(res).id,
      }),
    );
  });
  // The cell confirms or cancels an administrator's action waiting for a second approval.
  router.post('/etablissements/:id/delegation/validations/:approval/valider', async (req, res) => {
    await formAction(res, base(req), () => confirmAdministratorAction(runtime, scopeOf(res), approvalParam(req), actorOf(req, res)));
  });
  router.post('/etablissements/:id/delegation/validations/:approval/annuler', async (req, res) => {
    await formAction(res, base(req), () => cancelAdministratorAction(runtime, scopeOf(res), approvalParam(req), actorOf(req, res)));
  });
  router.post('/etablissements/:id/delegation/administrateurs', async (req, res) => {
    await formAction(res, base(req), () => addAdmin(runtime, scopeOf(res), param(req), text(fields(req).person, 200), actorOf(req, res)));
  });
  router.post('/etablissements/:id/delegation/administrateurs/retirer', async (req, res) => {
    await formAction(res, base(req), () => removeAdmin(runtime, scopeOf(res), param(req), text(fields(req).person, 200), actorOf(req, res)));
  });
  router.post('/etablissements/:id/delegation/applications/autoriser', async (req, res) => {
    await formAction(res, base(req), () => allowApplication(runtime, scopeOf(res), param(req), text(fields(req).application, 100), actorOf(req, res)));
  });
  router.post('/etablissements/:id/delegation/applications/retirer', async (req, res) => {
    await formAction(res, base(req), () => disallowApplication(runtime, scopeOf(res), param(req), text(fields(req).application, 100), actorOf(req, res)));
  });
  router.post('/etablissements/:id/services', async (req, res) => {
    await formAction(res, base(req), () => createService(runtime, scopeOf(res), param(req), fields(req), actorOf(req, res)));
  });
  return router;
}
