/**
 * The composition root: opens storage and the PKI and builds the core services every feature is
 * given (src/core/runtime.ts). Only src/app and the CLI import this file.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pkiDir, type Config } from '../config/index.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { cryptoRandom, type Random } from '../shared/random.ts';
import { PasserelleError } from '../shared/errors.ts';
import { openStorage } from '../storage/index.ts';
import { Auditor } from '../audit/auditor.ts';
import { AccountService } from '../accounts/service.ts';
import { CertificateAuthority } from '../ca/authority.ts';
import { initPki, loadPki, loadPkiReadOnly, pkiExists, ensureServerCertificate, type Pki, type PkiOptions } from '../pki/index.ts';
import type { Runtime } from '../core/runtime.ts';
import { localChannel, redisChannel } from '../events/index.ts';

export type { Runtime };

export interface RuntimeOptions {
  clock?: Clock;
  random?: Random;
  /** Development: create the PKI when it is missing (npm start, tests). */
  createPkiIfMissing?: boolean;
  /** `read`: the CA key is not decrypted (no passphrase needed); for CLI commands that neither sign nor revoke. */
  ca?: 'sign' | 'read';
}

/** Host names the server certificate must cover: configured ones, the public host, every application. */
export function serverHosts(config: Config): string[] {
  const hosts = new Set(config.pki.serverHosts);
  hosts.add(new URL(config.publicUrl).hostname);
  for (const app of config.applications) hosts.add(app.host);
  hosts.add(config.console.host);
  if (config.cps.enabled) hosts.add(config.cps.registrationHost);
  return [...hosts];
}

export function pkiOptions(config: Config, clock: Clock): PkiOptions {
  return {
    dir: pkiDir(config),
    passphrase: config.pki.passphrase,
    organization: config.pki.organization,
    country: config.pki.country,
    validityDays: config.pki.validityDays,
    serverHosts: serverHosts(config),
    clock,
    crlUrl: new URL('/crl/passerelle.crl', config.publicUrl).toString(),
    ocspUrl: new URL('/ocsp', config.publicUrl).toString(),
  };
}

/** Loads (or, in development, creates) the PKI and makes sure the server certificate covers every host. */
export async function openPki(config: Config, clock: Clock, create: boolean): Promise<Pki> {
  const options = pkiOptions(config, clock);
  if (!(await pkiExists(options.dir))) {
    if (!create || config.mode === 'production' || !config.pki.autoInit) {
      throw new PasserelleError(500, 'pki_missing', `no PKI in ${options.dir}: run \`passerelle pki init\` first`);
    }
    return initPki(options);
  }
  return ensureServerCertificate(await loadPki(options), options.serverHosts);
}

/**
 * The secrets of session cookies, newest first: the first signs, every one verifies (express-session
 * takes the list), so a rotation keeps cookies issued before it. Configured, or generated once into the
 * data directory in development.
 */
export function sessionSecret(config: Config, random: Random): string[] {
  if (config.session.secret) return [config.session.secret, ...config.session.previousSecrets];
  if (config.mode === 'production') throw new PasserelleError(500, 'session_secret_missing', 'session.secret is required in production');
  const file = path.join(config.dataDir, 'secrets', 'session-secret');
  if (existsSync(file)) return [readFileSync(file, 'utf8').trim()];
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = random.bytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return [secret];
}

export async function openRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? cryptoRandom;
  mkdirSync(config.dataDir, { recursive: true });
  const storage = await openStorage({ databaseUrl: config.database.url, dataDir: config.dataDir });
  try {
    const pki = options.ca === 'read' ? await loadPkiReadOnly(pkiOptions(config, clock)) : await openPki(config, clock, options.createPkiIfMissing ?? false);
    const auditor = new Auditor(storage.audit, clock);
    const accounts = new AccountService({ storage, clock, random, auditor, applicationIds: () => config.applications.map((a) => a.id), provisionalTtlMs: config.accounts.provisionalPasswordDays * 86_400_000 });
    const authority = new CertificateAuthority({ pki, storage, clock, random, auditor, organization: config.pki.organization, crlValidityHours: config.pki.crlValidityHours });
    // Redis carries invalidations to the other workers and replicas; the store's change counter is the fallback.
    const events = config.redis.url ? redisChannel({ url: config.redis.url }) : localChannel();
    storage.changes.onChange((tables) => events.publish({ kind: 'store', tables }));
    const close = async () => {
      await events.close();
      await storage.close();
    };
    return { config, clock, random, storage, pki, auditor, accounts, authority, events, close };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
