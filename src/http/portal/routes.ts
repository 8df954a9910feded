import { Router } from 'express';
import type { HttpDeps } from '../deps.ts';
import { PortalRateLimits } from '../../portal/rate-limits.ts';
import { formBody } from './forms.ts';
import { loadPortalUser, portalSession } from './session.ts';
import { publicPortalRoutes } from './public-routes.ts';
import { accountRoutes } from './account-routes.ts';
import { requestRoutes } from './request-routes.ts';
import { ssoPortalRoutes } from './sso-routes.ts';

/**
 * Paths the portal answers (besides `/`). The session middleware is scoped to them so the
 * other surfaces of the public listener (withdrawal, JWKS, CRL, help) never get a portal cookie.
 */
export const PORTAL_PATHS = ['/inscription', '/connexion', '/premiere-connexion', '/compte', '/deconnexion', '/mot-de-passe-oublie', '/certificats', '/applications', '/conditions'];

/** The portal (espace professionnel) on the public listener. */
export function portalRoutes(deps: HttpDeps): Router {
  const router = Router();
  const session = [portalSession(deps), loadPortalUser(deps)];
  const limits = new PortalRateLimits(deps.sessions.rateLimiter);
  router.use(PORTAL_PATHS, formBody, ...session);
  router.get('/', ...session);
  router.use(publicPortalRoutes(deps, limits));
  router.use(accountRoutes(deps));
  router.use(requestRoutes(deps));
  router.use(ssoPortalRoutes(deps));
  return router;
}
