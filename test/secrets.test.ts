/**
 * Issue 13, item 7: secrets. `*_FILE` variants, every credential masked by `passerelle config`, read-only
 * CLI commands without the CA passphrase, session-secret lists (old cookies still verify) and rotation of
 * the assertion signing key (old key published until its assertions expire, through a real gateway).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sign, unsign } from 'cookie-signature';
import { decodeProtectedHeader } from 'jose';
import { ConfigError, loadConfig, maskSecrets, pkiDir, SECRET_ENV } from '../src/config/index.ts';
import { sessionSecret } from '../src/app/runtime.ts';
import { cryptoRandom } from '../src/shared/random.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { jwks, listSigningKeys, loadOrCreateSigningKey, PUBLICATION_MARGIN_SECONDS, rotateSigningKey, SigningKeyRing } from '../src/identity/index.ts';
import { unsignSessionId } from '../src/http/gateway/session-cookie.ts';
import { signIn, startTestGateway, type TestGateway } from './helpers/gateway.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/passerelle.js');
const run = promisify(execFile);
const dirs: string[] = [];

function tempDir(prefix = 'passerelle-secrets-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function secretFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

/** The CLI in a child process, from the sources; never throws: exit code, stdout, stderr. */
async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // Only what the command should see: none of the secrets a developer may have exported.
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), PASSERELLE_COMPILED: '0', DATABASE_URL: '' };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...base, ...env }, cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const PASSPHRASE = 'une phrase de passe assez longue';
const SESSION_NEW = 'session-secret-new-0123456789abcdefghij';
const SESSION_OLD = 'session-secret-old-0123456789abcdefghij';

describe('secrets from files (*_FILE)', () => {
  it('reads every secret variable from <NAME>_FILE, a session-secret list included', () => {
    const dir = tempDir();
    const config = loadConfig({
      env: {
        DATABASE_URL_FILE: secretFile(dir, 'db', 'postgres://passerelle:db-pass-1@db.example:5432/passerelle\n'),
        REDIS_URL_FILE: secretFile(dir, 'redis', 'redis://:redis-pass-2@redis.example:6379'),
        SMTP_URL_FILE: secretFile(dir, 'smtp', 'smtp://mailer:smtp-pass-3@smtp.example:587\n'),
        PASSERELLE_PKI_PASSPHRASE_FILE: secretFile(dir, 'pki', `${PASSPHRASE}\n`),
        PASSERELLE_SESSION_SECRET_FILE: secretFile(dir, 'session', `${SESSION_NEW}\n${SESSION_OLD}\n`),
        PASSERELLE_TOTP_ENCRYPTION_KEY_FILE: secretFile(dir, 'totp', 'totp-key-material-0123456789abcdefghij'),
      },
    });
    expect(config.database.url).toBe('postgres://passerelle:db-pass-1@db.example:5432/passerelle');
    expect(config.redis.url).toBe('redis://:redis-pass-2@redis.example:6379');
    expect(config.smtp.url).toBe('smtp://mailer:smtp-pass-3@smtp.example:587');
    expect(config.pki.passphrase).toBe(PASSPHRASE);
    expect(config.session.secret).toBe(SESSION_NEW);
    expect(config.session.previousSecrets).toEqual([SESSION_OLD]);
    expect(config.console.totpEncryptionKey).toBe('totp-key-material-0123456789abcdefghij');
    expect(SECRET_ENV).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'PASSERELLE_PKI_PASSPHRASE', 'PASSERELLE_SESSION_SECRET', 'PASSERELLE_TOTP_ENCRYPTION_KEY']));
  });

  it('refuses a variable given twice, or a file it cannot read, naming the file but never a value', () => {
    const dir = tempDir();
    let problems: string[] = [];
    try {
      loadConfig({ env: { REDIS_URL: 'redis://:inline-pass@r:6379', REDIS_URL_FILE: secretFile(dir, 'redis', 'redis://:file-pass@r:6379'), PASSERELLE_SESSION_SECRET_FILE: path.join(dir, 'absent') } });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems).toContain('REDIS_URL: set either REDIS_URL or REDIS_URL_FILE, not both');
    expect(problems).toContain(`PASSERELLE_SESSION_SECRET_FILE: cannot read ${path.join(dir, 'absent')} (ENOENT)`);
    expect(problems.join('\n')).not.toMatch(/inline-pass|file-pass/);
  });

  it('nothing outside src/config reads process.env', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name) && readFileSync(file, 'utf8').includes('process.env')) offenders.push(path.relative(ROOT, file));
      }
    };
    walk(path.join(ROOT, 'src'));
    const allowed = (file: string) => file.startsWith(`src${path.sep}config${path.sep}`);
    expect(offenders.filter((file) => !allowed(file))).toEqual([]);
  });
});

