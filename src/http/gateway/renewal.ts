import { Router } from 'express';
import type { HttpDeps } from '../deps.ts';

/** /.passerelle/renouveler on application hosts: renewal from the same workstation. */
export function renewalRoutes(_deps: HttpDeps): Router {
  return Router();
}
