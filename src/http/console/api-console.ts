import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { CONSOLE_ACTIONS, cancelApproval, confirmApproval, getApproval, listApprovals, performAction, type ApprovalView, type ConsoleActor } from '../../console/index.ts';
import type { HttpDeps } from '../deps.ts';
import { sendJson } from '../respond.ts';
import { adminOf } from './authenticate.ts';
import { parseBody, parseQuery } from './body.ts';

const empty = z.object({}).strict();
const approvalsQuery = z.object({ status: z.enum(['pending', 'running', 'done', 'failed', 'cancelled']).optional() }).strict();
const actionBody = z
  .object({
    action: z.enum(CONSOLE_ACTIONS as [string, ...string[]]),
    targetId: z.string().min(1).max(100),
    reason: z.string().max(2000).optional(),
  })
  .strict();

function json(a: ApprovalView) {
  return { ...a, requestedAt: new Date(a.requestedAt).toISOString(), decidedAt: a.decidedAt === null ? null : new Date(a.decidedAt).toISOString() };
}

function actorOf(req: Request, res: Response): ConsoleActor {
  const admin = adminOf(res);
  return { name: admin.user.identifier, ip: admin.actor.ip ?? null, userId: admin.user.id, certificateSerial: admin.certificateSerial };
}

function idOf(req: Request): string {
  const id = req.params.id;
  return typeof id === 'string' ? id.slice(0, 100) : '';
}

/**
 * The console's own endpoints under /api/v1 (behind requireCoordinator and the JSON body
 * parser of adminApi): dashboard counts, second approvals (four-eyes rule), and one way to
 * take any queue decision that honours that rule.
 */
export function consoleApi(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = express.Router();

  router.get('/dashboard', async (_req, res) => {
    const counts = await runtime.storage.dashboard.counts(runtime.clock.now().getTime(), runtime.config.renewal.noticeDays);
    sendJson(res, 200, { counts, pendingApprovals: (await listApprovals(runtime, 'pending')).map(json) });
  });

  router.get('/approvals', async (req, res) => {
    const { status } = parseQuery(approvalsQuery, req);
    sendJson(res, 200, { approvals: (await listApprovals(runtime, status)).map(json) });
  });
  router.get('/approvals/:id', async (req, res) => sendJson(res, 200, json(await getApproval(runtime, idOf(req)))));
  router.post('/approvals/:id/confirm', async (req, res) => {
    parseBody(empty, req);
    const { approval, result } = await confirmApproval(runtime, idOf(req), actorOf(req, res));
    sendJson(res, 200, { approval: json(approval), result });
  });
  router.post('/approvals/:id/cancel', async (req, res) => {
    parseBody(empty, req);
    sendJson(res, 200, json(await cancelApproval(runtime, idOf(req), actorOf(req, res))));
  });

  /** 200 with the result when it ran, 202 with the approval when a second coordinator must confirm. */
  router.post('/actions', async (req, res) => {
    const body = parseBody(actionBody, req);
    const outcome = await performAction(runtime, { action: body.action as (typeof CONSOLE_ACTIONS)[number], targetId: body.targetId, params: { reason: body.reason } }, actorOf(req, res));
    if (outcome.status === 'done') sendJson(res, 200, { status: 'done', result: outcome.result });
    else sendJson(res, 202, { status: 'pending_approval', approval: json(outcome.approval) });
  });

  return router;
}
