import { Router } from 'express';
import type { HttpDeps } from '../../../deps.ts';
import { getApplication, listApplications, parseHoldersQuery } from '../../../../registry/index.ts';
import { ApplicationPage, ApplicationsPage } from '../../../pages/console/registry/index.ts';
import { pageBase, param, render } from './context.ts';

/** `/applications`: the configured catalogue, who has access, pending requests. */
export function applicationRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();

  router.get('/applications', async (req, res) => {
    render(res, 200, ApplicationsPage({ ...pageBase(deps, req, res), applications: await listApplications(runtime) }));
  });

  router.get('/applications/:id', async (req, res) => {
    const query = parseHoldersQuery(req.query, false);
    const detail = await getApplication(runtime, param(req, 'id'), query);
    render(res, 200, ApplicationPage({ ...pageBase(deps, req, res), detail, after: query.after ?? null }));
  });

  return router;
}
