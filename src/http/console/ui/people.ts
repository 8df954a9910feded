import { Router, type Request, type Response } from 'express';
import type { HttpDeps } from '../../deps.ts';
import {
  INVITATION_DAYS,
  REMINDER_DAYS,
  deactivatePerson,
  getPerson,
  invitePerson,
  isPersonStatus,
  newWithdrawalCode,
  personCertificate,
  reactivatePerson,
  requirePerson,
  resendActivation,
  revokePersonCertificate,
  revokePersonGrant,
  searchPeople,
  unlockPerson,
  updateIdentity,
  type PeoplePage,
  type PersonView,
} from '../../../people/index.ts';
import type { PersonRow } from '../../../model/people.ts';
import { needsSecondApproval } from '../../../console/index.ts';
import { OFFERED_REVOCATION_REASONS } from '../../../registry/certificates.ts';
import type { FieldError } from '../../../portal/fields.ts';
import { NotFoundError, PasserelleError } from '../../../shared/errors.ts';
import { t } from '../../i18n/index.ts';
import { sendPage } from '../../respond.ts';
import { ConfirmPage, InvitePage, PeopleListPage, PersonPage, groupSerial, noticeText, reasonText, type ConfirmPageProps, type PeopleNotice } from '../../pages/console/people/index.ts';

/** What an action's confirmation page says. */
type ConfirmContent = Pick<ConfirmPageProps, 'title' | 'lead' | 'submit' | 'danger' | 'choice'> & { facts?: Array<[string, string]> };
import { fields } from '../../kit/forms.ts';
import { actorOf, shellOf, text } from './shell.ts';

const EMPTY_PAGE: PeoplePage = { people: [], total: 0, totalExact: true, next: null, previous: null };

/** A path parameter, cut short: ids are opaque and anything odd is simply not found. */
function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value.slice(0, 100) : '';
}

function query(req: Request, name: string, max = 1200): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;
}

/** Refusals the person page explains (`?error=<code>`); anything else is an error page. */
function refusalCode(error: unknown): string | null {
  return error instanceof PasserelleError && error.expose && error.status !== 403 ? error.code : null;
}

/**
 * /personnes: the list (search, status filter, keyset pages), a person's page, the invitation
 * form, and each action behind a "Confirmer …" page (GET) and its POST → 303 `?ok=<notice>`.
 */
