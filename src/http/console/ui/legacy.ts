import { Router, type Request, type Response } from 'express';
import type { HttpDeps } from '../../deps.ts';
import {
  cutOverApplication,
  cutOverUser,
  getConflict,
  legacyProgress,
  listConflicts,
  listLocks,
  listMappings,
  mappingsOfUser,
  requireLegacyApplication,
  resolveConflict,
  unlockLegacyIdentifier,
  type LegacyActor,
} from '../../../legacy/index.ts';
import { PasserelleError } from '../../../shared/errors.ts';
import { clientIp } from '../../context.ts';
import { csrfToken } from '../../kit/csrf.ts';
import { t, type MessageKey } from '../../i18n/index.ts';
import { sendPage } from '../../respond.ts';
import {
  ApplicationMappingsPage,
  MigrationConfirmPage,
  MigrationErrorPage,
  MigrationOverviewPage,
  PersonMappingsPage,
  type MigrationPageBase,
} from '../../pages/console/legacy/index.ts';

const NOTICES = ['cut_over_app', 'cut_over_user', 'conflict_resolved', 'unlocked'] as const;
const ERROR_CODES = new Set([
  'already_cut_over',
  'no_legacy_mapping',
  'not_locked',
  'conflict_resolved',
  'conflict_not_found',
  'mapping_cut_over',
  'claimant_mapped',
  'user_not_found',
  'legacy_not_configured',
  'application_not_found',
]);
const MAPPINGS_LIMIT = 200;

