import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { ConsoleActor } from '../../console/index.ts';
import {
  REGION,
  addAdmin,
  addMember,
  allowApplication,
  createService,
  deleteService,
  disallowApplication,
  establishmentInScope,
  grantToService,
  removeAdmin,
  removeMember,
  revokeFromService,
  serviceInScope,
  updateService,
} from '../../services/index.ts';
import type { HttpDeps } from '../deps.ts';
import { sendJson } from '../respond.ts';
import { adminOf } from './authenticate.ts';
import { parseBody } from './body.ts';

const empty = z.object({}).strict();
const serviceBody = z.object({ name: z.string().max(200), code: z.string().max(64).nullable().optional() }).strict();
const personBody = z.object({ person: z.string().min(1).max(200) }).strict();
const applicationBody = z.object({ application: z.string().min(1).max(100) }).strict();

function actorOf(res: Response): ConsoleActor {
  const admin = adminOf(res);
  return { name: admin.user.identifier, ip: admin.actor.ip ?? null, userId: admin.user.id, certificateSerial: admin.certificateSerial };
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value.slice(0, 200) : '';
}

/**
 * Services and delegation under /api/v1 (behind requireCoordinator: the cell's API; an
 * establishment administrator's certificate is refused there, audited):
 * /establishments/{id}/services|admins|applications, /services/{id}[/members|/applications].
 */
export function servicesApi(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = express.Router();

  router.get('/establishments/:id/services', async (req, res) => {
    const e = await establishmentInScope(runtime, REGION, actorOf(res), param(req, 'id'));
    sendJson(res, 200, { services: await runtime.storage.services.listByEstablishment(e.id) });
  });
  router.post('/establishments/:id/services', async (req, res) => {
    const body = parseBody(serviceBody, req);
    sendJson(res, 201, await createService(runtime, REGION, param(req, 'id'), body, actorOf(res)));
  });
  router.get('/establishments/:id/delegation', async (req, res) => {
    const e = await establishmentInScope(runtime, REGION, actorOf(res), param(req, 'id'));
    const [admins, applications] = await Promise.all([runtime.storage.delegation.admins(e.id), runtime.storage.delegation.allowedApplications(e.id)]);
    sendJson(res, 200, { establishmentId: e.id, admins, applications });
  });
  router.post('/establishments/:id/admins', async (req, res) => {
    const { person } = parseBody(personBody, req);
    sendJson(res, 200, await addAdmin(runtime, REGION, param(req, 'id'), person, actorOf(res)));
  });
  router.delete('/establishments/:id/admins/:person', async (req, res) => {
    await removeAdmin(runtime, REGION, param(req, 'id'), param(req, 'person'), actorOf(res));
    res.status(204).end();
  });
  router.post('/establishments/:id/applications', async (req, res) => {
    const { application } = parseBody(applicationBody, req);
    sendJson(res, 200, await allowApplication(runtime, REGION, param(req, 'id'), application, actorOf(res)));
  });
  router.delete('/establishments/:id/applications/:app', async (req, res) => {
    await disallowApplication(runtime, REGION, param(req, 'id'), param(req, 'app'), actorOf(res));
    res.status(204).end();
  });

  router.get('/services/:id', async (req, res) => {
    const service = await serviceInScope(runtime, REGION, actorOf(res), param(req, 'id'));
    const summary = (await runtime.storage.services.listByEstablishment(service.establishmentId)).find((s) => s.id === service.id);
    sendJson(res, 200, { ...summary, memberList: await runtime.storage.services.members(service.id) });
  });
  router.patch('/services/:id', async (req, res) => {
    const body = parseBody(serviceBody, req);
    sendJson(res, 200, await updateService(runtime, REGION, param(req, 'id'), body, actorOf(res)));
  });
  router.delete('/services/:id', async (req, res) => {
    parseBody(empty, req);
    sendJson(res, 200, await deleteService(runtime, REGION, param(req, 'id'), actorOf(res)));
  });
  router.post('/services/:id/members', async (req, res) => {
    const { person } = parseBody(personBody, req);
    sendJson(res, 200, await addMember(runtime, REGION, param(req, 'id'), person, actorOf(res)));
  });
  router.delete('/services/:id/members/:person', async (req, res) => {
    await removeMember(runtime, REGION, param(req, 'id'), param(req, 'person'), actorOf(res));
    res.status(204).end();
  });
  router.post('/services/:id/applications', async (req, res) => {
    const { application } = parseBody(applicationBody, req);
    sendJson(res, 200, await grantToService(runtime, REGION, param(req, 'id'), application, actorOf(res)));
  });
  router.delete('/services/:id/applications/:app', async (req, res) => {
    await revokeFromService(runtime, REGION, param(req, 'id'), param(req, 'app'), actorOf(res));
    res.status(204).end();
  });
  return router;
}
