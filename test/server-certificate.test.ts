/**
 * Issue 13 point 6: each listener's server certificate from files (any CA: here two throw-away
 * test CAs made with openssl), swapped on file change or SIGHUP without dropping open
 * connections; our CA stays the trust anchor for client certificates on the gateway; the
 * withdrawal page says whether a root must be trusted.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls, { type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_HOST, freePort, startTestGateway, type ClientCertificate, type TestGateway } from './helpers/gateway.ts';
import { loadConfig } from '../src/config/index.ts';
import { openRuntime } from '../src/app/runtime.ts';
import { startListeners } from '../src/http/server.ts';
import { createSessionBackend } from '../src/session/index.ts';
import { loadOrCreateSigningKey } from '../src/identity/index.ts';
import { pkiDir } from '../src/config/index.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'passerelle-servercert-'));

interface Issued {
  caPem: string;
  certPem: string;
  keyPem: string;
  fingerprint: string;
}

/** A test CA and a server certificate it signs for localhost, the application host and 127.0.0.1 (openssl CLI). */
function issueWithNewCa(name: string): Issued {
  const dir = path.join(work, name);
  execFileSync('mkdir', ['-p', dir]);
  const file = (f: string) => path.join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  execFileSync('openssl', ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', `/CN=Test CA ${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { stdio: 'pipe' });
  execFileSync('openssl', ['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', `/CN=Passerelle ${name}`], { stdio: 'pipe' });
  writeFileSync(file('ext.cnf'), `subjectAltName=DNS:localhost,DNS:${APP_HOST},IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  execFileSync('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem'), '-days', '2', '-extfile', file('ext.cnf')], { stdio: 'pipe' });
  const certPem = readFileSync(file('server.pem'), 'utf8');
  return { caPem: readFileSync(file('ca.pem'), 'utf8'), certPem, keyPem: readFileSync(file('server.key'), 'utf8'), fingerprint: new X509Certificate(certPem).fingerprint256 };
}

const live = path.join(work, 'live');
const certFile = path.join(live, 'fullchain.pem');
const keyFile = path.join(live, 'privkey.pem');

/** Like a deploy tool: write beside, then rename over (the watched files are replaced, not edited). */
function install(pair: { certPem: string; keyPem: string }): void {
  writeFileSync(`${keyFile}.new`, pair.keyPem, { mode: 0o600 });
  writeFileSync(`${certFile}.new`, pair.certPem);
  renameSync(`${keyFile}.new`, keyFile);
  renameSync(`${certFile}.new`, certFile);
}

/** The certificate a fresh handshake gets, verified against `ca`. */
async function presented(port: number, servername: string, ca: string[]): Promise<string> {
  const socket = tls.connect({ host: '127.0.0.1', port, servername, ca });
  await once(socket, 'secureConnect');
  const fingerprint = socket.getPeerX509Certificate()!.fingerprint256;
  socket.destroy();
  return fingerprint;
}

/** Waits until every listener named has reported a reload (file watch). */
async function reloadedAll(gw: TestGateway, names: string[]): Promise<void> {
  const left = new Set(names);
  while (left.size > 0) {
    const [name] = (await once(gw.listeners.certificates, 'reloaded')) as [string];
    left.delete(name);
  }
}

function get(agent: https.Agent, port: number, host: string, ca: string[], pathname: string, cert?: ClientCertificate): Promise<{ status: number; body: string; socket: TLSSocket }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, servername: host, headers: { host, accept: 'text/html' }, path: pathname, ca, agent, cert: cert?.certPem, key: cert?.keyPem }, (res) => {
      const chunks: Buffer[] = [];
      // Read now: a keep-alive socket goes back to the agent (res.socket null) once the body ends.
      const socket = res.socket as TLSSocket;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), socket }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('server certificates from files', () => {
  let a: Issued;
  let b: Issued;
  let gw: TestGateway;
  beforeAll(async () => {
    a = issueWithNewCa('A');
    b = issueWithNewCa('B');
    execFileSync('mkdir', ['-p', live]);
    install(a);
    const [publicPort, gatewayPort] = [await freePort(), await freePort()];
    const files = { certFile, keyFile };
    gw = await startTestGateway({
      overrides: { listeners: { public: { host: '127.0.0.1', port: publicPort, tls: files }, gateway: { host: '127.0.0.1', port: gatewayPort, tls: files } } },
    });
  });
  afterAll(async () => {
    await gw?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('both listeners present the operator certificate (test CA A), not our PKI one', async () => {
    expect(await presented(gw.listeners.publicPort, 'localhost', [a.caPem])).toBe(a.fingerprint);
    expect(await presented(gw.listeners.gatewayPort, APP_HOST, [a.caPem])).toBe(a.fingerprint);
    // Our PKI no longer vouches for the server: a client trusting only our CA refuses it.
    await expect(presented(gw.listeners.publicPort, 'localhost', [gw.runtime.pki.chainPem])).rejects.toThrow();
  });

  it('the gateway still checks client certificates against our CA', async () => {
    const user = await gw.user();
    const cert = await gw.personalCertificate(user);
    const agent = new https.Agent({ keepAlive: false });
    const withCert = await get(agent, gw.listeners.gatewayPort, APP_HOST, [a.caPem], '/.passerelle/login?next=/', cert);
    expect(withCert.status).toBe(200);
    expect(withCert.body).toContain(user.identifier);
    // A certificate from another CA (the operator's server CA included) is not a client certificate of ours.
    const foreign = { certPem: b.certPem, keyPem: b.keyPem, serial: '-', fingerprint: b.fingerprint };
    const refused = await get(agent, gw.listeners.gatewayPort, APP_HOST, [a.caPem], '/.passerelle/login?next=/', foreign);
    expect(refused.status).not.toBe(200);
    expect(refused.body).not.toContain(user.identifier);
  });

  it('the withdrawal page says no root needs trusting', async () => {
    const page = await get(new https.Agent(), gw.listeners.publicPort, 'localhost', [a.caPem], '/retrait');
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-root="none"');
    expect(page.body).not.toContain('href="/pki/ca.pem"');
  });

  it('files replaced → new handshakes get certificate B, an open keep-alive connection goes on', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(agent, gw.listeners.publicPort, 'localhost', [a.caPem], '/retrait');
    expect(first.status).toBe(200);
    expect(first.socket.getPeerX509Certificate()!.fingerprint256).toBe(a.fingerprint);

    const reloaded = reloadedAll(gw, ['public', 'gateway']);
    install(b);
    await reloaded;

    expect(await presented(gw.listeners.publicPort, 'localhost', [b.caPem])).toBe(b.fingerprint);
    expect(await presented(gw.listeners.gatewayPort, APP_HOST, [b.caPem])).toBe(b.fingerprint);
    const again = await get(agent, gw.listeners.publicPort, 'localhost', [a.caPem], '/retrait');
    expect(again.status).toBe(200);
    expect(again.socket).toBe(first.socket); // the same connection (made with certificate A), not a new handshake
    agent.destroy();
  });

  it('SIGHUP rereads the files at once', async () => {
    install(a);
    process.emit('SIGHUP', 'SIGHUP');
    // reload() ran synchronously in the signal handler: the next handshake already gets A.
    expect(await presented(gw.listeners.publicPort, 'localhost', [a.caPem])).toBe(a.fingerprint);
  });

  it('a key that does not match the certificate is refused: the previous certificate stays', async () => {
    const failed = once(gw.listeners.certificates, 'failed');
    writeFileSync(keyFile, b.keyPem); // certificate A with key B
    expect(gw.listeners.certificates.reload()).toBe(false);
    const [, error] = (await failed) as [string, Error];
    expect(error).toMatchObject({ code: 'server_certificate_invalid' });
    expect(await presented(gw.listeners.publicPort, 'localhost', [a.caPem])).toBe(a.fingerprint);
    install(a);
  });
});

describe('server certificate defaults and start-up checks', () => {
  it('without files: our PKI certificate, and the withdrawal page links our root to trust', async () => {
    const gw = await startTestGateway();
    try {
      const page = await gw.request({ port: 'public', host: 'localhost', path: '/retrait' });
      expect(page.status).toBe(200);
      expect(page.body).toContain('data-root="trust"');
      expect(page.body).toContain('href="/pki/ca.pem"');
    } finally {
      await gw.close();
    }
  });

  it('a listener whose files are unusable does not start (server_certificate_invalid, naming the file)', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-servercert-bad-'));
    const missing = path.join(dataDir, 'absent.pem');
    const config = loadConfig({
      env: { PASSERELLE_DATA_DIR: dataDir, DATABASE_URL: '' },
      overrides: { listeners: { public: { host: '127.0.0.1', port: await freePort(), tls: { certFile: missing, keyFile: missing } }, gateway: { host: '127.0.0.1', port: await freePort() } } },
    });
    const runtime = await openRuntime(config, { createPkiIfMissing: true });
    const sessions = createSessionBackend({ redisUrl: null });
    try {
      const signingKey = await loadOrCreateSigningKey(pkiDir(config));
      const error: unknown = await startListeners(runtime, { sessions, sessionSecret: 'x'.repeat(32), signingKey }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'server_certificate_invalid' });
      expect((error as Error).message).toContain(missing);
    } finally {
      await sessions.close();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
