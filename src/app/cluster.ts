import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { WORKER_INDEX_ENV, workerIndexFromEnv, type Config } from '../config/index.ts';
import { logger } from '../shared/logger.ts';
import { onStopSignals } from './stop-signals.ts';
import { clusterReadiness } from './cluster-readiness.ts';
import { startAdminListener } from '../http/admin/app.ts';
import { clusterMetricsText } from '../observability/metrics.ts';

/**
 * `workers: auto | N` — one machine, every core. The primary only forks and watches; each
 * worker runs the whole server (src/app/serve.ts) on the same ports (node:cluster hands out the
 * connections). What must be shared is: sessions (Redis: the configuration refuses in-process
 * sessions with more than one worker), cache invalidations (src/events: Redis pub/sub plus the
 * store's change counter), TLS session tickets (keys derived from the session secret in every
 * worker, see src/http/tls.ts) and the per-address limits (Redis).
 * Periodic jobs (mail, renewal notices, reminders) and the demo application run in worker 0 only.
 */

export function workerCount(config: Config): number {
  return config.workers === 'auto' ? os.availableParallelism() : config.workers;
}

/** 0 in a single process and in the first worker: where the periodic jobs run. */
export function workerIndex(): number {
  return cluster.isWorker ? workerIndexFromEnv() : 0;
}

export function runsAsPrimary(config: Config): boolean {
  return cluster.isPrimary && workerCount(config) > 1;
}

/**
 * The primary: runs the admin listener for all workers (/readyz asks each, /metrics sums them),
 * forks `workerCount` workers, replaces one that dies (at most once per second per
 * slot, so a crash loop does not spin), forwards SIGTERM/SIGINT (each worker drains as a single
 * process would) and exits when they have all stopped, with the first non-zero code seen.
 */
export async function runPrimary(config: Config): Promise<void> {
  const count = workerCount(config);
  const slots = new Map<Worker, number>();
  let stopping = false;
  let exitCode = 0;
  const lastStart = new Map<number, number>();

  const fork = (index: number) => {
    lastStart.set(index, Date.now());
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
    slots.set(worker, index);
  };

  const admin = config.listeners.admin.enabled
    ? await startAdminListener({ report: () => clusterReadiness(slots, count, () => stopping), metrics: clusterMetricsText }, config.listeners.admin.host, config.listeners.admin.port)
    : null;
  if (admin) logger.info('admin listening', { host: config.listeners.admin.host, port: admin.port, workers: count });

  await new Promise<void>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const index = slots.get(worker) ?? 0;
      slots.delete(worker);
      if (stopping) {
        if (code && !exitCode) exitCode = code;
        if (slots.size === 0) {
          logger.info('all workers stopped', { exitCode });
          logger.flush();
          process.exitCode = exitCode;
          resolve();
        }
        return;
      }
      logger.error('worker died: starting another', { worker: index, code, signal });
      const wait = Math.max(0, 1000 - (Date.now() - (lastStart.get(index) ?? 0)));
      setTimeout(() => {
        if (!stopping) fork(index);
      }, wait).unref();
    });
    onStopSignals((signal) => {
      stopping = true;
      logger.info('stopping workers', { signal, workers: slots.size });
      for (const worker of slots.keys()) worker.process.kill(signal);
      if (slots.size === 0) resolve();
    });
    logger.info('starting workers', { workers: count });
    for (let index = 0; index < count; index += 1) fork(index);
  });
  await admin?.close();
}
