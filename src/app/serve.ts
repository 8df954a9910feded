import { loadConfig, pkiDir, type Config } from '../config/index.ts';
import { openRuntime, sessionSecret, type Runtime } from './runtime.ts';
import { createSessionBackend, type SessionBackend } from '../session/index.ts';
import { loadOrCreateSigningKey } from '../identity/index.ts';
import { startListeners, type Listeners } from '../http/server.ts';
import { startAdminListener } from '../http/admin/app.ts';
import { startDemoApp } from '../demo/app.ts';
import { configureLogger, logger, routeProcessWarnings } from '../shared/logger.ts';
import { seedDemo, demoInstructions } from './demo.ts';
import { startMailWorker } from '../notification/index.ts';
import { startRenewalNotices } from '../enrollment/renewal-schedule.ts';
import { startPeriodicJob } from '../shared/periodic.ts';
import { sendInvitationReminders } from '../people/invitations.ts';
import { purgePscSessions } from '../psc/index.ts';
import { Readiness } from '../observability/readiness.ts';
import { collectProcessMetrics, countAuditEvent, setEventChannelState, setMetricSources } from '../observability/metrics.ts';
import { DependencyTimeout, waitFor } from './wait-for.ts';
import { onStopSignals } from './stop-signals.ts';
import cluster from 'node:cluster';
import { runPrimary, runsAsPrimary, workerIndex } from './cluster.ts';
import { answerReadinessQuestions } from './cluster-readiness.ts';

/** What `serve` has opened so far, closed in reverse order on stop (or on a failed start). */
type Closer = () => Promise<void>;

/**
 * `passerelle serve` and `npm start` (with --demo): everything in one process.
 *
 * Start: the admin listener (/livez, /readyz, /metrics) comes up first; the database and Redis
 * are then awaited with back-off while /readyz answers 503 naming them, for up to
 * `startup.waitSeconds` (then exit 69) — never alive and silent.
 * Stop (SIGTERM/SIGINT): /readyz turns 503 at once, the listeners stop accepting, idle
 * keep-alive connections are closed, in-flight requests and WebSockets get
 * `shutdown.graceSeconds`, then the rest closes and the process exits 0. A second signal exits at once.
 */
export async function serve(options: { demo: boolean; json: boolean }): Promise<void> {
  const config: Config = loadConfig(options.demo ? { overrides: { demo: { enabled: true } } } : {});
  configureLogger({ level: config.log.level });
  routeProcessWarnings();
  // `workers` > 1: this process only forks and watches (src/app/cluster.ts); each worker comes back here.
  if (runsAsPrimary(config)) return runPrimary(config);
  const periodicJobs = workerIndex() === 0;
  collectProcessMetrics();
  const readiness = new Readiness();
  const closers: Closer[] = [];
  let listeners: Listeners | null = null;
  let stopping = false;

  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch((error: unknown) => logger.error('close failed', { error: String(error) }));
  };
  const stop = async (signal: string) => {
    stopping = true;
    readiness.startDraining();
    const graceMs = config.shutdown.graceSeconds * 1000;
    logger.info('stopping: draining', { signal, graceSeconds: config.shutdown.graceSeconds, delaySeconds: config.shutdown.delaySeconds });
    // Not ready from now on; still accepting for the delay, until the balancer has seen it.
    if (config.shutdown.delaySeconds > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdown.delaySeconds * 1000));
    await listeners?.drain(graceMs);
    await closeAll();
    logger.info('stopped', { signal });
    process.exit(0);
  };
  onStopSignals((signal) => void stop(signal));

  try {
    // Under `workers` the primary runs the admin listener and asks each worker (src/app/cluster-readiness.ts).
    answerReadinessQuestions(readiness);
    if (config.listeners.admin.enabled && !cluster.isWorker) {
      const admin = await startAdminListener(readiness, config.listeners.admin.host, config.listeners.admin.port);
      closers.push(() => admin.close());
      logger.info('admin listening', { host: config.listeners.admin.host, port: admin.port });
    }
    const deadline = config.startup.waitSeconds > 0 ? Date.now() + config.startup.waitSeconds * 1000 : Infinity;
    const stopped = () => stopping;

    const runtime: Runtime = await waitFor('database', () => openRuntime(config, { createPkiIfMissing: config.mode === 'development' }), readiness, deadline, stopped);
    closers.push(() => runtime.close());
    readiness.addCheck('database', () => runtime.storage.ping());
    runtime.auditor.onRecord(countAuditEvent);
    setEventChannelState(runtime.events.healthy);
    runtime.events.onHealthChange(setEventChannelState);

    const sessions: SessionBackend = createSessionBackend({ redisUrl: config.redis.url });
    closers.push(() => sessions.close());
    if (config.redis.url) {
      await waitFor('redis', () => sessions.ready(), readiness, deadline, stopped);
      readiness.addCheck('redis', () => sessions.ping());
    }
    setMetricSources({
      outbox: async () => ({ pending: await runtime.storage.outbox.count('pending'), failed: await runtime.storage.outbox.count('failed') }),
      sessions: () => memorySessionCount(sessions),
    });

    const signingKey = await loadOrCreateSigningKey(pkiDir(config));
    const started = await startListeners(runtime, { sessions, sessionSecret: sessionSecret(config, runtime.random), signingKey });
    listeners = started;
    closers.push(() => started.close());
    if (periodicJobs) {
      const mailWorker = startMailWorker(runtime);
      const renewalNotices = startRenewalNotices(runtime);
      const invitationReminders = startPeriodicJob('invitation reminders', () => sendInvitationReminders(runtime), 3_600_000);
      // Pro Santé Connect session rows past the sessions' absolute limit (+ a day): hourly, one DELETE.
      const pscPurge = startPeriodicJob('psc session purge', () => purgePscSessions(runtime), 3_600_000);
      closers.push(() => mailWorker.stop(), () => renewalNotices.stop(), () => invitationReminders.stop(), () => pscPurge.stop());
    }

    if (config.demo.enabled && periodicJobs) {
      const seeded = await seedDemo(runtime);
      const publicBase = `https://127.0.0.1:${started.publicPort}`;
      const demoApp = await startDemoApp({
        port: config.demo.port,
        host: '127.0.0.1',
        jwksUrl: `${publicBase}/.well-known/jwks.json`,
        issuer: config.publicUrl,
        audience: config.applications[0]?.id ?? 'opendrp',
        caPem: runtime.pki.chainPem,
      });
      // Closed first on stop, after the listeners have drained (requests in flight may still need it).
      closers.push(() => demoApp.close());
      process.stdout.write(`${demoInstructions(config, seeded, started)}\n`);
    }
    readiness.setStarting(null);
    logger.info('listening', { public: started.publicPort, gateway: started.gatewayPort, database: config.database.url ? 'postgres' : 'sqlite', sessions: sessions.kind });
  } catch (error) {
    if (stopping) return;
    await closeAll();
    if (error instanceof DependencyTimeout) {
      logger.error('giving up at start', { dependency: error.dependency, error: error.message });
      process.exit(69);
    }
    throw error;
  }
}

/** The in-process store counts its sessions cheaply; Redis would need a key scan, so it reports none. */
function memorySessionCount(sessions: SessionBackend): Promise<number | null> {
  const length = sessions.kind === 'memory' ? sessions.store.length?.bind(sessions.store) : undefined;
  if (!length) return Promise.resolve(null);
  return new Promise((resolve, reject) => length((error: unknown, count?: number) => (error ? reject(error instanceof Error ? error : new Error('session store count failed')) : resolve(count ?? 0))));
}
