import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { METRICS_CONTENT_TYPE, metricsText } from '../../observability/metrics.ts';
import type { Readiness, ReadinessReport } from '../../observability/readiness.ts';
import { logger } from '../../shared/logger.ts';

/**
 * The admin listener (plain HTTP, loopback by default — never expose it): what an orchestrator
 * and Prometheus ask.
 *   /livez   200 while the process runs and its event loop answers (nothing external is asked:
 *            a Redis outage must not get the process restarted);
 *   /readyz  200 when storage (and Redis, the event channel… when configured) answer and the
 *            process is not draining; 503 with a JSON body naming what failed;
 *   /metrics Prometheus text (prom-client).
 * It is up before storage is reached, so a replica that waits for its dependencies says so.
 */
export interface AdminListener {
  port: number;
  close(): Promise<void>;
}

const loopDelay = monitorEventLoopDelay({ resolution: 20 });

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/** What the admin listener reports: one process's readiness and metrics, or (cluster primary) all workers'. */
export interface AdminSources {
  report(): Promise<ReadinessReport>;
  metrics(): Promise<string>;
}

export function adminHandler(readiness: Readiness | AdminSources): (req: IncomingMessage, res: ServerResponse) => void {
  const metrics = 'metrics' in readiness ? () => readiness.metrics() : metricsText;
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { error: 'method_not_allowed' });
      return;
    }
    if (path === '/livez') {
      json(res, 200, { status: 'alive', eventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e4) / 100 });
      loopDelay.reset();
    } else if (path === '/readyz') {
      void readiness.report().then((report) => {
        json(res, report.ready ? 200 : 503, report.ready ? { status: 'ready', checks: report.checks } : { status: 'unavailable', error: 'not_ready', failed: report.failed, checks: report.checks });
      });
    } else if (path === '/metrics') {
      metrics().then(
        (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' }).end(text),
        (error: unknown) => {
          logger.error('metrics failed', { error: error instanceof Error ? error.message : String(error) });
          json(res, 500, { error: 'metrics_failed' });
        },
      );
    } else {
      json(res, 404, { error: 'not_found' });
    }
  };
}

/** Starts the admin listener on host:port (port 0: any free one). */
export function startAdminListener(readiness: Readiness | AdminSources, host: string, port: number): Promise<AdminListener> {
  loopDelay.enable();
  const server = http.createServer(adminHandler(readiness));
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