export function peopleRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();

  const shell = (req: Request, res: Response) => {
    const base = shellOf(req, res, runtime);
    return { ...base, notice: req.method === 'GET' ? noticeText(base.lang, req.query.ok) : null };
  };
  const personUrl = (id: string) => `/personnes/${encodeURIComponent(id)}`;
  const done = (res: Response, id: string, notice: PeopleNotice) => res.redirect(303, `${personUrl(id)}?ok=${notice}`);
  const refused = (res: Response, id: string, code: string) => res.redirect(303, `${personUrl(id)}?error=${encodeURIComponent(code)}`);

  /** Runs an action from a POST: CSRF first, then the action, then the redirect (or the refusal on the person page). */
  const act = (run: (req: Request, res: Response, body: Record<string, string>) => Promise<PeopleNotice>) => async (req: Request, res: Response) => {
    const body = fields(req);
    const id = param(req, 'id');
    try {
      done(res, id, await run(req, res, body));
    } catch (error) {
      const code = refusalCode(error);
      if (code === null || code === 'user_not_found') throw error;
      refused(res, id, code);
    }
  };

  router.get('/personnes', async (req, res) => {
    const base = shell(req, res);
    const q = query(req, 'q', 200) ?? '';
    const status = query(req, 'status', 40);
    const filter = isPersonStatus(status) ? status : null;
    let page = EMPTY_PAGE;
    let error: string | null = null;
    try {
      page = await searchPeople(runtime, { q, status: filter ?? undefined, after: query(req, 'after'), before: query(req, 'before') });
    } catch (e) {
      error = refusalCode(e);
      if (!error) throw e;
    }
    sendPage(res, error ? 400 : 200, PeopleListPage({ ...base, q, status: filter, page, error }));
  });

  const establishments = () => runtime.storage.people.establishmentNames();
  const invitePage = async (req: Request, res: Response, status: number, extra: { values?: Record<string, string>; errors?: FieldError[]; error?: string | null } = {}) =>
    sendPage(res, status, InvitePage({ ...shell(req, res), establishments: await establishments(), invitationDays: INVITATION_DAYS, reminderDays: REMINDER_DAYS, ...extra }));

  router.get('/personnes/inviter', (req, res) => invitePage(req, res, 200));
  router.post('/personnes/inviter', async (req, res) => {
    const values = fields(req);
    try {
      const outcome = await invitePerson(runtime, values, actorOf(req, res));
      if (!outcome.ok) return invitePage(req, res, 400, { values, errors: outcome.errors });
      done(res, outcome.value.id, 'invited');
    } catch (error) {
      const code = refusalCode(error);
      if (!code) throw error;
      await invitePage(req, res, error instanceof PasserelleError ? error.status : 400, { values, error: code });
    }
  });

  const personPage = async (req: Request, res: Response, status: number, person: PersonView, extra: { identityErrors?: FieldError[]; identityValues?: Record<string, string> } = {}) =>
    sendPage(
      res,
      status,
      PersonPage({
        ...shell(req, res),
        person,
        establishments: await establishments(),
        error: query(req, 'error', 60) ?? null,
        codeNeedsSecondApproval: needsSecondApproval(runtime.config, 'certificate-request.new-code'),
        grantable: runtime.config.applications.filter((a) => !person.grants.some((g) => g.applicationId === a.id && g.status === 'granted')).map((a) => ({ id: a.id, name: a.name })),
        ...extra,
      }),
    );

  router.get('/personnes/:id', async (req, res) => personPage(req, res, 200, await getPerson(runtime, param(req, 'id'))));

  router.post('/personnes/:id/identite', async (req, res) => {
    const values = fields(req);
    const id = param(req, 'id');
    const outcome = await updateIdentity(runtime, id, values, actorOf(req, res));
    if (!outcome.ok) return personPage(req, res, 400, await getPerson(runtime, id), { identityErrors: outcome.errors, identityValues: values });
    done(res, id, outcome.value.changed.length ? 'identity_updated' : 'identity_unchanged');
  });

  /** A "Confirmer …" page about one person. */
  const confirm = (req: Request, res: Response, person: PersonRow, page: ConfirmContent): void => {
    const lang = res.locals.lang;
    sendPage(
      res,
      200,
      ConfirmPage({
        ...shell(req, res),
        ...page,
        facts: [[t(lang, 'people.field.person'), `${person.givenName} ${person.familyName} (${person.identifier})`], [t(lang, 'people.field.email'), person.email], ...(page.facts ?? [])],
        action: req.originalUrl.split('?')[0]!,
        cancel: personUrl(person.id),
      }),
    );
  };

  // Account actions: one confirmation page and one POST each.
  const accountActions: Array<{ path: string; key: 'unlock' | 'deactivate' | 'reactivate' | 'resend'; danger: boolean; run: (req: Request, res: Response) => Promise<PeopleNotice> }> = [
    { path: 'deverrouiller', key: 'unlock', danger: false, run: async (req, res) => (await unlockPerson(runtime, param(req, 'id'), actorOf(req, res)), 'unlocked') },
    { path: 'desactiver', key: 'deactivate', danger: true, run: async (req, res) => (await deactivatePerson(runtime, param(req, 'id'), actorOf(req, res)), 'deactivated') },
    { path: 'reactiver', key: 'reactivate', danger: false, run: async (req, res) => (await reactivatePerson(runtime, param(req, 'id'), actorOf(req, res)), 'reactivated') },
    {
      path: 'renvoyer',
      key: 'resend',
      danger: false,
      run: async (req, res) => ((await resendActivation(runtime, param(req, 'id'), actorOf(req, res))).invitation ? 'invitation_resent' : 'activation_resent'),
    },
  ];
  for (const action of accountActions) {
    router.get(`/personnes/:id/${action.path}`, async (req, res) => {
      const lang = res.locals.lang;
      const person = await requirePerson(runtime, param(req, 'id'));
      // Resending to someone the cell invited (and who never activated) restarts the invitation.
      const key = action.key === 'resend' && person.invitedAt != null && person.termsAcceptedAt == null ? 'resendInvitation' : action.key;
      confirm(req, res, person, {
        title: t(lang, `people.confirm.${key}.title`),
        lead: t(lang, `people.confirm.${key}.lead`, { days: INVITATION_DAYS }),
        submit: t(lang, `people.confirm.${key}.submit`),
        danger: action.danger,
      });
    });
    router.post(`/personnes/:id/${action.path}`, act((req, res) => action.run(req, res)));
  }

  router.get('/personnes/:id/certificats/:serial/revoquer', async (req, res) => {
    const lang = res.locals.lang;
    const certificate = await personCertificate(runtime, param(req, 'id'), param(req, 'serial'));
    confirm(req, res, await requirePerson(runtime, param(req, 'id')), {
      title: t(lang, 'people.confirm.revokeCertificate.title'),
      lead: t(lang, 'people.confirm.revokeCertificate.lead'),
      submit: t(lang, 'people.confirm.revokeCertificate.submit'),
      danger: true,
      facts: [
        [t(lang, 'people.certificates.label'), certificate.label],
        [t(lang, 'people.certificates.serial'), groupSerial(certificate.serial)],
      ],
      choice: {
        name: 'reason',
        label: t(lang, 'people.confirm.revokeCertificate.reason'),
        hint: t(lang, 'people.confirm.revokeCertificate.reasonHint'),
        options: OFFERED_REVOCATION_REASONS.map((r) => ({ value: r, label: reasonText(lang, r) })),
        selected: 'unspecified',
      },
    });
  });
  router.post(
    '/personnes/:id/certificats/:serial/revoquer',
    act(async (req, res, body) => (await revokePersonCertificate(runtime, param(req, 'id'), param(req, 'serial'), text(body.reason, 40), actorOf(req, res)), 'certificate_revoked')),
  );

  router.get('/personnes/:id/acces/:app/retirer', async (req, res) => {
    const lang = res.locals.lang;
    const app = param(req, 'app');
    const person = await requirePerson(runtime, param(req, 'id'));
    if (!(await runtime.storage.grants.isGranted(person.id, app))) throw new NotFoundError('not_found', `${person.identifier} has no access to ${app}`);
    confirm(req, res, person, {
      title: t(lang, 'people.confirm.revokeGrant.title'),
      lead: t(lang, 'people.confirm.revokeGrant.lead'),
      submit: t(lang, 'people.confirm.revokeGrant.submit'),
      danger: true,
      facts: [[t(lang, 'people.grants.application'), runtime.config.applications.find((a) => a.id === app)?.name ?? app]],
    });
  });
  // Grant access from the person's page (also the CLI's `grant add` and the access-request queue).
  router.post(
    '/personnes/:id/acces',
    act(async (req, res, body) => (await runtime.accounts.addGrant(param(req, 'id'), text(body.application, 100) ?? '', actorOf(req, res)), 'grant_added')),
  );
  router.post('/personnes/:id/acces/:app/retirer', act(async (req, res) => (await revokePersonGrant(runtime, param(req, 'id'), param(req, 'app'), actorOf(req, res)), 'grant_revoked')));

  router.get('/personnes/:id/demandes/:request/nouveau-code', async (req, res) => {
    const lang = res.locals.lang;
    const person = await requirePerson(runtime, param(req, 'id'));
    const request = await runtime.storage.certificateRequests.findById(param(req, 'request'));
    if (!request || request.userId !== person.id) throw new NotFoundError('not_found', `no certificate request ${param(req, 'request')} of ${person.identifier}`);
    const fourEyes = needsSecondApproval(runtime.config, 'certificate-request.new-code');
    confirm(req, res, person, {
      title: t(lang, 'people.confirm.newCode.title'),
      lead: t(lang, fourEyes ? 'people.confirm.newCode.leadFourEyes' : 'people.confirm.newCode.lead'),
      submit: t(lang, 'people.confirm.newCode.submit'),
      danger: false,
      facts: [[t(lang, 'people.certificates.label'), request.label]],
    });
  });
  router.post(
    '/personnes/:id/demandes/:request/nouveau-code',
    act(async (req, res) => ((await newWithdrawalCode(runtime, param(req, 'id'), param(req, 'request'), actorOf(req, res))).status === 'done' ? 'code_reissued' : 'code_pending_approval')),
  );

  return router;
}