/** The posted form (urlencoded by the console router). */
function body(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

function str(value: unknown, max = 200): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/**
 * Console `/migration` (issue 5): progress per application, a person's or an application's
 * cut-over, conflicts and blocked legacy identifiers. Every change goes through a
 * "Confirmer" GET page, then a POST with the CSRF token, then 303 `/migration?ok=…`;
 * the domain audits it with the coordinator's identity, IP and certificate.
 */
export function legacyRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();

  function base(req: Request, res: Response): MigrationPageBase {
    const ok = NOTICES.find((n) => n === req.query.ok);
    return {
      lang: res.locals.lang,
      coordinator: { identifier: res.locals.user!.identifier },
      csrfToken: csrfToken(req.session, runtime.random),
      notice: ok ? t(res.locals.lang, `legacy.console.notice.${ok}`) : null,
    };
  }

  function actor(req: Request, res: Response): LegacyActor {
    return { name: res.locals.user!.identifier, ip: clientIp(req), certificateSerial: res.locals.certificate.record.serial };
  }

  /** Known refusals get a page in the console's words; anything else goes to the error handler. */
  function refuse(req: Request, res: Response, error: unknown): void {
    if (!(error instanceof PasserelleError) || !error.expose) throw error;
    const lang = res.locals.lang;
    const message = ERROR_CODES.has(error.code) ? t(lang, `legacy.console.error.${error.code}` as MessageKey) : t(lang, 'legacy.console.error.other', { code: error.code });
    sendPage(res, error.status, MigrationErrorPage({ ...base(req, res), notice: null, message, code: error.code }));
  }

  async function attempt(req: Request, res: Response, fn: () => Promise<unknown>, notice: (typeof NOTICES)[number]): Promise<void> {
    // The CSRF token was checked by consoleCsrf before any console route ran.
    try {
      await fn();
    } catch (error) {
      refuse(req, res, error);
      return;
    }
    res.redirect(303, `/migration?ok=${notice}`);
  }

  router.get('/migration', async (req, res) => {
    const appName = (id: string) => runtime.config.applications.find((a) => a.id === id)?.name ?? id;
    const locks = (await listLocks(runtime)).map((l) => ({ ...l, applicationName: appName(l.applicationId) }));
    sendPage(res, 200, MigrationOverviewPage({ ...base(req, res), progress: await legacyProgress(runtime), conflicts: await listConflicts(runtime, true), locks }));
  });

  router.get('/migration/applications/:app', async (req, res) => {
    try {
      const app = requireLegacyApplication(runtime.config, str(req.params.app, 100));
      const mappings = await listMappings(runtime, app.id, { limit: MAPPINGS_LIMIT });
      sendPage(res, 200, ApplicationMappingsPage({ ...base(req, res), applicationName: app.name, mappings, limit: MAPPINGS_LIMIT }));
    } catch (error) {
      refuse(req, res, error);
    }
  });

  router.get('/migration/personne', async (req, res) => {
    const identifier = str(req.query.identifiant).toLowerCase();
    const user = identifier ? await runtime.storage.users.findByIdentifier(identifier) : undefined;
    sendPage(res, 200, PersonMappingsPage({ ...base(req, res), identifier, userId: user?.id ?? null, mappings: user ? await mappingsOfUser(runtime, user.id) : [] }));
  });

  // Confirmation pages: what will happen, named in full.
  router.get('/migration/confirmer', async (req, res) => {
    const lang = res.locals.lang;
    const page = (message: string, action: string, fields: Record<string, string>, danger = true) => sendPage(res, 200, MigrationConfirmPage({ ...base(req, res), notice: null, message, action, fields, danger }));
    try {
      switch (req.query.action) {
        case 'cut-over-app': {
          const app = requireLegacyApplication(runtime.config, str(req.query.app, 100));
          const { mapped } = await runtime.storage.legacy.countMappings(app.id);
          return page(t(lang, 'legacy.console.confirm.cutOverApp', { application: app.name, count: mapped }), '/migration/basculer-application', { app: app.id });
        }
        case 'cut-over-user': {
          const user = await runtime.storage.users.findById(str(req.query.user, 100));
          if (!user) throw new PasserelleError(404, 'user_not_found', 'no such user');
          const appId = str(req.query.app, 100);
          if (!appId) return page(t(lang, 'legacy.console.confirm.cutOverUserAll', { identifier: user.identifier }), '/migration/basculer-personne', { user: user.id });
          const app = requireLegacyApplication(runtime.config, appId);
          return page(t(lang, 'legacy.console.confirm.cutOverUser', { identifier: user.identifier, application: app.name }), '/migration/basculer-personne', { user: user.id, app: app.id });
        }
        case 'reassign':
        case 'dismiss': {
          const c = await getConflict(runtime, str(req.query.conflict, 100));
          const vars = { legacy: c.legacyUsername, application: c.applicationName, claimant: c.claimant ?? '?', holder: c.holder ?? '?' };
          return req.query.action === 'reassign'
            ? page(t(lang, 'legacy.console.confirm.reassign', vars), '/migration/conflit', { conflict: c.id, resolution: 'reassigned' })
            : page(t(lang, 'legacy.console.confirm.dismiss', vars), '/migration/conflit', { conflict: c.id, resolution: 'dismissed' }, false);
        }
        case 'unlock': {
          const app = requireLegacyApplication(runtime.config, str(req.query.app, 100));
          const legacy = str(req.query.legacy);
          return page(t(lang, 'legacy.console.confirm.unlock', { legacy, application: app.name }), '/migration/debloquer', { app: app.id, legacy }, false);
        }
        default:
          throw new PasserelleError(404, 'not_found', 'unknown action');
      }
    } catch (error) {
      refuse(req, res, error);
    }
  });

  router.post('/migration/basculer-application', (req, res) => attempt(req, res, () => cutOverApplication(runtime, str(body(req).app, 100), actor(req, res)), 'cut_over_app'));
  router.post('/migration/basculer-personne', (req, res) => attempt(req, res, () => cutOverUser(runtime, str(body(req).user, 100), str(body(req).app, 100) || null, actor(req, res)), 'cut_over_user'));
  router.post('/migration/conflit', (req, res) => {
    const resolution: unknown = body(req).resolution;
    return attempt(
      req,
      res,
      async () => {
        if (resolution !== 'reassigned' && resolution !== 'dismissed') throw new PasserelleError(400, 'invalid_resolution', 'resolution must be reassigned or dismissed');
        await resolveConflict(runtime, str(body(req).conflict, 100), resolution, actor(req, res));
      },
      'conflict_resolved',
    );
  });
  router.post('/migration/debloquer', (req, res) => attempt(req, res, () => unlockLegacyIdentifier(runtime, str(body(req).app, 100), str(body(req).legacy), actor(req, res)), 'unlocked'));

  return router;
}
