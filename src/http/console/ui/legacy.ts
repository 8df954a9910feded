import { Router } from 'express';
import type { HttpDeps } from '../../deps.ts';

/** Console pages: legacy. */
export function legacyRoutes(_deps: HttpDeps): Router {
  return Router();
}
