import { Router, type Request } from 'express';
import type { HttpDeps } from '../../deps.ts';
import { addMember, administratorAction, createService, deleteService, removeMember, revokeFromService, serviceInScope, updateService } from '../../../services/index.ts';
import { ServicePage, ServicesPage } from '../../pages/console/establishment/pages.tsx';
import { sendPage } from '../../respond.ts';
import { fields } from '../../kit/forms.ts';
import { actorOf, text } from './shell.ts';
import { formAction, pageBase, scopeOf } from './scope.ts';

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value.slice(0, 100) : '';
}

/**
 * /services: an establishment's services, a service's members and applications. The same
 * pages serve the cell (any establishment: reached from /etablissements/:id/delegation) and an
 * establishment administrator (their own only: anything else is "not found", audited).
 */
export function servicesRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();
  const applications = () => runtime.config.applications.map((a) => ({ id: a.id, name: a.name }));

  router.get('/services', async (req, res) => {
    const scope = scopeOf(res);
    // The cell picks an establishment first (its delegation page lists the services).
    if (scope.kind === 'region') return res.redirect(303, '/etablissements');
    const base = await pageBase(req, res, runtime);
    sendPage(res, 200, ServicesPage({ ...base, services: await runtime.storage.services.listByEstablishment(scope.establishmentIds[0]!), applications: applications(), action: '/services' }));
  });
  router.post('/services', async (req, res) => {
    const scope = scopeOf(res);
    const establishmentId = scope.kind === 'establishment' ? scope.establishmentIds[0]! : '';
    await formAction(res, '/services', () => createService(runtime, scope, establishmentId, fields(req), actorOf(req, res)));
  });

  router.get('/services/:id', async (req, res) => {
    const scope = scopeOf(res);
    const actor = actorOf(req, res);
    const service = await serviceInScope(runtime, scope, actor, param(req, 'id'));
    const [summaries, members, people, allowed] = await Promise.all([
      runtime.storage.services.listByEstablishment(service.establishmentId),
      runtime.storage.services.members(service.id),
      runtime.storage.services.peopleOf(service.establishmentId, null),
      runtime.storage.delegation.allowedApplications(service.establishmentId),
    ]);
    const summary = summaries.find((s) => s.id === service.id) ?? { ...service, members: members.length, applications: [] };
    const base = await pageBase(req, res, runtime);
    sendPage(
      res,
      200,
      ServicePage({
        ...base,
        service: summary,
        members,
        candidates: people.filter((p) => p.status !== 'deactivated' && !members.some((m) => m.userId === p.id)).map((p) => ({ id: p.id, label: `${p.familyName.toUpperCase()} ${p.givenName} (${p.identifier})` })),
        applications: applications(),
        grantable: applications().filter((a) => allowed.includes(a.id) && !summary.applications.includes(a.id)),
      }),
    );
  });

  const back = (req: Request) => `/services/${encodeURIComponent(param(req, 'id'))}`;
  router.post('/services/:id', async (req, res) => {
    await formAction(res, back(req), () => updateService(runtime, scopeOf(res), param(req, 'id'), fields(req), actorOf(req, res)));
  });
  router.post('/services/:id/supprimer', async (req, res) => {
    const scope = scopeOf(res);
    const service = await serviceInScope(runtime, scope, actorOf(req, res), param(req, 'id'));
    const after = scope.kind === 'region' ? `/etablissements/${encodeURIComponent(service.establishmentId)}/delegation` : '/services';
    await formAction(res, after, () => deleteService(runtime, scope, service.id, actorOf(req, res)));
  });
  router.post('/services/:id/membres', async (req, res) => {
    const body = fields(req);
    await formAction(res, back(req), () => addMember(runtime, scopeOf(res), param(req, 'id'), text(body.person, 200), actorOf(req, res)));
  });
  router.post('/services/:id/membres/retirer', async (req, res) => {
    const body = fields(req);
    await formAction(res, back(req), () => removeMember(runtime, scopeOf(res), param(req, 'id'), text(body.person, 200), actorOf(req, res)));
  });
  router.post('/services/:id/applications', async (req, res) => {
    const body = fields(req);
    // Under the four-eyes rule an administrator's grant waits for a second approval.
    await formAction(res, back(req), () =>
      administratorAction(runtime, scopeOf(res), 'establishment.service.grant', { serviceId: param(req, 'id'), applicationId: text(body.application, 100) ?? '' }, actorOf(req, res)),
    );
  });
  router.post('/services/:id/applications/retirer', async (req, res) => {
    const body = fields(req);
    await formAction(res, back(req), () => revokeFromService(runtime, scopeOf(res), param(req, 'id'), text(body.application, 100), actorOf(req, res)));
  });
  return router;
}
