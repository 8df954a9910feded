import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  cutOverApplication,
  cutOverUser,
  legacyProgress,
  listConflicts,
  listLocks,
  listMappings,
  mappingsOfUser,
  requireLegacyApplication,
  resolveConflict,
  unlockLegacyIdentifier,
  type LegacyActor,
} from '../../legacy/index.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { HttpDeps } from '../deps.ts';
import { sendJson } from '../respond.ts';
import { adminOf, requireCoordinator } from './authenticate.ts';
import { parseBody, parseQuery, requireJsonBody } from './body.ts';

const empty = z.object({}).strict();
const userCutOver = z.object({ application: z.string().min(1).max(100).optional() }).strict();
const resolution = z.object({ resolution: z.enum(['dismissed', 'reassigned']) }).strict();
const unlock = z.object({ legacyUsername: z.string().min(1).max(200) }).strict();
const mappingsQuery = z
  .object({
    status: z.enum(['mapped', 'cut_over']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    offset: z.coerce.number().int().min(0).optional(),
  })
  .strict();
const conflictsQuery = z.object({ status: z.enum(['open', 'resolved']).optional() }).strict();

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value.slice(0, 200) : '';
}

/**
 * Legacy identifiers in the admin API, under /api/v1/legacy (same rules as the rest of the
 * API: bearer token AND the coordinator's certificate, JSON only, every call audited).
 * Mounted inside adminApi it finds `res.locals.admin` already set; mounted on its own it
 * runs the same check itself.
 */
export function legacyApi(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = express.Router();
  const coordinator = requireCoordinator(deps);
  router.use('/legacy', (req, res, next) => (res.locals.admin ? next() : coordinator(req, res, next)));
  router.use('/legacy', (req, _res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') requireJsonBody(req);
    next();
  });
  router.use('/legacy', express.json({ limit: '16kb', strict: true }));

  const actor = (res: Response): LegacyActor => {
    const admin = adminOf(res);
    return { ...admin.actor, certificateSerial: admin.certificateSerial };
  };

  router.get('/legacy/applications', async (_req, res) => sendJson(res, 200, { applications: await legacyProgress(runtime) }));
  router.get('/legacy/applications/:app/mappings', async (req, res) => {
    const query = parseQuery(mappingsQuery, req);
    sendJson(res, 200, { mappings: await listMappings(runtime, param(req, 'app'), query) });
  });
  router.post('/legacy/applications/:app/cut-over', async (req, res) => {
    parseBody(empty, req);
    sendJson(res, 200, await cutOverApplication(runtime, param(req, 'app'), actor(res)));
  });
  router.post('/legacy/applications/:app/unlock', async (req, res) => {
    const { legacyUsername } = parseBody(unlock, req);
    await unlockLegacyIdentifier(runtime, param(req, 'app'), legacyUsername, actor(res));
    sendJson(res, 200, { applicationId: param(req, 'app'), legacyUsername, locked: false });
  });
  router.get('/legacy/locks', async (_req, res) => sendJson(res, 200, { locks: await listLocks(runtime) }));

  router.get('/legacy/users/:user/mappings', async (req, res) => {
    const who = param(req, 'user');
    const user = (await runtime.storage.users.findById(who)) ?? (await runtime.storage.users.findByIdentifier(who));
    if (!user) throw new NotFoundError('user_not_found', `no user ${who}`);
    sendJson(res, 200, { identifier: user.identifier, mappings: await mappingsOfUser(runtime, user.id) });
  });
  router.post('/legacy/users/:user/cut-over', async (req, res) => {
    const { application } = parseBody(userCutOver, req);
    if (application) requireLegacyApplication(runtime.config, application);
    sendJson(res, 200, await cutOverUser(runtime, param(req, 'user'), application ?? null, actor(res)));
  });

  router.get('/legacy/conflicts', async (req, res) => {
    const { status } = parseQuery(conflictsQuery, req);
    sendJson(res, 200, { conflicts: await listConflicts(runtime, (status ?? 'open') === 'open') });
  });
  router.post('/legacy/conflicts/:id/resolve', async (req, res) => {
    const body = parseBody(resolution, req);
    sendJson(res, 200, await resolveConflict(runtime, param(req, 'id'), body.resolution, actor(res)));
  });

  return router;
}
