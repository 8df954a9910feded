import { Router } from 'express';
import type { HttpDeps } from '../deps.ts';

/** The portal (espace professionnel) on the public listener. */
export function portalRoutes(_deps: HttpDeps): Router {
  return Router();
}