describe('passerelle config masks every credential', () => {
  const secrets = ['db-pass-1', 'redis-pass-2', 'smtp-pass-3', PASSPHRASE, SESSION_NEW, SESSION_OLD, 'totp-key-material-0123456789abcdefghij', 'libpq-pass-4', 'redis-user-pass-5'];

  it('masks passwords inside URLs (user-info and query) and secret-named fields', () => {
    const masked = maskSecrets({
      database: { url: 'postgres://u:libpq-pass-4@h/db?sslmode=require&password=libpq-pass-4' },
      redis: { url: 'rediss://default:redis-user-pass-5@h:6380/0' },
      smtp: { url: 'smtps://mailer:smtp-pass-3@h:465', from: 'Passerelle <noreply@example.org>' },
      session: { secret: SESSION_NEW, previousSecrets: [SESSION_OLD], cookieName: 'passerelle.sid' },
      accounts: { password: { minLength: 12 } },
      legacy: { passwordField: 'password' },
    });
    expect(JSON.stringify(masked)).not.toMatch(/libpq-pass-4|redis-user-pass-5|smtp-pass-3|session-secret/);
    expect(masked).toEqual({
      database: { url: 'postgres://u:***@h/db?sslmode=require&password=***' },
      redis: { url: 'rediss://default:***@h:6380/0' },
      smtp: { url: 'smtps://mailer:***@h:465', from: 'Passerelle <noreply@example.org>' },
      session: { secret: '***', previousSecrets: ['***'], cookieName: 'passerelle.sid' },
      accounts: { password: { minLength: 12 } },
      legacy: { passwordField: 'password' },
    });
  });

  it('prints no secret, in production without the passphrase, in text and JSON', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const env = {
      PASSERELLE_MODE: 'production',
      PASSERELLE_DATA_DIR: dir,
      DATABASE_URL: 'postgres://passerelle:db-pass-1@db.example:5432/passerelle?password=libpq-pass-4',
      REDIS_URL_FILE: secretFile(dir, 'redis', 'redis://:redis-pass-2@redis.example:6379'),
      SMTP_URL: 'smtp://mailer:smtp-pass-3@smtp.example:587',
      PASSERELLE_SESSION_SECRET: `${SESSION_NEW},${SESSION_OLD}`,
      PASSERELLE_TOTP_ENCRYPTION_KEY: 'totp-key-material-0123456789abcdefghij',
    };
    const text = await cli(env, 'config');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('configuration is valid');
    expect(text.stdout).toContain('note: `serve` needs pki.passphrase in production');
    const json = await cli({ ...env, PASSERELLE_PKI_PASSPHRASE: PASSPHRASE }, '--json', 'config');
    expect(json.code).toBe(0);
    const printed = JSON.parse(json.stdout) as { database: { url: string }; redis: { url: string }; pki: { passphrase: string }; session: { secret: string; previousSecrets: string[] } };
    expect(printed.database.url).toBe('postgres://passerelle:***@db.example:5432/passerelle?password=***');
    expect(printed.redis.url).toBe('redis://:***@redis.example:6379');
    expect(printed.pki.passphrase).toBe('***');
    expect(printed.session).toMatchObject({ secret: '***', previousSecrets: ['***'] });
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) {
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
  });
});

