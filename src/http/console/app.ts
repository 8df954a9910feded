import express, { type ErrorRequestHandler, type Express } from 'express';
import type { HttpDeps } from '../deps.ts';
import { adminApi } from './api.ts';
import { apiErrorHandler, apiNotFound } from './errors.ts';

/** The console host on the gateway listener: admin JSON API under /api/v1 (pages come later). */
export function createConsoleApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Parsed by hand-written schemas only: `?status=a&status=b` is an array, refused by zod.
  app.set('query parser', 'simple');
  app.use('/api/v1', adminApi(deps));
  app.use(apiNotFound);
  app.use(apiErrorHandler as ErrorRequestHandler);
  return app;
}
