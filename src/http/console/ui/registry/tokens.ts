import { Router } from 'express';
import type { HttpDeps } from '../../../deps.ts';
import { createOwnToken, findOwnToken, ownTokens, revokeOwnToken } from '../../../../registry/index.ts';
import { RevokeTokenPage, TokensPage } from '../../../pages/console/registry/index.ts';
import { actorOf, coordinatorOf, fields, pageBase, param, problemsOf, render } from './context.ts';

/** `/jetons`: the signed-in coordinator's API tokens. */
export function tokenRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();

  router.get('/jetons', async (req, res) => {
    render(res, 200, TokensPage({ ...pageBase(deps, req, res), tokens: await ownTokens(runtime, coordinatorOf(res)), name: '', problems: [], created: null }));
  });

  // The new token is shown in this response, once (no redirect: it would have to be kept somewhere).
  router.post('/jetons', async (req, res) => {
    const user = coordinatorOf(res);
    const name = fields(req).name ?? '';
    try {
      const created = await createOwnToken(runtime, user, name, actorOf(req, res));
      render(res, 201, TokensPage({ ...pageBase(deps, req, res), tokens: await ownTokens(runtime, user), name: '', problems: [], created }));
    } catch (error) {
      const problems = problemsOf(error, 'name');
      if (!problems) throw error;
      render(res, 400, TokensPage({ ...pageBase(deps, req, res), tokens: await ownTokens(runtime, user), name, problems, created: null }));
    }
  });

  router.get('/jetons/:id/revoquer', async (req, res) => {
    const token = await findOwnToken(runtime, coordinatorOf(res), param(req, 'id'));
    if (token.revokedAt) {
      res.redirect(303, '/jetons');
      return;
    }
    render(res, 200, RevokeTokenPage({ ...pageBase(deps, req, res), token }));
  });

  router.post('/jetons/:id/revoquer', async (req, res) => {
    await revokeOwnToken(runtime, coordinatorOf(res), param(req, 'id'), actorOf(req, res));
    res.redirect(303, '/jetons?ok=token_revoked');
  });

  return router;
}
