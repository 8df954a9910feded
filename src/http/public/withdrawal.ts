import { Router } from 'express';
import type { HttpDeps } from '../deps.ts';

/** /retrait (in-browser certificate pickup) and POST /api/withdrawal on the public listener. */
export function withdrawalRoutes(_deps: HttpDeps): Router {
  return Router();
}