describe('the CLI opens the CA key only to sign or revoke', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = tempDir();
    env = { PASSERELLE_DATA_DIR: dir };
    const init = await cli({ ...env, PASSERELLE_PKI_PASSPHRASE: PASSPHRASE }, '--json', 'pki', 'init');
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({ encrypted: true });
  }, 60_000);

  it('lists registrations, certificates and the audit trail in production with no passphrase nor session secret', { timeout: 90_000 }, async () => {
    const production = { ...env, PASSERELLE_MODE: 'production' };
    for (const args of [['registration', 'list'], ['cert', 'list'], ['audit'], ['keys', 'list']]) {
      const res = await cli(production, '--json', ...args);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(0);
      const data = JSON.parse(res.stdout) as unknown[] | { items: unknown[] };
      expect(Array.isArray(data) ? data : data.items).toEqual([]);
    }
  });

  it('refuses to revoke without the passphrase before changing anything, and revokes with it', { timeout: 90_000 }, async () => {
    const production = await cli({ ...env, PASSERELLE_MODE: 'production' }, '--json', 'cert', 'revoke', '0a1b2c');
    expect(production.code).toBe(78);
    expect(JSON.parse(production.stderr)).toEqual({ error: 'invalid_configuration', problems: ['pki.passphrase: required in production (PASSERELLE_PKI_PASSPHRASE)'] });
    // Development: the configuration is fine, the encrypted CA key is not: refused when opened.
    const development = await cli(env, '--json', 'cert', 'revoke', '0a1b2c');
    expect(development.code).toBe(1);
    expect(JSON.parse(development.stderr)).toMatchObject({ error: 'pki_passphrase' });
    // With the passphrase the CA opens: the serial is then looked up (unknown here: 404).
    const opened = await cli({ ...env, PASSERELLE_PKI_PASSPHRASE_FILE: secretFile(dir, 'pki-pass', `${PASSPHRASE}\n`) }, '--json', 'cert', 'revoke', '0a1b2c');
    expect(JSON.parse(opened.stderr)).toMatchObject({ error: 'certificate_not_found' });
    expect(opened.code).toBe(3);
  });

  it('rotates the signing key without the passphrase and audits it', { timeout: 90_000 }, async () => {
    const production = { ...env, PASSERELLE_MODE: 'production' };
    const first = await cli(production, '--json', 'keys', 'rotate');
    expect(first.code, first.stderr).toBe(0);
    const second = await cli(production, '--json', 'keys', 'rotate');
    expect(second.code, second.stderr).toBe(0);
    const rotated = JSON.parse(second.stdout) as { created: { kid: string; state: string }; keys: Array<{ kid: string; state: string }> };
    expect(rotated.created.state).toBe('current');
    expect(rotated.keys.map((k) => k.state)).toEqual(['retired', 'current']);
    expect(rotated.keys[0]!.kid).toBe((JSON.parse(first.stdout) as { created: { kid: string } }).created.kid);
    const audit = await cli(production, '--json', 'audit', '--action', 'signing-key.rotate');
    expect((JSON.parse(audit.stdout) as Array<{ actor: string }>).length).toBe(2);
  });
});

describe('session secret lists', () => {
  it('puts the current secret first and the previous ones after it', () => {
    const config = loadConfig({ env: { PASSERELLE_SESSION_SECRET: `${SESSION_NEW}, ${SESSION_OLD}` } });
    expect(sessionSecret(config, cryptoRandom)).toEqual([SESSION_NEW, SESSION_OLD]);
    const cookie = `passerelle.sid=${encodeURIComponent(`s:${sign('abc', SESSION_OLD)}`)}`;
    expect(unsignSessionId(cookie, 'passerelle.sid', [SESSION_NEW, SESSION_OLD])).toBe('abc');
    expect(unsignSessionId(cookie, 'passerelle.sid', [SESSION_NEW])).toBeNull();
  });

  describe('through a real gateway', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway({ overrides: { session: { secret: SESSION_NEW, previousSecrets: [SESSION_OLD] } } });
    });
    afterAll(async () => {
      await gw?.close();
    });

    it('keeps a session whose cookie was signed with the previous secret, and signs new ones with the current', async () => {
      const user = await gw.user();
      const cert = await gw.personalCertificate(user);
      const { cookies } = await signIn(gw, cert);
      const name = gw.config.session.cookieName;
      const raw = decodeURIComponent(cookies.get(name)!);
      const id = unsign(raw.slice(2), SESSION_NEW);
      expect(id).not.toBe(false);
      // The same session, its cookie signed as it was before the rotation.
      const before = new Map([[name, encodeURIComponent(`s:${sign(id as string, SESSION_OLD)}`)]]);
      const ok = await gw.request({ path: '/api/whoami', cert, cookies: before, headers: { accept: 'application/json' } });
      expect(ok.status).toBe(200);
      // A secret never configured is refused: back to the login.
      const forged = new Map([[name, encodeURIComponent(`s:${sign(id as string, 'some-other-secret-0123456789abcdefghijkl')}`)]]);
      const refused = await gw.request({ path: '/api/whoami', cert, cookies: forged, headers: { accept: 'application/json' } });
      expect(refused.status).not.toBe(200);
    });
  });
});

