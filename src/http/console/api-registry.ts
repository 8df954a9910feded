import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  createEstablishment,
  createOwnToken,
  deleteEstablishment,
  exportAuditCsv,
  exportFileName,
  getApplication,
  getCertificate,
  getEstablishment,
  listApplications,
  listAudit,
  listCertificates,
  listOutbox,
  ownTokens,
  parseAuditFilter,
  parseAuditPage,
  parseCertificateQuery,
  parseHoldersQuery,
  parseOutboxQuery,
  requireEstablishment,
  retryMessage,
  revokeCertificate,
  revokeOwnToken,
  searchEstablishments,
  updateEstablishment,
  type CoordinatorActor,
} from '../../registry/index.ts';
import { readQuery } from '../../registry/query.ts';
import type { HttpDeps } from '../deps.ts';
import { sendJson } from '../respond.ts';
import { adminOf, requireCoordinator } from './authenticate.ts';
import { parseBody, requireJsonBody } from './body.ts';
import { sendCsv } from './ui/registry/send-csv.ts';

const establishmentBody = z
  .object({
    name: z.string().max(200),
    finess: z.string().max(20).nullable().optional(),
    referentEmail: z.string().max(254),
  })
  .strict();
const establishmentPatch = establishmentBody.partial().strict();
const revocation = z.object({ reason: z.string().max(40) }).strict();
const tokenBody = z.object({ name: z.string().max(200) }).strict();
const empty = z.object({}).strict();
const establishmentQuery = z.object({ q: z.string().trim().max(100).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) });

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value.slice(0, 100) : '';
}

function actorOf(res: Response): CoordinatorActor {
  const admin = adminOf(res);
  return { ...admin.actor, certificateSerial: admin.certificateSerial };
}

/**
 * The registry part of the admin API (establishments, certificates, applications, audit
 * trail, mail outbox, the caller's API tokens). Mounted inside `adminApi` it reuses its
 * authentication; mounted on its own it authenticates itself (bearer token AND coordinator
 * certificate), so either mount point is safe.
 */
export function registryApi(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = express.Router();
  const authenticate = requireCoordinator(deps);
  router.use((req, res, next) => (res.locals.admin ? next() : authenticate(req, res, next)));
  router.use((req, _res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') requireJsonBody(req);
    next();
  });
  router.use(express.json({ limit: '32kb', strict: true }));

  // --- establishments
  router.get('/establishments', async (req, res) => {
    const { q, limit } = readQuery(establishmentQuery, req.query, { strict: true });
    const { items, total } = await searchEstablishments(runtime, q, limit);
    sendJson(res, 200, { establishments: items, total });
  });
  router.post('/establishments', async (req, res) => {
    sendJson(res, 201, await createEstablishment(runtime, parseBody(establishmentBody, req), actorOf(res)));
  });
  router.get('/establishments/:id', async (req, res) => {
    sendJson(res, 200, await getEstablishment(runtime, param(req, 'id')));
  });
  router.patch('/establishments/:id', async (req, res) => {
    const patch = parseBody(establishmentPatch, req);
    const current = await requireEstablishment(runtime, param(req, 'id'));
    const merged = { name: patch.name ?? current.name, finess: patch.finess === undefined ? current.finess : patch.finess, referentEmail: patch.referentEmail ?? current.referentEmail };
    sendJson(res, 200, await updateEstablishment(runtime, current.id, merged, actorOf(res)));
  });
  router.delete('/establishments/:id', async (req, res) => {
    sendJson(res, 200, await deleteEstablishment(runtime, param(req, 'id'), actorOf(res)));
  });

  // --- certificates
  router.get('/certificates', async (req, res) => {
    const page = await listCertificates(runtime, parseCertificateQuery(req.query, true));
    sendJson(res, 200, { certificates: page.items, next: page.next });
  });
  router.get('/certificates/:serial', async (req, res) => {
    sendJson(res, 200, await getCertificate(runtime, param(req, 'serial')));
  });
  router.post('/certificates/:serial/revoke', async (req, res) => {
    const { reason } = parseBody(revocation, req);
    sendJson(res, 200, await revokeCertificate(runtime, param(req, 'serial'), reason, actorOf(res)));
  });

  // --- applications
  router.get('/applications', async (req, res) => {
    readQuery(z.object({}), req.query, { strict: true });
    sendJson(res, 200, { applications: await listApplications(runtime) });
  });
  router.get('/applications/:id', async (req, res) => {
    sendJson(res, 200, await getApplication(runtime, param(req, 'id'), parseHoldersQuery(req.query, true)));
  });

  // --- audit trail
  router.get('/audit', async (req, res) => {
    const page = await listAudit(runtime, parseAuditPage(req.query, true));
    sendJson(res, 200, { events: page.items, next: page.next });
  });
  router.get('/audit.csv', async (req, res) => {
    const lines = await exportAuditCsv(runtime, parseAuditFilter(req.query, true), actorOf(res));
    await sendCsv(res, exportFileName(runtime.clock.now()), lines);
  });

  // --- mail outbox
  router.get('/outbox', async (req, res) => {
    sendJson(res, 200, await listOutbox(runtime, parseOutboxQuery(req.query, true)));
  });
  router.post('/outbox/:id/retry', async (req, res) => {
    parseBody(empty, req);
    sendJson(res, 200, await retryMessage(runtime, param(req, 'id'), actorOf(res)));
  });

  // --- the caller's API tokens
  router.get('/tokens', async (req, res) => {
    readQuery(z.object({}), req.query, { strict: true });
    sendJson(res, 200, { tokens: await ownTokens(runtime, adminOf(res).user) });
  });
  router.post('/tokens', async (req, res) => {
    const { name } = parseBody(tokenBody, req);
    sendJson(res, 201, await createOwnToken(runtime, adminOf(res).user, name, actorOf(res)));
  });
  router.post('/tokens/:id/revoke', async (req, res) => {
    parseBody(empty, req);
    sendJson(res, 200, await revokeOwnToken(runtime, adminOf(res).user, param(req, 'id'), actorOf(res)));
  });

  return router;
}
