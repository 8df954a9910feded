import { Router } from 'express';
import type { HttpDeps } from '../../../deps.ts';
import { listOutbox, parseOutboxQuery, retryMessage } from '../../../../registry/index.ts';
import { OutboxPage } from '../../../pages/console/registry/index.ts';
import { actorOf, pageBase, param, render } from './context.ts';

/** `/courriels`: mails not yet delivered; a failed one can be sent again. */
export function outboxRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();

  router.get('/courriels', async (req, res) => {
    const query = parseOutboxQuery(req.query, false);
    const { messages, counts } = await listOutbox(runtime, query);
    render(res, 200, OutboxPage({ ...pageBase(deps, req, res), status: query.status ?? null, messages, counts }));
  });

  // Not destructive (the mail goes out as it was meant to): no confirmation step.
  router.post('/courriels/:id/relancer', async (req, res) => {
    await retryMessage(runtime, param(req, 'id'), actorOf(req, res));
    res.redirect(303, '/courriels?ok=message_retried');
  });

  return router;
}
