import { Router, type Request, type Response } from 'express';
import type { HttpDeps } from '../../deps.ts';
import { INVITATION_DAYS, invitePerson, isPersonStatus, personStatus, resendActivation, updateIdentity } from '../../../people/index.ts';
import { addMember, administratorAction, cancelAdministratorAction, confirmAdministratorAction, outOfScope, pendingApprovals, personInScope, removeMember } from '../../../services/index.ts';
import { needsSecondApproval } from '../../../console/index.ts';
import { EstablishmentApprovalsPage, EstablishmentConfirmPage } from '../../pages/console/establishment/approvals.tsx';
import { t } from '../../i18n/index.ts';
import { createCollectiveRequest } from '../../../approval/index.ts';
import { csvLine } from '../../../registry/csv.ts';
import { ConflictError } from '../../../shared/errors.ts';
import { EstablishmentAuditPage, EstablishmentInvitePage, EstablishmentPeoplePage, EstablishmentPersonPage, WorkstationsPage } from '../../pages/console/establishment/pages.tsx';
import { sendPage } from '../../respond.ts';
import { fields } from '../../kit/forms.ts';
import { ErrorPage } from '../../pages/index.ts';
import { actorOf, coordinatorOf, text } from './shell.ts';
import { formAction, pageBase, scopeOf } from './scope.ts';

const AUDIT_PAGE = 200;
const CSV_ROWS = 10_000;

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value.slice(0, 100) : '';
}

/** The administrator's establishment (requireCoordinatorAccount set an establishment scope). */
function establishmentOf(res: Response): string {
  const scope = scopeOf(res);
  if (scope.kind !== 'establishment') throw new Error('establishment route for the cell');
  return scope.establishmentIds[0]!;
}

/**
 * The establishment administrator's console: their establishment's people (invite, resend,
 * deactivate/reactivate, name and function, services), shared workstations' certificate
 * requests (the cell approves), and its audit trail. Every person is looked up through the
 * fence (src/services/scope.ts): someone of another establishment is "not found", and the try
 * is audited. Any other console path is refused the same way.
 */
