import express, { Router } from 'express';
import type { HttpDeps } from '../../deps.ts';
import { ErrorPage } from '../../pages/index.ts';
import { sendPage } from '../../respond.ts';
import { requireConsoleAccess } from './access.ts';
import { consoleCsrf } from './csrf.ts';
import { dashboardRoutes } from './dashboard.ts';
import { queuesRoutes } from './queues.ts';
import { peopleRoutes } from './people.ts';
import { registryRoutes } from './registry.ts';
import { legacyRoutes } from './legacy.ts';
import { servicesRoutes } from './services.ts';
import { delegationRoutes } from './delegation.ts';
import { establishmentRoutes } from './establishment.ts';

/**
 * The coordination console's pages, behind the gateway pipeline (certificate, session bound
 * to it, login form with lockout) and the coordinator check. Forms are urlencoded, with CSRF.
 */
export function consoleUi(deps: HttpDeps): Router {
  const router = Router();
  router.use(requireConsoleAccess(deps));
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 500 }));
  router.use(consoleCsrf(deps));
  // Services pages serve both the cell and establishment administrators (fenced in src/services).
  router.use(servicesRoutes(deps));
  // An establishment administrator gets their establishment's pages and nothing of the cell's.
  const establishment = establishmentRoutes(deps);
  router.use((req, res, next) => (res.locals.adminScope?.kind === 'establishment' ? establishment(req, res, next) : next()));
  router.use(dashboardRoutes(deps));
  router.use(queuesRoutes(deps));
  router.use(peopleRoutes(deps));
  router.use(registryRoutes(deps));
  router.use(legacyRoutes(deps));
  router.use(delegationRoutes(deps));
  router.use((_req, res) => sendPage(res, 404, ErrorPage({ lang: res.locals.lang, status: 404, code: 'not_found' })));
  return router;
}
