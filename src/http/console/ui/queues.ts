import { Router } from 'express';
import type { HttpDeps } from '../../deps.ts';

/** Console pages: queues. */
export function queuesRoutes(_deps: HttpDeps): Router {
  return Router();
}
