import express, { type Express } from 'express';
import type { HttpDeps } from '../deps.ts';

/** The console host on the gateway listener: admin JSON API under /api/v1 (pages come later). */
export function createConsoleApp(_deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  return app;
}
