import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { ConsoleActor } from '../../console/index.ts';
import {
  MAX_PAGE_SIZE,
  deactivatePerson,
  getPerson,
  invitePerson,
  reactivatePerson,
  requirePerson,
  resendActivation,
  revokePersonGrant,
  searchPeople,
  unlockPerson,
  updateIdentity,
  valueOrThrow,
} from '../../people/index.ts';
import type { HttpDeps } from '../deps.ts';
import { sendJson } from '../respond.ts';
import { adminOf } from './authenticate.ts';
import { parseBody, parseQuery } from './body.ts';

const empty = z.object({}).strict();
const text = (max: number) => z.string().max(max);
const optionalText = (max: number) => z.string().max(max).nullable().optional();
const peopleQuery = z
  .object({
    q: text(200).optional(),
    status: text(40).optional(),
    after: text(1200).optional(),
    before: text(1200).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  })
  .strict();
const identityPatch = z
  .object({
    givenName: text(200).optional(),
    familyName: text(200).optional(),
    profession: optionalText(200),
    rpps: optionalText(40),
    establishmentId: optionalText(100),
  })
  .strict();
const invitation = z
  .object({
    givenName: text(200),
    familyName: text(200),
    email: text(254),
    establishmentId: optionalText(100),
    profession: optionalText(200),
    rpps: optionalText(40),
    role: z.enum(['clinician', 'coordinator']).optional(),
    lang: z.enum(['fr', 'en']).optional(),
  })
  .strict();

function actorOf(res: Response): ConsoleActor {
  const admin = adminOf(res);
  return { name: admin.user.identifier, ip: admin.actor.ip ?? null, userId: admin.user.id, certificateSerial: admin.certificateSerial };
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value.slice(0, 100) : '';
}

/** null in a body clears an optional field; the forms read '' as empty. */
const blank = (value: string | null | undefined) => (value === null ? '' : value);

/**
 * People under /api/v1 (behind requireCoordinator and the JSON body parser of adminApi):
 * search, a person, edits, invitations and the account actions of the console.
 */
export function peopleApi(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = express.Router();

  router.get('/people', async (req, res) => {
    const query = parseQuery(peopleQuery, req);
    sendJson(res, 200, await searchPeople(runtime, query));
  });

  router.post('/people', async (req, res) => {
    const body = parseBody(invitation, req);
    const created = valueOrThrow(await invitePerson(runtime, { ...body, establishmentId: blank(body.establishmentId), profession: blank(body.profession), rpps: blank(body.rpps) }, actorOf(res)));
    sendJson(res, 201, { ...created, expiresAt: new Date(created.expiresAt).toISOString() });
  });

  router.get('/people/:id', async (req, res) => sendJson(res, 200, await getPerson(runtime, param(req, 'id'))));

  router.patch('/people/:id', async (req, res) => {
    const patch = parseBody(identityPatch, req);
    const current = await requirePerson(runtime, param(req, 'id'));
    const merged = {
      givenName: patch.givenName ?? current.givenName,
      familyName: patch.familyName ?? current.familyName,
      profession: patch.profession === undefined ? (current.profession ?? '') : blank(patch.profession),
      rpps: patch.rpps === undefined ? (current.rpps ?? '') : blank(patch.rpps),
      establishmentId: patch.establishmentId === undefined ? (current.establishmentId ?? '') : blank(patch.establishmentId),
    };
    const { changed } = valueOrThrow(await updateIdentity(runtime, current.id, merged, actorOf(res)));
    sendJson(res, 200, { changed, person: await getPerson(runtime, current.id) });
  });

  const action = (path: string, run: (id: string, actor: ConsoleActor) => Promise<Record<string, unknown>>) =>
    router.post(`/people/:id/${path}`, async (req, res) => {
      parseBody(empty, req);
      sendJson(res, 200, await run(param(req, 'id'), actorOf(res)));
    });
  action('unlock', async (id, actor) => {
    const unlocked = await unlockPerson(runtime, id, actor);
    return { ...unlocked, expiresAt: new Date(unlocked.expiresAt).toISOString(), mailed: true };
  });
  action('deactivate', (id, actor) => deactivatePerson(runtime, id, actor));
  action('reactivate', (id, actor) => reactivatePerson(runtime, id, actor));
  action('resend-activation', async (id, actor) => {
    const sent = await resendActivation(runtime, id, actor);
    return { ...sent, expiresAt: new Date(sent.expiresAt).toISOString(), mailed: true };
  });

  router.delete('/people/:id/grants/:app', async (req, res) => {
    sendJson(res, 200, await revokePersonGrant(runtime, param(req, 'id'), param(req, 'app'), actorOf(res)));
  });

  return router;
}
