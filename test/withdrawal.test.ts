/**
 * POST /api/withdrawal over real TLS, on every storage backend: the code rules (wrong, locked,
 * expired, used, idempotent retry, concurrent use), the CSR checks, the subject taken from the
 * account, and the certificate then opening the gateway.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueWithdrawalCode, withdrawalIdentifier } from '../src/enrollment/withdrawal-codes.ts';
import { readCsr } from '../src/enrollment/withdrawal-csr.ts';
import type { Establishment, User } from '../src/model/index.ts';
import { databaseBackends } from './helpers/backends.ts';
import { startTestGateway, type ClientCertificate, type Response, type TestGateway } from './helpers/gateway.ts';

const DAY = 86_400_000;
const work = mkdtempSync(path.join(os.tmpdir(), 'passerelle-withdrawal-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
/** A fresh key and CSR made by openssl (subject chosen by the requester, to be ignored). */
function opensslCsr(key: 'rsa:2048' | 'rsa:1024' | 'ec' = 'rsa:2048', subject = '/CN=Intrus/O=Evil'): { csr: string; keyPem: string } {
  counter += 1;
  const keyFile = path.join(work, `key-${counter}.pem`);
  const csrFile = path.join(work, `csr-${counter}.pem`);
  const newkey = key === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', key];
  execFileSync('openssl', ['req', '-new', ...newkey, '-nodes', '-keyout', keyFile, '-subj', subject, '-out', csrFile], { stdio: 'pipe' });
  return { csr: readFileSync(csrFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}

/** The same CSR with one bit of its signature flipped. */
function forge(csrPem: string): string {
  const der = Buffer.from(readCsr(csrPem)!.der);
  der[der.length - 5]! ^= 0x01;
  return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}

interface Withdrawal {
  requestId: string;
  code: string;
  identifier: string;
}

describe.each(databaseBackends())('withdrawal API on $name', ({ url }) => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
  });
  afterAll(async () => {
    await gw?.close();
  });

  /** An approved personal (or collective) certificate request and its code, as the cell's approval leaves them. */
  async function approved(owner: User | Establishment, label = 'Cabinet — poste accueil'): Promise<Withdrawal> {
    const { runtime, clock } = gw;
    const requestId = runtime.random.uuid();
    const personal = 'identifier' in owner;
    const now = clock.now().getTime();
    return runtime.storage.transaction(async (repos) => {
      await repos.certificateRequests.insert({
        id: requestId,
        kind: personal ? 'personal' : 'collective',
        userId: personal ? owner.id : null,
        establishmentId: personal ? null : owner.id,
        label,
        requestedBy: personal ? owner.identifier : 'coordinator',
        createdAt: now,
      });
      await repos.certificateRequests.approve(requestId, 'coordinator', now);
      const { code } = await issueWithdrawalCode(repos, { clock, random: runtime.random, validityMs: gw.config.withdrawal.codeValidityDays * DAY }, requestId);
      const request = (await repos.certificateRequests.findById(requestId))!;
      return { requestId, code, identifier: withdrawalIdentifier(request, personal ? owner : null, gw.config.platformDomain) };
    });
  }

  function redeem(body: unknown, accept = 'application/json'): Promise<Response> {
    return gw.request({
      port: 'public',
      host: 'localhost',
      method: 'POST',
      path: '/api/withdrawal',
      headers: { 'content-type': 'application/json', accept },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  const errorOf = (response: Response) => (JSON.parse(response.body) as { error: string }).error;

  it('issues a certificate from the account (not the CSR), verifiable against the chain, that opens the gateway', async () => {
    const user = await gw.user();
    const w = await approved(user);
    const { csr, keyPem } = opensslCsr();
    const response = await redeem({ identifier: w.identifier.toUpperCase(), code: w.code, csr });
    expect(response.status, response.body).toBe(200);
    const body = JSON.parse(response.body) as { certificate: string; chain: string[]; serial: string; label: string };
    expect(body.chain).toEqual([gw.runtime.pki.issuingPem, gw.runtime.pki.rootPem]);
    expect(body.label).toBe('Cabinet — poste accueil');

    const certFile = path.join(work, `cert-${body.serial}.pem`);
    writeFileSync(certFile, body.certificate);
    writeFileSync(path.join(work, 'issuing.pem'), body.chain[0]!);
    writeFileSync(path.join(work, 'root.pem'), body.chain[1]!);
    const verified = execFileSync('openssl', ['verify', '-CAfile', path.join(work, 'root.pem'), '-untrusted', path.join(work, 'issuing.pem'), certFile], { encoding: 'utf8' });
    expect(verified.trim()).toBe(`${certFile}: OK`);

    const x509 = new X509Certificate(body.certificate);
    expect(x509.subject).toContain(`UID=${user.identifier}`);
    expect(x509.subject).toContain('CN=Hélène');
    expect(x509.subject).not.toContain('Intrus');
    expect(x509.subject).not.toContain('Evil');
    expect(x509.subjectAltName).toBe(`email:${user.email}`);
    expect(x509.serialNumber.toLowerCase()).toBe(body.serial);

    const stored = await gw.runtime.storage.certificates.findBySerial(body.serial);
    expect(stored).toMatchObject({ kind: 'personal', userId: user.id, label: 'Cabinet — poste accueil', status: 'valid' });
    const request = await gw.runtime.storage.certificateRequests.findById(w.requestId);
    expect(request).toMatchObject({ status: 'withdrawn', certificateSerial: body.serial });
    const [code] = await gw.runtime.storage.withdrawalCodes.listForRequestIds([w.requestId]);
    expect(code).toMatchObject({ status: 'used', certificateSerial: body.serial, csrSha256: readCsr(csr)!.sha256 });
    expect(code!.codeHash).not.toContain(w.code);

    // The new certificate is a working one: the gateway login shows the identifier, fixed.
    const cert: ClientCertificate = { certPem: body.certificate, keyPem, serial: body.serial, fingerprint: stored!.fingerprintSha256 };
    const login = await gw.request({ path: '/.passerelle/login?next=/', cert });
    expect(login.status).toBe(200);
    expect(login.body).toMatch(new RegExp(`id="identifier"[^>]*value="${user.identifier.replace('.', '\\.')}"`));
    expect(login.body).toMatch(/id="identifier"[^>]*readonly/);

    const audit = await gw.runtime.storage.audit.list({ action: 'withdrawal.redeem', subject: user.identifier });
    expect(audit.map((e) => [e.outcome, e.certificateSerial, e.ip])).toEqual([['success', body.serial, '127.0.0.1']]);
    const issued = await gw.runtime.storage.audit.list({ action: 'certificate.issue', subject: user.identifier });
    expect(issued.map((e) => e.certificateSerial)).toContain(body.serial);
  });

  it('gives the same certificate to the same CSR retried within the window, refuses another CSR, then refuses the retry after it', async () => {
    const user = await gw.user();
    const w = await approved(user);
    const { csr } = opensslCsr('ec');
    const first = await redeem({ identifier: w.identifier, code: w.code, csr });
    expect(first.status, first.body).toBe(200);
    const serial = (JSON.parse(first.body) as { serial: string }).serial;

    gw.clock.advance(5 * 60_000);
    const retry = await redeem({ identifier: w.identifier, code: w.code, csr });
    expect(retry.status).toBe(200);
    expect(JSON.parse(retry.body)).toMatchObject({ serial });

    const other = await redeem({ identifier: w.identifier, code: w.code, csr: opensslCsr('ec').csr });
    expect(other.status).toBe(409);
    expect(errorOf(other)).toBe('code_used');

    gw.clock.advance(gw.config.withdrawal.retryWindowMinutes * 60_000);
    const late = await redeem({ identifier: w.identifier, code: w.code, csr });
    expect(late.status).toBe(409);
    expect(errorOf(late)).toBe('code_used');
    expect((await gw.runtime.storage.certificates.listByUser(user.id)).map((c) => c.serial)).toEqual([serial]);
  });

  it('gives the same certificate to a new CSR of the same key pair (proof of possession), not to the right key with a wrong code', async () => {
    const user = await gw.user();
    const w = await approved(user);
    const { csr, keyPem } = opensslCsr('ec');
    const first = await redeem({ identifier: w.identifier, code: w.code, csr });
    expect(first.status, first.body).toBe(200);
    const serial = (JSON.parse(first.body) as { serial: string }).serial;

    // Another CSR signed with the same private key (a new signature, so another hash).
    const keyFile = path.join(work, `again-${serial}.pem`);
    writeFileSync(keyFile, keyPem);
    const again = execFileSync('openssl', ['req', '-new', '-key', keyFile, '-subj', '/CN=again'], { encoding: 'utf8' });
    expect(readCsr(again)!.sha256).not.toBe(readCsr(csr)!.sha256);
    const wrongCode = await redeem({ identifier: w.identifier, code: 'zzzz2222', csr: again });
    expect(errorOf(wrongCode)).toBe('invalid_code');
    const retry = await redeem({ identifier: w.identifier, code: w.code, csr: again });
    expect(retry.status, retry.body).toBe(200);
    expect(JSON.parse(retry.body)).toMatchObject({ serial });
    // A forged CSR claiming that public key without its private key gets nothing.
    const forged = await redeem({ identifier: w.identifier, code: w.code, csr: forge(again) });
    expect(errorOf(forged)).toBe('code_used');
    expect((await gw.runtime.storage.certificates.listByUser(user.id)).map((c) => c.serial)).toEqual([serial]);
  });

  it('checks an identifier and code without spending it (the page asks for the file password before sending the CSR)', async () => {
    const user = await gw.user();
    const w = await approved(user);
    const check = (body: unknown) =>
      gw.request({ port: 'public', host: 'localhost', method: 'POST', path: '/api/withdrawal/check', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    const ok = await check({ identifier: w.identifier, code: w.code });
    expect(ok.status, ok.body).toBe(200);
    const wrong = await check({ identifier: w.identifier, code: 'zzzz2222' });
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong)).toBe('invalid_code');
    expect(errorOf(await check({ identifier: w.identifier }))).toBe('invalid_request');
    expect(await gw.runtime.storage.certificates.listByUser(user.id)).toEqual([]);
    // Still usable; once used, the check says so.
    expect((await redeem({ identifier: w.identifier, code: w.code, csr: opensslCsr('ec').csr })).status).toBe(200);
    expect(errorOf(await check({ identifier: w.identifier, code: w.code }))).toBe('code_used');
  });

  it('locks the code at the fifth wrong try; then even the right code is refused', async () => {
    const user = await gw.user();
    const w = await approved(user);
    const { csr } = opensslCsr();
    const answers: string[] = [];
    for (let i = 0; i < gw.config.withdrawal.maxAttempts; i += 1) {
      const response = await redeem({ identifier: w.identifier, code: 'zzzz2222', csr });
      answers.push(`${response.status} ${errorOf(response)}`);
    }
    expect(answers).toEqual(['400 invalid_code', '400 invalid_code', '400 invalid_code', '400 invalid_code', '423 code_locked']);
    const right = await redeem({ identifier: w.identifier, code: w.code, csr });
    expect(right.status).toBe(423);
    expect(errorOf(right)).toBe('code_locked');
    const [code] = await gw.runtime.storage.withdrawalCodes.listForRequestIds([w.requestId]);
    expect(code).toMatchObject({ status: 'locked', failedAttempts: 5 });
    expect(await gw.runtime.storage.certificates.listByUser(user.id)).toEqual([]);

    // The cell issues a new code: it works, the locked one stays dead.
    const fresh = await gw.runtime.storage.transaction((repos) => issueWithdrawalCode(repos, { clock: gw.clock, random: gw.runtime.random, validityMs: DAY }, w.requestId));
    const ok = await redeem({ identifier: w.identifier, code: fresh.code, csr });
    expect(ok.status, ok.body).toBe(200);
  });

  it('answers an unknown identifier exactly like a wrong code', async () => {
    const { csr } = opensslCsr();
    const unknown = await redeem({ identifier: `nobody.here@${gw.config.platformDomain}`, code: 'abcd2345', csr });
    const garbage = await redeem({ identifier: 'not an identifier', code: 'abcd2345', csr });
    for (const response of [unknown, garbage]) {
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toEqual({ error: 'invalid_code', message: 'the withdrawal identifier or code is wrong' });
    }
  });

  it('refuses forged, weak and malformed CSRs without spending the code', async () => {
    const user = await gw.user();
    const w = await approved(user);
    const { csr } = opensslCsr();
    const forged = await redeem({ identifier: w.identifier, code: w.code, csr: forge(csr) });
    expect(forged.status).toBe(400);
    expect(JSON.parse(forged.body)).toMatchObject({ error: 'invalid_csr', message: expect.stringMatching(/signature/) });

    const weak = await redeem({ identifier: w.identifier, code: w.code, csr: opensslCsr('rsa:1024').csr });
    expect(weak.status).toBe(400);
    expect(JSON.parse(weak.body)).toMatchObject({ error: 'invalid_csr', message: expect.stringMatching(/2048/) });

    const junk = await redeem({ identifier: w.identifier, code: w.code, csr: 'hello' });
    expect(errorOf(junk)).toBe('invalid_csr');

    const [code] = await gw.runtime.storage.withdrawalCodes.listForRequestIds([w.requestId]);
    expect(code).toMatchObject({ status: 'unused', failedAttempts: 0 });
    const ok = await redeem({ identifier: w.identifier, code: w.code, csr });
    expect(ok.status, ok.body).toBe(200);

    const failures = await gw.runtime.storage.audit.list({ action: 'withdrawal.redeem', subject: user.identifier });
    expect(failures.filter((e) => e.outcome === 'failure').map((e) => e.reason)).toEqual(['invalid_csr', 'invalid_csr', 'invalid_csr']);
  });

  it('refuses a bad body with a stable code, in JSON even for curl', async () => {
    const missing = await redeem({ identifier: 'x' }, '*/*');
    expect(missing.status).toBe(400);
    expect(missing.headers['content-type']).toMatch(/application\/json/);
    expect(errorOf(missing)).toBe('invalid_request');
    const notJson = await redeem('{oops', '*/*');
    expect(notJson.status).toBe(400);
    expect(errorOf(notJson)).toBe('invalid_request');
    const huge = await redeem({ identifier: 'x', code: 'y', csr: 'A'.repeat(40_000) });
    expect(huge.status).toBe(413);
    expect(errorOf(huge)).toBe('payload_too_large');
  });

  it('issues exactly one certificate when two different CSRs race for the same code', async () => {
    const user = await gw.user();
    const w = await approved(user);
    const [a, b] = [opensslCsr().csr, opensslCsr().csr];
    const responses = await Promise.all([redeem({ identifier: w.identifier, code: w.code, csr: a }), redeem({ identifier: w.identifier, code: w.code, csr: b })]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(errorOf(responses.find((r) => r.status === 409)!)).toBe('code_used');
    expect(await gw.runtime.storage.certificates.listByUser(user.id)).toHaveLength(1);
  });

  it('issues a collective certificate naming the establishment and the machine, never a person', async () => {
    const establishment = await gw.establishment('Clinique du Parc');
    const w = await approved(establishment, 'Salle de soins 2');
    expect(w.identifier).toBe(`poste-${w.requestId.slice(0, 8)}@${gw.config.platformDomain}`);
    const response = await redeem({ identifier: w.identifier, code: w.code, csr: opensslCsr('rsa:2048', '/CN=Hélène Lefèvre/emailAddress=h@example.org').csr });
    expect(response.status, response.body).toBe(200);
    const x509 = new X509Certificate((JSON.parse(response.body) as { certificate: string }).certificate);
    expect(x509.subject).toContain('O=Clinique du Parc');
    expect(x509.subject).toContain('CN=Salle de soins 2');
    expect(x509.subject).not.toMatch(/Hélène|example\.org/);
    expect(x509.subjectAltName).toBeUndefined();
    const certificates = await gw.runtime.storage.certificates.listByEstablishment(establishment.id);
    expect(certificates).toMatchObject([{ kind: 'collective', userId: null, label: 'Salle de soins 2' }]);
  });

  // Last: moves the shared clock past the codes' validity.
  it('refuses an expired code', async () => {
    const user = await gw.user();
    const w = await approved(user);
    gw.clock.advance((gw.config.withdrawal.codeValidityDays + 1) * DAY);
    const response = await redeem({ identifier: w.identifier, code: w.code, csr: opensslCsr().csr });
    expect(response.status).toBe(410);
    expect(errorOf(response)).toBe('code_expired');
    const [code] = await gw.runtime.storage.withdrawalCodes.listForRequestIds([w.requestId]);
    expect(code).toMatchObject({ status: 'unused' });
  });
});

describe('withdrawal API rate limit', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('refuses an address after 30 failed attempts, whatever the identifier', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      const response = await gw.request({
        port: 'public',
        host: 'localhost',
        method: 'POST',
        path: '/api/withdrawal',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ identifier: `person${i}.name@${gw.config.platformDomain}`, code: 'abcd2345', csr: 'x' }),
      });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(JSON.parse(response.body)).toMatchObject({ error: 'rate_limited' });
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});