describe('signing-key rotation', () => {
  it('signs with the newest key, publishes the previous one until its assertions expire, then drops it', async () => {
    const dir = tempDir();
    const clock = new ManualClock(Date.parse('2026-03-01T08:00:00Z'));
    const ring = await loadOrCreateSigningKey(dir, { assertionTtlSeconds: 30, clock, watch: false });
    const firstKid = ring.kid;
    expect(jwks([ring]).keys.map((k) => k.kid)).toEqual([firstKid]);

    clock.advance(1000);
    const rotation = await rotateSigningKey(dir, { assertionTtlSeconds: 30, clock });
    await ring.reload();
    expect(ring.kid).toBe(rotation.created.kid);
    expect(ring.kid).not.toBe(firstKid);
    expect(jwks([ring]).keys.map((k) => k.kid)).toEqual([firstKid, ring.kid]);

    // Still published one second before lifetime + margin have passed, gone after.
    clock.advance((30 + PUBLICATION_MARGIN_SECONDS) * 1000 - 1);
    expect(jwks([ring]).keys).toHaveLength(2);
    clock.advance(1);
    expect(jwks([ring]).keys.map((k) => k.kid)).toEqual([ring.kid]);
    expect((await listSigningKeys(dir, { assertionTtlSeconds: 30, clock })).map((k) => k.state)).toEqual(['expired', 'current']);

    // The next rotation deletes the expired file; the one it replaces stays published.
    const next = await rotateSigningKey(dir, { assertionTtlSeconds: 30, clock });
    expect(next.deleted).toEqual(['assertion-es256.key.pem']);
    expect(existsSync(path.join(dir, 'assertion-es256.key.pem'))).toBe(false);
    expect(next.keys.map((k) => [k.kid, k.state])).toEqual([
      [rotation.created.kid, 'retired'],
      [next.created.kid, 'current'],
    ]);
  });

  describe('through a real gateway', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway();
    });
    afterAll(async () => {
      await gw?.close();
    });

    it('sends assertions signed with the new key, which the application verifies, and publishes both keys', async () => {
      const user = await gw.user();
      const cert = await gw.personalCertificate(user);
      const { cookies } = await signIn(gw, cert);
      const oldKid = gw.signingKey.kid;

      const rotation = await rotateSigningKey(pkiDir(gw.config), { assertionTtlSeconds: gw.config.assertion.ttlSeconds });
      expect(gw.signingKey).toBeInstanceOf(SigningKeyRing);
      // The directory is watched; reload() makes this test independent of when the notification comes.
      await (gw.signingKey as SigningKeyRing).reload();

      const who = await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } });
      expect(who.status).toBe(200);
      const seen = JSON.parse(who.body) as { verified: boolean; headers: Record<string, string> };
      expect(seen.verified).toBe(true);
      expect(decodeProtectedHeader(seen.headers['x-passerelle-assertion']!).kid).toBe(rotation.created.kid);

      for (const [port, host, pathname] of [['public', 'localhost', '/.well-known/jwks.json'], [undefined, undefined, '/.well-known/passerelle/jwks.json']] as const) {
        const res = await gw.request({ ...(port ? { port, host } : {}), path: pathname, headers: { accept: 'application/json' } });
        expect((JSON.parse(res.body) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid)).toEqual([oldKid, rotation.created.kid]);
      }
    });
  });
});
