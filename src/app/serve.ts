import { loadConfig, pkiDir, type Config } from '../config/index.ts';
import { openRuntime, sessionSecret } from './runtime.ts';
import { createSessionBackend } from '../session/index.ts';
import { loadOrCreateSigningKey } from '../identity/index.ts';
import { startListeners } from '../http/server.ts';
import { startDemoApp } from '../demo/app.ts';
import { logger } from '../shared/logger.ts';
import { seedDemo, demoInstructions } from './demo.ts';
import { startMailWorker } from '../notification/index.ts';
import { startRenewalNotices } from '../enrollment/renewal-schedule.ts';
import { startPeriodicJob } from '../shared/periodic.ts';
import { sendInvitationReminders } from '../people/invitations.ts';

/** `passerelle serve` and `npm start` (with --demo): everything in one process. */
export async function serve(options: { demo: boolean; json: boolean }): Promise<void> {
  const config: Config = loadConfig(options.demo ? { overrides: { demo: { enabled: true } } } : {});
  const runtime = await openRuntime(config, { createPkiIfMissing: config.mode === 'development' });
  const sessions = createSessionBackend({ redisUrl: config.redis.url });
  await sessions.ready();
  const signingKey = await loadOrCreateSigningKey(pkiDir(config));
  const listeners = await startListeners(runtime, { sessions, sessionSecret: sessionSecret(config, runtime.random), signingKey });
  const mailWorker = startMailWorker(runtime);
  const renewalNotices = startRenewalNotices(runtime);
  const invitationReminders = startPeriodicJob('invitation reminders', () => sendInvitationReminders(runtime), 3_600_000);
  logger.info('listening', { public: listeners.publicPort, gateway: listeners.gatewayPort, database: config.database.url ? 'postgres' : 'sqlite', sessions: sessions.kind });

  let demoApp: { close(): Promise<void> } | null = null;
  if (config.demo.enabled) {
    const seeded = await seedDemo(runtime);
    const publicBase = `https://127.0.0.1:${listeners.publicPort}`;
    demoApp = await startDemoApp({
      port: config.demo.port,
      host: '127.0.0.1',
      jwksUrl: `${publicBase}/.well-known/jwks.json`,
      issuer: config.publicUrl,
      audience: config.applications[0]?.id ?? 'opendrp',
      caPem: runtime.pki.chainPem,
    });
    process.stdout.write(`${demoInstructions(config, seeded, listeners)}\n`);
  }

  const stop = async (signal: string) => {
    logger.info('stopping', { signal });
    await demoApp?.close();
    await listeners.close();
    await renewalNotices.stop();
    await invitationReminders.stop();
    await mailWorker.stop();
    await sessions.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
