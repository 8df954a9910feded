import { Router } from 'express';
import type { HttpDeps } from '../../deps.ts';

/** Console pages: dashboard. */
export function dashboardRoutes(_deps: HttpDeps): Router {
  return Router();
}
