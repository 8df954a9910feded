// The OCSP responder on the public listener, asked by the real `openssl ocsp` over real TLS, before and
// right after a revocation made by the CLI in another process; on every storage backend.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import { BasicOCSPResponse, OCSPRequest, OCSPResponse } from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkiOptions } from '../src/app/runtime.ts';
import { metricsText } from '../src/observability/metrics.ts';
import { ensureServerCertificate, generateKeyPair, initPki, issueClientCertificate, loadPki, OCSP_RESPONDER_FILE, type PkiOptions } from '../src/pki/index.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { databaseBackends } from './helpers/backends.ts';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');

/** Runs the real CLI in another process against the same data directory and database. */
function cli(gw: TestGateway, args: string[]) {
  return run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), ...args], { env: { ...process.env, ...gw.env, PASSERELLE_PUBLIC_URL: gw.config.publicUrl }, cwd: ROOT });
}

/**
 * The real openssl binary, run asynchronously (the server answering it lives in this process); never
 * rejects, so failures can be asserted on too.
 */
function openssl(args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, out: Buffer.concat(chunks).toString('utf8') }));
  });
}

const NONCE = '1.3.6.1.5.5.7.48.1.2';

/** passerelle_ocsp_answers_total for one result, as /metrics shows it. */
async function answers(result: string): Promise<number> {
  const line = (await metricsText()).split('\n').find((l) => l.startsWith(`passerelle_ocsp_answers_total{result="${result}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

function basicOf(der: Buffer): BasicOCSPResponse {
  const outer = new OCSPResponse({ schema: asn1js.fromBER(new Uint8Array(der)).result });
  return BasicOCSPResponse.fromBER(outer.responseBytes!.response.valueBlock.valueHexView.slice());
}

/** The OCSPResponseStatus of a DER OCSPResponse (0 successful, 1 malformedRequest, 6 unauthorized…). */
function responseStatus(der: Buffer): number {
  const asn1 = asn1js.fromBER(new Uint8Array(der));
  return new OCSPResponse({ schema: asn1.result }).responseStatus.valueBlock.valueDec;
}

async function post(gw: TestGateway, body: Buffer, contentType = 'application/ocsp-request'): Promise<Answer> {
  return fetchPublic(gw, { method: 'POST', path: '/ocsp', body, headers: { 'content-type': contentType } });
}

interface Answer {
  status: number;
  type: string;
  cacheControl: string;
  der: Buffer;
}

async function fetchPublic(gw: TestGateway, o: { method: string; path: string; body?: Buffer; headers?: Record<string, string> }): Promise<Answer> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: gw.listeners.publicPort, servername: 'localhost', method: o.method, path: o.path, headers: { host: 'localhost', ...o.headers }, ca: gw.runtime.pki.chainPem, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', cacheControl: res.headers['cache-control'] ?? '', der: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

describe.each(databaseBackends())('OCSP responder on $name', ({ url }) => {
  let gw: TestGateway;
  let dir: string;
  let issuerFile: string;
  let caFile: string;
  let ocspUrl: string;

  /** `openssl ocsp` against our responder for `certFile` (or a bare serial), verified with our CA chain. */
  function ask(target: { certFile: string } | { serial: string }, issuer = issuerFile): Promise<{ status: number | null; out: string }> {
    const which = 'certFile' in target ? ['-cert', target.certFile] : ['-serial', `0x${target.serial}`];
    return openssl(['ocsp', '-issuer', issuer, ...which, '-url', ocspUrl, '-CAfile', caFile, '-timeout', '20']);
  }

  async function certificateFile(name: string): Promise<{ file: string; serial: string }> {
    const holder = await gw.user();
    const cert = await gw.personalCertificate(holder);
    const file = path.join(dir, `${name}.pem`);
    writeFileSync(file, cert.certPem);
    return { file, serial: cert.serial };
  }

  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
    dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-ocsp-'));
    issuerFile = path.join(dir, 'issuing.pem');
    caFile = path.join(dir, 'ca.pem');
    writeFileSync(issuerFile, gw.runtime.pki.issuingPem);
    writeFileSync(caFile, gw.runtime.pki.chainPem);
    // The host openssl connects to: the public listener binds 127.0.0.1 only.
    ocspUrl = `https://127.0.0.1:${gw.listeners.publicPort}/ocsp`;
  });
  afterAll(async () => {
    await gw?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says good, then revoked (time and reason) right after `passerelle cert revoke` in another process', async () => {
    const { file, serial } = await certificateFile('holder');
    const [good, revoked] = [await answers('good'), await answers('revoked')];
    const before = await ask({ certFile: file });
    expect(before.out).toContain('Response verify OK');
    expect(before.out).toContain(`${file}: good`);
    expect(before.out).toMatch(/This Update: .+\n\s+Next Update: /);
    // openssl sends a nonce by default and warns when it does not come back.
    expect(before.out).not.toContain('WARNING');

    const { stdout } = await cli(gw, ['--json', 'cert', 'revoke', serial, '--reason', 'keyCompromise']);
    expect(JSON.parse(stdout)).toMatchObject({ serial, status: 'revoked' });

    const after = await ask({ certFile: file });
    expect(after.out).toContain('Response verify OK');
    expect(after.out).toContain(`${file}: revoked`);
    expect(after.out).toContain('Reason: keyCompromise');
    // Counted (not audited): one good, then one revoked.
    expect(await answers('good')).toBe(good + 1);
    expect(await answers('revoked')).toBe(revoked + 1);
    const revokedAt = (await gw.runtime.storage.certificates.findBySerial(serial))!.revokedAt!;
    const shown = /Revocation Time: (.+)/.exec(after.out)?.[1];
    expect(new Date(shown!).getTime()).toBe(Math.floor(revokedAt / 1000) * 1000);
  });

  it('says unknown for a serial we never issued', async () => {
    const res = await ask({ serial: randomBytes(16).toString('hex').replace(/^./, '4') });
    expect(res.out).toContain('Response verify OK');
    expect(res.out).toMatch(/: unknown/);
  });

  it('says good for our TLS server certificate, which names the responder too', async () => {
    const file = path.join(dir, 'server.pem');
    writeFileSync(file, gw.runtime.pki.server.certPem);
    const res = await ask({ certFile: file });
    expect(res.out).toContain('Response verify OK');
    expect(res.out).toContain(`${file}: good`);
  });

  it('answers unauthorized for a certificate of another CA', async () => {
    const foreign = await initPki({ dir: path.join(dir, 'foreign'), passphrase: null, organization: 'Autre AC', country: 'FR', validityDays: gw.config.pki.validityDays, serverHosts: ['localhost'], clock: new ManualClock(Date.now()) });
    const keys = await generateKeyPair('ec-p256');
    const issued = await issueClientCertificate(foreign, { kind: 'personal', identifier: 'intrus.x', givenName: 'In', familyName: 'Trus', email: 'x@example.org' }, keys.publicKey);
    writeFileSync(path.join(dir, 'foreign-issuing.pem'), foreign.issuingPem);
    writeFileSync(path.join(dir, 'foreign.pem'), issued.pem);
    const res = await ask({ certFile: path.join(dir, 'foreign.pem') }, path.join(dir, 'foreign-issuing.pem'));
    expect(res.out).toContain('Responder Error: unauthorized (6)');
  });

  it('answers malformedRequest to a garbage body, an empty one, an oversized one and a bad GET path, as OCSP responses', async () => {
    for (const body of [Buffer.from('this is not DER'), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])]) {
      const res = await post(gw, body);
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/ocsp-response');
      expect(responseStatus(res.der)).toBe(1);
    }
    const malformed = await answers('malformedRequest');
    const empty = await post(gw, Buffer.alloc(0));
    expect(responseStatus(empty.der)).toBe(1);
    const huge = await post(gw, Buffer.alloc(20_000, 0x30));
    expect(huge.type).toBe('application/ocsp-response');
    expect(responseStatus(huge.der)).toBe(1);
    expect(await answers('malformedRequest')).toBe(malformed + 2);
    const get = await fetchPublic(gw, { method: 'GET', path: '/ocsp/%%%not-base64' });
    expect(get.type).toBe('application/ocsp-response');
    expect(responseStatus(get.der)).toBe(1);
  });

  it('answers a GET request (RFC 6960 A.1) like a POST, nonce echoed', async () => {
    const { file } = await certificateFile('get');
    const reqFile = path.join(dir, 'get.req');
    expect((await openssl(['ocsp', '-issuer', issuerFile, '-cert', file, '-reqout', reqFile])).status).toBe(0);
    const request = readFileSync(reqFile);
    const res = await fetchPublic(gw, { method: 'GET', path: `/ocsp/${encodeURIComponent(request.toString('base64'))}` });
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/ocsp-response');
    expect(res.cacheControl).toBe('no-cache');
    const respFile = path.join(dir, 'get.resp');
    writeFileSync(respFile, res.der);
    // (-reqin is ignored once -cert builds a request, so the nonce is compared here rather than by openssl.)
    const read = await openssl(['ocsp', '-respin', respFile, '-issuer', issuerFile, '-cert', file, '-CAfile', caFile, '-no_nonce']);
    expect(read.out).toContain('Response verify OK');
    expect(read.out).toContain(`${file}: good`);
    const sent = OCSPRequest.fromBER(new Uint8Array(request)).tbsRequest.requestExtensions?.find((e) => e.extnID === NONCE);
    const echoed = basicOf(res.der).tbsResponseData.responseExtensions?.find((e) => e.extnID === NONCE);
    expect(sent).toBeDefined();
    expect(Buffer.from(echoed!.extnValue.valueBlock.valueHexView).toString('hex')).toBe(Buffer.from(sent!.extnValue.valueBlock.valueHexView).toString('hex'));
  });
});

