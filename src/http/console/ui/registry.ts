import { Router } from 'express';
import type { HttpDeps } from '../../deps.ts';

/** Console pages: registry. */
export function registryRoutes(_deps: HttpDeps): Router {
  return Router();
}
