import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config/index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function yamlFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'passerelle-config-')), 'passerelle.yaml');
  writeFileSync(file, text);
  return file;
}

describe('configuration', () => {
  it('loads the defaults: SQLite, in-process sessions, files for mail, ports 8443/9443', () => {
    const config = loadConfig({ env: {} });
    expect(config.database.url).toBeNull();
    expect(config.redis.url).toBeNull();
    expect(config.smtp.url).toBeNull();
    expect(config.listeners.public.port).toBe(8443);
    expect(config.listeners.gateway.port).toBe(9443);
    expect(config.publicUrl).toBe('https://localhost:8443');
    expect(config.session.idleTimeoutMinutes).toBe(45);
    expect(config.lockout.maxFailures).toBe(5);
    expect(config.applications[0]).toMatchObject({ id: 'opendrp', host: 'opendrp.localhost', headers: { user: 'X-Passerelle-User' } });
  });

  it('merges PASSERELLE_CONFIG over the defaults and the environment over both', () => {
    const file = yamlFile(`
listeners:
  gateway: { port: 10443 }
session:
  idleTimeoutMinutes: 30
applications:
  - id: labo
    name: Résultats de laboratoire
    host: labo.localhost
    upstream: http://127.0.0.1:9000
    headers: { user: X-Remote-User }
`);
    const config = loadConfig({ env: { PASSERELLE_CONFIG: file, PASSERELLE_GATEWAY_PORT: '11443', DATABASE_URL: 'postgres://u:p@db/passerelle', REDIS_URL: 'redis://cache:6379' } });
    expect(config.listeners.gateway.port).toBe(11443);
    expect(config.listeners.public.port).toBe(8443);
    expect(config.session.idleTimeoutMinutes).toBe(30);
    expect(config.session.absoluteTimeoutHours).toBe(12);
    expect(config.database.url).toBe('postgres://u:p@db/passerelle');
    expect(config.redis.url).toBe('redis://cache:6379');
    expect(config.applications).toHaveLength(1);
    expect(config.applications[0]!.headers).toMatchObject({ user: 'X-Remote-User', assertion: 'X-Passerelle-Assertion' });
  });

  it('reports every error at once, each with its path', () => {
    const file = yamlFile(`
applications:
  - { id: OpenDRP, name: '', host: 'Bad Host', upstream: 'ftp://x' }
  - { id: b, name: B, host: b.localhost, upstream: 'http://x', headers: { user: Cookie } }
  - { id: b, name: C, host: b.localhost, upstream: 'http://y' }
lockout: { maxFailures: 0 }
surprise: true
`);
    let error: unknown;
    try {
      loadConfig({ env: { PASSERELLE_CONFIG: file, PASSERELLE_PUBLIC_PORT: 'abc', SMTP_URL: 'mailto:x' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const fragment of ['applications.0.id', 'applications.0.name', 'applications.0.host', 'applications.0.upstream', 'applications.1.headers.user', 'applications.2.id: duplicate', 'applications.2.host: duplicate', 'lockout.maxFailures', 'listeners.public.port', 'smtp.url', 'surprise']) {
      expect(problems).toContain(fragment);
    }
  });

  it('requires secrets in production', () => {
    expect(() => loadConfig({ env: { NODE_ENV: 'production' } })).toThrow(/pki\.passphrase[\s\S]*session\.secret/);
    const config = loadConfig({ env: { NODE_ENV: 'production', PASSERELLE_PKI_PASSPHRASE: 'a long enough passphrase', PASSERELLE_SESSION_SECRET: 'x'.repeat(40) } });
    expect(config.mode).toBe('production');
  });

  it('the CLI refuses to start on a bad configuration and lists the problems', async () => {
    const file = yamlFile('listeners: { gateway: { port: -1 } }\nassertion: { ttlSeconds: 3600 }\n');
    const result = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), 'config'], { env: { ...process.env, PASSERELLE_CONFIG: file }, cwd: ROOT }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in result && result.code).toBe(78);
    expect((result as { stderr: string }).stderr).toMatch(/listeners\.gateway\.port[\s\S]*assertion\.ttlSeconds/);
  });
});