describe('responder certificate and revocation pointers', () => {
  let gw: TestGateway;
  let dir: string;
  beforeAll(async () => {
    gw = await startTestGateway();
    dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-ocsp-pki-'));
  });
  afterAll(async () => {
    await gw?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function text(pem: string): Promise<string> {
    const file = path.join(dir, `${randomBytes(4).toString('hex')}.pem`);
    writeFileSync(file, pem);
    return (await openssl(['x509', '-in', file, '-noout', '-text'])).out;
  }

  it('issued client certificates and the server certificate carry the OCSP address (AIA) and the CRL address', async () => {
    const personal = await gw.personalCertificate(await gw.user());
    const collective = await gw.collectiveCertificate(await gw.establishment());
    const base = gw.config.publicUrl;
    for (const pem of [personal.certPem, collective.certPem, gw.runtime.pki.server.certPem]) {
      const out = await text(pem);
      expect(out).toContain('Authority Information Access');
      expect(out).toContain(`OCSP - URI:${base}/ocsp`);
      expect(out).toContain('X509v3 CRL Distribution Points');
      expect(out).toContain(`URI:${base}/crl/passerelle.crl`);
    }
  });

  it('the responder certificate is a delegated OCSP signer of the issuing CA, no-check, short-lived, key kept 0600', async () => {
    const { pki } = gw.runtime;
    const out = await text(pki.ocspResponder.certPem);
    expect(out).toContain('OCSP Signing');
    expect(out).toContain('OCSP No Check');
    expect(out).toContain('CA:FALSE');
    expect(out).not.toContain('Authority Information Access');
    expect(pki.ocspResponder.cert.issuer).toBe(pki.issuing.subject);
    const days = (pki.ocspResponder.cert.notAfter.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(80);
    expect(days).toBeLessThan(91);
    const file = path.join(pki.dir, OCSP_RESPONDER_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The chain verifies with openssl, with the purpose OCSP helpers check.
    const certFile = path.join(dir, 'responder.pem');
    const caFile = path.join(dir, 'ca.pem');
    writeFileSync(certFile, pki.ocspResponder.certPem);
    writeFileSync(caFile, pki.chainPem);
    expect((await openssl(['verify', '-CAfile', caFile, '-purpose', 'ocsphelper', certFile])).out).toContain(': OK');
  });

  it('a PKI directory made before OCSP gets a responder and a server certificate naming it on first start', async () => {
    const clock = new ManualClock(Date.now());
    const old: PkiOptions = { dir: path.join(dir, 'old-pki'), passphrase: 'a passphrase of enough length', organization: 'ENRS Test', country: 'FR', validityDays: gw.config.pki.validityDays, serverHosts: ['localhost'], clock };
    await initPki(old);
    rmSync(path.join(old.dir, OCSP_RESPONDER_FILE));
    const oldServer = await text(readFileSync(path.join(old.dir, 'server.pem'), 'utf8'));
    expect(oldServer).not.toContain('Authority Information Access');

    const current = { ...old, crlUrl: 'https://portail.example.org/crl/passerelle.crl', ocspUrl: 'https://portail.example.org/ocsp' };
    const pki = await ensureServerCertificate(await loadPki(current), []);
    expect(existsSync(path.join(old.dir, OCSP_RESPONDER_FILE))).toBe(true);
    // The key on disk is encrypted with the PKI passphrase, like the CA keys.
    expect(readFileSync(path.join(old.dir, OCSP_RESPONDER_FILE), 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(await text(pki.server.certPem)).toContain('OCSP - URI:https://portail.example.org/ocsp');
    expect(await text(readFileSync(path.join(old.dir, 'server.pem'), 'utf8'))).toContain('URI:https://portail.example.org/crl/passerelle.crl');
    // Loaded again: the same responder (nothing re-created).
    expect((await loadPki(current)).ocspResponder.certPem).toBe(pki.ocspResponder.certPem);
    // A responder within 30 days of expiry is replaced on load.
    clock.advance(70 * 86_400_000);
    const renewed = await loadPki(current);
    expect(renewed.ocspResponder.certPem).not.toBe(pki.ocspResponder.certPem);
  });

  it('the runtime PKI options name the public URL', () => {
    const options = pkiOptions(gw.config, gw.clock);
    expect(options.ocspUrl).toBe(`${gw.config.publicUrl}/ocsp`);
    expect(options.crlUrl).toBe(`${gw.config.publicUrl}/crl/passerelle.crl`);
  });
});

describe('OCSP response structure', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('is signed by the responder, names it by key, and lasts an hour from thisUpdate', async () => {
    const holder = await gw.user();
    const cert = await gw.personalCertificate(holder);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-ocsp-struct-'));
    try {
      writeFileSync(path.join(dir, 'issuing.pem'), gw.runtime.pki.issuingPem);
      writeFileSync(path.join(dir, 'cert.pem'), cert.certPem);
      const reqOut = await openssl(['ocsp', '-issuer', path.join(dir, 'issuing.pem'), '-cert', path.join(dir, 'cert.pem'), '-no_nonce', '-reqout', path.join(dir, 'r.der')]);
      expect(reqOut.status).toBe(0);
      const res = await post(gw, readFileSync(path.join(dir, 'r.der')));
      expect(responseStatus(res.der)).toBe(0);
      const basic = basicOf(res.der);
      expect(basic.tbsResponseData.responseExtensions).toBeUndefined();
      const single = basic.tbsResponseData.responses[0]!;
      expect(single.nextUpdate!.getTime() - single.thisUpdate.getTime()).toBe(3_600_000);
      expect(basic.tbsResponseData.responderID).toBeInstanceOf(asn1js.OctetString);
      expect(basic.certs).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
