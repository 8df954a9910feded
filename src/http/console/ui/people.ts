import { Router } from 'express';
import type { HttpDeps } from '../../deps.ts';

/** Console pages: people. */
export function peopleRoutes(_deps: HttpDeps): Router {
  return Router();
}
