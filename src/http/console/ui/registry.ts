import { Router } from 'express';
import type { HttpDeps } from '../../deps.ts';
import { establishmentRoutes } from './registry/establishments.ts';
import { certificateRoutes } from './registry/certificates.ts';
import { applicationRoutes } from './registry/applications.ts';
import { auditRoutes } from './registry/audit.ts';
import { outboxRoutes } from './registry/outbox.ts';
import { tokenRoutes } from './registry/tokens.ts';

/**
 * Console pages of the registry: establishments, certificates, applications, audit trail,
 * mail outbox and the coordinator's API tokens (one router per section, in ./registry/).
 */
export function registryRoutes(deps: HttpDeps): Router {
  const router = Router();
  router.use(establishmentRoutes(deps));
  router.use(certificateRoutes(deps));
  router.use(applicationRoutes(deps));
  router.use(auditRoutes(deps));
  router.use(outboxRoutes(deps));
  router.use(tokenRoutes(deps));
  return router;
}