export function establishmentRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();

  router.get('/', (_req, res) => res.redirect(303, '/personnes'));

  router.get('/personnes', async (req, res) => {
    const establishmentId = establishmentOf(res);
    const now = runtime.clock.now().getTime();
    // The status filter is on the status the console shows (derived: invitation sent, expired…).
    const status = isPersonStatus(req.query.statut) ? req.query.statut : null;
    const people = (await runtime.storage.services.peopleOf(establishmentId, null)).map((p) => ({ ...p, personStatus: personStatus(p as never, now) })).filter((p) => !status || p.personStatus === status);
    const memberships = await Promise.all(people.map((p) => runtime.storage.services.membershipsOf(p.id)));
    sendPage(
      res,
      200,
      EstablishmentPeoplePage({
        ...(await pageBase(req, res, runtime)),
        status,
        people: people.map((p, i) => ({ ...p, services: memberships[i]!.filter((m) => m.establishmentId === establishmentId).map((m) => m.serviceName) })),
      }),
    );
  });

  const invitePage = async (req: Request, res: Response, status: number, values: Record<string, string>, error: string | null = null) =>
    sendPage(res, status, EstablishmentInvitePage({ ...(await pageBase(req, res, runtime)), ...(error ? { error } : {}), days: INVITATION_DAYS, values }));
  router.get('/personnes/inviter', (req, res) => invitePage(req, res, 200, {}));
  router.post('/personnes/inviter', async (req, res) => {
    const values = fields(req);
    // The establishment is the administrator's, whatever the form says.
    const form = { givenName: values.givenName, familyName: values.familyName, email: values.email, profession: values.profession, establishmentId: establishmentOf(res) };
    try {
      const outcome = await invitePerson(runtime, form, actorOf(req, res));
      if (!outcome.ok) return invitePage(req, res, 400, values, outcome.errors[0]?.code ?? 'invalid_form');
      res.redirect(303, `/personnes/${encodeURIComponent(outcome.value.id)}?ok=done`);
    } catch (error) {
      if (error instanceof ConflictError) return invitePage(req, res, 409, values, error.code);
      throw error;
    }
  });

  router.get('/personnes/:id', async (req, res) => {
    const establishmentId = establishmentOf(res);
    const person = await personInScope(runtime, scopeOf(res), actorOf(req, res), param(req, 'id'));
    const [memberships, services, grants, viaServices] = await Promise.all([
      runtime.storage.services.membershipsOf(person.id),
      runtime.storage.services.listByEstablishment(establishmentId),
      runtime.storage.grants.listByUser(person.id),
      runtime.storage.services.accessOf(person.id),
    ]);
    const individual = new Set(grants.filter((g) => g.status === 'granted').map((g) => g.applicationId));
    const access = runtime.config.applications
      .map((a) => ({ application: { id: a.id, name: a.name }, individual: individual.has(a.id), services: viaServices.filter((s) => s.applicationId === a.id) }))
      .filter((a) => a.individual || a.services.length > 0);
    const status = personStatus(person, runtime.clock.now().getTime());
    sendPage(
      res,
      200,
      EstablishmentPersonPage({
        ...(await pageBase(req, res, runtime)),
        person: { ...person, status, invitationPending: person.status === 'provisional' },
        memberships: memberships.filter((m) => m.establishmentId === establishmentId),
        services,
        access,
      }),
    );
  });

  const back = (req: Request) => `/personnes/${encodeURIComponent(param(req, 'id'))}`;
  router.post('/personnes/:id/identite', async (req, res) => {
    const actor = actorOf(req, res);
    const person = await personInScope(runtime, scopeOf(res), actor, param(req, 'id'));
    const values = fields(req);
    // Name and function only: the RPPS and the establishment stay as the cell set them.
    await formAction(res, back(req), async () => {
      const outcome = await updateIdentity(runtime, person.id, { givenName: values.givenName, familyName: values.familyName, profession: values.profession, rpps: person.rpps ?? '', establishmentId: person.establishmentId ?? '' }, actor);
      if (!outcome.ok) throw new ConflictError(outcome.errors[0]?.code ?? 'invalid_form', 'identity refused');
    });
  });
  router.post('/personnes/:id/services', async (req, res) => {
    const body = fields(req);
    const actor = actorOf(req, res);
    const person = await personInScope(runtime, scopeOf(res), actor, param(req, 'id'));
    await formAction(res, back(req), () => addMember(runtime, scopeOf(res), text(body.service, 100), person.id, actor));
  });
  router.post('/personnes/:id/services/:service/retirer', async (req, res) => {
    const actor = actorOf(req, res);
    const person = await personInScope(runtime, scopeOf(res), actor, param(req, 'id'));
    await formAction(res, back(req), () => removeMember(runtime, scopeOf(res), param(req, 'service'), person.id, actor));
  });
  router.post('/personnes/:id/renvoyer', async (req, res) => {
    const actor = actorOf(req, res);
    const person = await personInScope(runtime, scopeOf(res), actor, param(req, 'id'));
    await formAction(res, back(req), () => resendActivation(runtime, person.id, actor));
  });
  // Deactivate and reactivate: a confirmation page first; under the four-eyes rule the action then waits for a second approval.
  const accountActions = { desactiver: ['establishment.person.deactivate', 'deactivate'], reactiver: ['establishment.person.reactivate', 'reactivate'] } as const;
  for (const [path, [action, key]] of Object.entries(accountActions)) {
    router.get(`/personnes/:id/${path}`, async (req, res) => {
      const person = await personInScope(runtime, scopeOf(res), actorOf(req, res), param(req, 'id'));
      const lang = res.locals.lang;
      const name = `${person.givenName} ${person.familyName}`;
      const lead = t(lang, `services.confirm.${key}.lead`) + (needsSecondApproval(runtime.config, action) ? ` ${t(lang, 'services.confirm.fourEyes')}` : '');
      sendPage(
        res,
        200,
        EstablishmentConfirmPage({
          ...(await pageBase(req, res, runtime)),
          title: t(lang, `services.confirm.${key}.title`, { name }),
          lead,
          facts: [
            [t(lang, 'services.col.identifier'), person.identifier],
            [t(lang, 'services.col.email'), person.email],
          ],
          action: `${back(req)}/${path}`,
          submit: t(lang, `services.person.${key}`),
          cancel: back(req),
          danger: key === 'deactivate',
        }),
      );
    });
    router.post(`/personnes/:id/${path}`, async (req, res) => {
      await formAction(res, back(req), () => administratorAction(runtime, scopeOf(res), action, { personId: param(req, 'id') }, actorOf(req, res)));
    });
  }

  router.get('/validations', async (req, res) => {
    sendPage(res, 200, EstablishmentApprovalsPage({ ...(await pageBase(req, res, runtime)), approvals: await pendingApprovals(runtime, establishmentOf(res)), userId: coordinatorOf(res).id }));
  });
  router.post('/validations/:approval/valider', async (req, res) => {
    await formAction(res, '/validations', () => confirmAdministratorAction(runtime, scopeOf(res), param(req, 'approval'), actorOf(req, res)));
  });
  router.post('/validations/:approval/annuler', async (req, res) => {
    await formAction(res, '/validations', () => cancelAdministratorAction(runtime, scopeOf(res), param(req, 'approval'), actorOf(req, res)));
  });

  router.get('/postes', async (req, res) => {
    const requests = await runtime.storage.certificateRequests.list({ establishmentId: establishmentOf(res) });
    sendPage(res, 200, WorkstationsPage({ ...(await pageBase(req, res, runtime)), requests: requests.filter((r) => r.kind === 'collective').reverse() }));
  });
  router.post('/postes', async (req, res) => {
    const body = fields(req);
    // Always pending: the cell approves collective certificates.
    await formAction(res, '/postes', () => createCollectiveRequest(runtime, { establishmentId: establishmentOf(res), label: text(body.label, 200), approve: false }, actorOf(req, res)));
  });

  router.get('/journal', async (req, res) => {
    sendPage(res, 200, EstablishmentAuditPage({ ...(await pageBase(req, res, runtime)), events: await runtime.storage.services.auditOf(establishmentOf(res), AUDIT_PAGE) }));
  });
  router.get('/journal.csv', async (req, res) => {
    const establishmentId = establishmentOf(res);
    const events = await runtime.storage.services.auditOf(establishmentId, CSV_ROWS);
    const actor = actorOf(req, res);
    await runtime.auditor.record({ action: 'establishment.audit.export', outcome: 'success', actor: actor.name, ip: actor.ip, certificateSerial: actor.certificateSerial, subject: `establishment:${establishmentId}`, details: { rows: events.length } });
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="journal-etablissement.csv"');
    res.setHeader('cache-control', 'no-store');
    res.send(
      '\ufeff' +
        csvLine(['date', 'action', 'outcome', 'reason', 'actor', 'ip', 'subject', 'application']) +
        events.map((e) => csvLine([new Date(e.at).toISOString(), e.action, e.outcome, e.reason, e.actor, e.ip, e.subject, e.applicationId])).join(''),
    );
  });

  // Anything else on the console (the cell's queues, registry, other people's pages…): refused, audited.
  router.use(async (req, res) => {
    try {
      await outOfScope(runtime, actorOf(req, res), 'page', req.path);
    } catch {
      sendPage(res, 404, ErrorPage({ lang: res.locals.lang, status: 404, code: 'not_found' }));
    }
  });
  return router;
}
