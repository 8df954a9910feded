import { refuseIfSecondApprovalNeeded } from '../../console/four-eyes.ts';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  approveAccessRequest,
  approveCertificateRequest,
  approveRegistration,
  createCollectiveRequest,
  getAccessRequest,
  getCertificateRequest,
  getRegistration,
  listAccessRequests,
  listCertificateRequests,
  listRegistrations,
  reissueWithdrawalCode,
  rejectAccessRequest,
  rejectCertificateRequest,
  rejectRegistration,
} from '../../approval/index.ts';
import type { HttpDeps } from '../deps.ts';
import { sendJson } from '../respond.ts';
import { adminOf, requireCoordinator } from './authenticate.ts';
import { parseBody, parseQuery, requireJsonBody } from './body.ts';
import { consoleApi } from './api-console.ts';
import { registryApi } from './api-registry.ts';
import { peopleApi } from './api-people.ts';
import { legacyApi } from './api-legacy.ts';
import { servicesApi } from './api-services.ts';

const empty = z.object({}).strict();
const rejection = z.object({ reason: z.string().max(2000).optional() }).strict();
const collective = z
  .object({
    kind: z.literal('collective', { error: 'the cell creates collective requests only (personal ones come from the portal)' }),
    establishmentId: z.string().min(1).max(100),
    label: z.string().max(200),
    approve: z.boolean().optional(),
  })
  .strict();
const listQuery = <T extends readonly [string, ...string[]]>(statuses: T) => z.object({ status: z.enum(statuses).optional() }).strict();
const registrationQuery = listQuery(['pending', 'approved', 'rejected'] as const);
const certificateQuery = listQuery(['pending', 'approved', 'rejected', 'withdrawn'] as const);
const accessQuery = listQuery(['pending', 'granted', 'rejected'] as const);

/** Path ids are opaque; anything odd is simply not found. */
function idOf(req: Request): string {
  const id = req.params.id;
  return typeof id === 'string' ? id.slice(0, 100) : '';
}

/**
 * The admin JSON API under /api/v1 (the console's pages of a later issue call the same
 * domain operations). Thin handlers: parse, call, answer.
 */
export function adminApi(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = express.Router();
  router.use(requireCoordinator(deps));
  router.use((req, _res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') requireJsonBody(req);
    next();
  });
  router.use(express.json({ limit: '32kb', strict: true }));

  const post = (path: string, handler: (req: Request, res: Response) => Promise<void>) => router.post(path, handler);
  const get = (path: string, handler: (req: Request, res: Response) => Promise<void>) => router.get(path, handler);

  get('/registrations', async (req, res) => {
    const { status } = parseQuery(registrationQuery, req);
    sendJson(res, 200, { registrations: await listRegistrations(runtime, status) });
  });
  get('/registrations/:id', async (req, res) => sendJson(res, 200, await getRegistration(runtime, idOf(req))));
  post('/registrations/:id/approve', async (req, res) => {
    parseBody(empty, req);
    refuseIfSecondApprovalNeeded(runtime.config, 'registration.approve');
    const { id, status, identifier, userId } = await approveRegistration(runtime, idOf(req), adminOf(res).actor);
    sendJson(res, 200, { id, status, identifier, userId });
  });
  post('/registrations/:id/reject', async (req, res) => {
    const { reason } = parseBody(rejection, req);
    refuseIfSecondApprovalNeeded(runtime.config, 'registration.reject');
    sendJson(res, 200, await rejectRegistration(runtime, idOf(req), reason, adminOf(res).actor));
  });

  get('/certificate-requests', async (req, res) => {
    const { status } = parseQuery(certificateQuery, req);
    sendJson(res, 200, { certificateRequests: await listCertificateRequests(runtime, status) });
  });
  get('/certificate-requests/:id', async (req, res) => sendJson(res, 200, await getCertificateRequest(runtime, idOf(req))));
  post('/certificate-requests', async (req, res) => {
    const body = parseBody(collective, req);
    if (body.approve) refuseIfSecondApprovalNeeded(runtime.config, 'certificate-request.approve');
    const created = await createCollectiveRequest(runtime, { establishmentId: body.establishmentId, label: body.label, approve: body.approve ?? false }, adminOf(res).actor);
    sendJson(res, 201, created);
  });
  post('/certificate-requests/:id/approve', async (req, res) => {
    parseBody(empty, req);
    refuseIfSecondApprovalNeeded(runtime.config, 'certificate-request.approve');
    sendJson(res, 200, await approveCertificateRequest(runtime, idOf(req), adminOf(res).actor));
  });
  post('/certificate-requests/:id/reject', async (req, res) => {
    const { reason } = parseBody(rejection, req);
    refuseIfSecondApprovalNeeded(runtime.config, 'certificate-request.reject');
    sendJson(res, 200, await rejectCertificateRequest(runtime, idOf(req), reason, adminOf(res).actor));
  });
  post('/certificate-requests/:id/withdrawal-code', async (req, res) => {
    parseBody(empty, req);
    refuseIfSecondApprovalNeeded(runtime.config, 'certificate-request.new-code');
    sendJson(res, 200, await reissueWithdrawalCode(runtime, idOf(req), adminOf(res).actor));
  });

  get('/access-requests', async (req, res) => {
    const { status } = parseQuery(accessQuery, req);
    sendJson(res, 200, { accessRequests: await listAccessRequests(runtime, status) });
  });
  get('/access-requests/:id', async (req, res) => sendJson(res, 200, await getAccessRequest(runtime, idOf(req))));
  post('/access-requests/:id/approve', async (req, res) => {
    parseBody(empty, req);
    refuseIfSecondApprovalNeeded(runtime.config, 'access-request.approve');
    sendJson(res, 200, await approveAccessRequest(runtime, idOf(req), adminOf(res).actor));
  });
  post('/access-requests/:id/reject', async (req, res) => {
    const { reason } = parseBody(rejection, req);
    refuseIfSecondApprovalNeeded(runtime.config, 'access-request.reject');
    sendJson(res, 200, await rejectAccessRequest(runtime, idOf(req), reason, adminOf(res).actor));
  });

  router.use(consoleApi(deps));
  router.use(registryApi(deps));
  router.use(peopleApi(deps));
  router.use(legacyApi(deps));
  router.use(servicesApi(deps));
  return router;
}
