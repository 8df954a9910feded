import type { IncomingMessage, ServerResponse } from 'node:http';
import { observeRequest } from '../observability/metrics.ts';
import { newRequestContext, type RequestContext } from '../shared/request-context.ts';
import { accessLogger } from '../shared/logger.ts';
import { clientIp } from './context.ts';

/** Where a request was answered: the listener's surface and, on the gateway, the application id ('-' otherwise). */
export interface RequestLabels {
  surface: string;
  app: string;
}

/**
 * The start of every request on the public and gateway listeners: a fresh request id (ours,
 * never the client's; answered as `X-Request-Id`), then, when the answer is done, one access
 * line (JSON, path without the query string) and the request metrics.
 * `onDone` runs after both (the drain closes idle connections from there).
 */
export function trackRequest(req: IncomingMessage, res: ServerResponse, labels: RequestLabels, onDone?: () => void): RequestContext {
  const context = newRequestContext();
  const started = process.hrtime.bigint();
  // Taken now: routers rewrite req.url on the way (mount points), and the query string stays out (links carry tickets and codes there).
  const url = req.url ?? '';
  const question = url.indexOf('?');
  const path = question >= 0 ? url.slice(0, question) : url;
  res.setHeader('X-Request-Id', context.id);
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // A response cut before its end (client gone, forced stop) is counted as 499, as nginx does.
    const status = res.writableFinished ? res.statusCode : 499;
    observeRequest(labels.surface, labels.app, status, seconds);
    const log = accessLogger();
    if (log.isLevelEnabled('info')) {
      log.info(
        {
          reqId: context.id,
          surface: labels.surface,
          app: labels.app,
          method: req.method,
          path,
          status,
          ms: Math.round(seconds * 1e5) / 100,
          ip: clientIp(req),
          ...(context.jti ? { jti: context.jti } : {}),
        },
        'request',
      );
    }
    onDone?.();
  });
  return context;
}
