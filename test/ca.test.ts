import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPkcs12,
  ensureServerCertificate,
  exportPrivateKeyPem,
  fingerprintSha256,
  generateCrl,
  generateKeyPair,
  initPki,
  loadPki,
  parseRevocationReason,
  pkiExists,
  issueClientCertificate,
  publicKeyFromCsr,
  withClock,
  x509,
  type IssuedCertificate,
  type Pki,
  type PkiOptions,
} from '../src/pki/index.ts';
import { ManualClock } from '../src/shared/clock.ts';

const DAY = 86_400_000;
const PASSPHRASE = 'correct horse battery staple';

/** Runs the real openssl binary; never throws, so tests can assert on failures too. */
function openssl(args: string[]): { status: number | null; out: string } {
  const res = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: res.status, out: `${res.stdout}${res.stderr}` };
}


let root: string;
function tempDir(name: string): string {
  return join(root, name);
}

function options(dir: string, overrides: Partial<PkiOptions> = {}): PkiOptions {
  return {
    dir,
    passphrase: PASSPHRASE,
    organization: 'ENRS Exemple',
    country: 'FR',
    // openssl checks validity against the real time, so the PKI is issued "now".
    clock: new ManualClock(Date.now()),
    validityDays: { root: 7300, issuing: 3650, server: 90, personal: 1095, collective: 1095 },
    serverHosts: ['passerelle.localhost', 'console.localhost'],
    crlUrl: 'https://passerelle.localhost:8443/crl/issuing-ca.crl',
    ...overrides,
  };
}

function write(name: string, content: string | Uint8Array): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

function verify(pki: Pki, certPem: string, purpose?: 'sslclient' | 'sslserver'): { status: number | null; out: string } {
  const rootFile = join(pki.dir, 'root-ca.pem');
  const issuingFile = join(pki.dir, 'issuing-ca.pem');
  const certFile = write(`verify-${Math.random().toString(36).slice(2)}.pem`, certPem);
  return openssl(['verify', ...(purpose ? ['-purpose', purpose] : []), '-CAfile', rootFile, '-untrusted', issuingFile, certFile]);
}

function text(certPem: string): string {
  const file = write(`text-${Math.random().toString(36).slice(2)}.pem`, certPem);
  return openssl(['x509', '-in', file, '-noout', '-text', '-nameopt', 'oneline,-esc_msb,show_type']).out;
}

const personal = {
  kind: 'personal' as const,
  identifier: 'helene.lefevre',
  givenName: 'Hélène',
  familyName: 'Lefèvre',
  email: 'helene.lefevre@example.org',
};

const collective = {
  kind: 'collective' as const,
  establishmentId: '690000123',
  establishmentName: 'Centre hospitalier de Bellevue',
  machineLabel: 'Poste accueil rééducation',
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'passerelle-ca-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('initPki / loadPki', () => {
  let pki: Pki;
  let opts: PkiOptions;

  beforeAll(async () => {
    opts = options(tempDir('main'));
    pki = await initPki(opts);
  });

  it('writes the layout with private modes and encrypted CA keys', async () => {
    expect(statSync(pki.dir).mode & 0o777).toBe(0o700);
    for (const key of ['root-ca.key.pem', 'issuing-ca.key.pem', 'server.key.pem']) {
      expect(statSync(join(pki.dir, key)).mode & 0o777).toBe(0o600);
    }
    for (const file of ['root-ca.pem', 'issuing-ca.pem', 'server.pem', 'chain.pem']) {
      expect(statSync(join(pki.dir, file)).isFile()).toBe(true);
    }
    expect(readFileSync(join(pki.dir, 'root-ca.key.pem'), 'utf8')).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    expect(readFileSync(join(pki.dir, 'issuing-ca.key.pem'), 'utf8')).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    // The TLS listener reads its key without a passphrase.
    expect(readFileSync(join(pki.dir, 'server.key.pem'), 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
    expect(readFileSync(join(pki.dir, 'chain.pem'), 'utf8')).toBe(pki.issuingPem + pki.rootPem);
    expect(pki.trustPem).toBe(pki.issuingPem + pki.rootPem);
    expect(pki.server.chainPem).toBe(pki.server.certPem + pki.issuingPem);
    expect(await pkiExists(pki.dir)).toBe(true);
    expect(await pkiExists(tempDir('nothing-here'))).toBe(false);
  });

  it('builds a root (pathlen 1) → issuing (pathlen 0) hierarchy', () => {
    const rootText = text(pki.rootPem);
    expect(rootText).toMatch(/CA:TRUE, pathlen:1/);
    expect(rootText).toMatch(/Certificate Sign, CRL Sign/);
    const issuingText = text(pki.issuingPem);
    expect(issuingText).toMatch(/CA:TRUE, pathlen:0/);
    expect(issuingText).toMatch(/Certificate Sign, CRL Sign/);
    expect(openssl(['verify', '-CAfile', join(pki.dir, 'root-ca.pem'), join(pki.dir, 'issuing-ca.pem')]).status).toBe(0);
  });

  it('issues a server certificate for every host and 127.0.0.1', () => {
    const result = verify(pki, pki.server.certPem, 'sslserver');
    expect(result.out).toContain(': OK');
    expect(result.status).toBe(0);
    const serverText = text(pki.server.certPem);
    expect(serverText).toContain('TLS Web Server Authentication');
    expect(serverText).not.toContain('TLS Web Client Authentication');
    expect(serverText).toContain('DNS:passerelle.localhost, DNS:console.localhost, IP Address:127.0.0.1');
    expect(serverText).toMatch(/CA:FALSE/);
    const cert = new NodeX509Certificate(pki.server.certPem);
    expect(cert.checkPrivateKey(createPrivateKey(pki.server.keyPem))).toBe(true);
  });

  it('loads with the right passphrase and refuses a wrong or missing one', async () => {
    const loaded = await loadPki(opts);
    expect(loaded.issuing.serialNumber).toBe(pki.issuing.serialNumber);
    expect(loaded.rootPem).toBe(pki.rootPem);
    expect(loaded.server.keyPem).toBe(pki.server.keyPem);
    // The loaded issuing key signs certificates that chain.
    const keys = await generateKeyPair('ec-p256');
    const issued = await issueClientCertificate(loaded, collective, keys.publicKey);
    expect(verify(pki, issued.pem).status).toBe(0);

    await expect(loadPki({ ...opts, passphrase: 'not the passphrase' })).rejects.toMatchObject({ code: 'pki_passphrase' });
    await expect(loadPki({ ...opts, passphrase: null })).rejects.toMatchObject({ code: 'pki_passphrase' });
  });

  it('reports a missing PKI and refuses to overwrite one', async () => {
    await expect(loadPki(options(tempDir('empty')))).rejects.toMatchObject({ code: 'pki_missing' });
    await expect(initPki(opts)).rejects.toMatchObject({ code: 'pki_exists', status: 409 });
    // A partial PKI is neither loadable nor silently replaced.
    const partial = tempDir('partial');
    const partialPki = await initPki(options(partial));
    rmSync(join(partial, 'issuing-ca.pem'));
    await expect(loadPki(options(partial))).rejects.toMatchObject({ code: 'pki_missing', details: { missing: ['issuing-ca.pem'] } });
    await expect(initPki(options(partial))).rejects.toMatchObject({ code: 'pki_exists' });
    const replaced = await initPki(options(partial), { force: true });
    expect(replaced.root.serialNumber).not.toBe(partialPki.root.serialNumber);
    expect((await loadPki(options(partial))).root.serialNumber).toBe(replaced.root.serialNumber);
  });

  it('only one of two concurrent initialisations wins', async () => {
    const dir = tempDir('race');
    const results = await Promise.allSettled([initPki(options(dir)), initPki(options(dir))]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected');
    expect(lost?.reason).toMatchObject({ code: 'pki_exists' });
    const loaded = await loadPki(options(dir));
    expect(loaded.root.serialNumber).toBe((won[0] as PromiseFulfilledResult<Pki>).value.root.serialNumber);
  });

  it('writes unencrypted CA keys in development (null passphrase)', async () => {
    const dev = options(tempDir('dev'), { passphrase: null });
    await initPki(dev);
    expect(readFileSync(join(dev.dir, 'issuing-ca.key.pem'), 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
    await expect(loadPki(dev)).resolves.toMatchObject({ dir: dev.dir });
    // A production passphrase never runs on keys stored in clear.
    await expect(loadPki({ ...dev, passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'pki_passphrase' });
  });
});

describe('client certificates', () => {
  let pki: Pki;
  let personalCert: IssuedCertificate;
  let personalKeyPem: string;

  beforeAll(async () => {
    pki = await initPki(options(tempDir('clients')));
    const keys = await generateKeyPair('rsa-2048');
    personalCert = await issueClientCertificate(pki, personal, keys.publicKey);
    personalKeyPem = await exportPrivateKeyPem(keys.privateKey);
  });

  it('issues a personal certificate for client authentication', () => {
    const result = verify(pki, personalCert.pem, 'sslclient');
    expect(result.out).toContain(': OK');
    const t = text(personalCert.pem);
    expect(t).toContain('TLS Web Client Authentication');
    expect(t).not.toContain('TLS Web Server Authentication');
    expect(t).toContain('email:helene.lefevre@example.org');
    expect(t).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(t).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment/);
    expect(t).toContain('X509v3 Subject Key Identifier');
    expect(t).toContain('X509v3 Authority Key Identifier');
    expect(t).toContain('URI:https://passerelle.localhost:8443/crl/issuing-ca.crl');
    // Accents survive, as UTF8String; the identifier rides in UID.
    expect(t).toContain('CN = UTF8STRING:Hélène LEFÈVRE');
    expect(t).toContain('UID = UTF8STRING:helene.lefevre');
    expect(t).toContain('O = UTF8STRING:ENRS Exemple');
    expect(personalCert.subject).toBe('C=FR, O=ENRS Exemple, CN=Hélène LEFÈVRE, UID=helene.lefevre');
  });

  it('describes the certificate as openssl sees it', () => {
    const file = write('personal.pem', personalCert.pem);
    const serial = openssl(['x509', '-in', file, '-noout', '-serial']).out.trim();
    expect(serial).toBe(`serial=${personalCert.serial.toUpperCase()}`);
    expect(personalCert.serial).toMatch(/^[4-7][0-9a-f]{31}$/);
    const fp = openssl(['x509', '-in', file, '-noout', '-fingerprint', '-sha256']).out.trim();
    expect(fp.split('=')[1]!.replace(/:/g, '').toLowerCase()).toBe(personalCert.fingerprintSha256);
    expect(fingerprintSha256(Buffer.from(personalCert.der))).toBe(personalCert.fingerprintSha256);
    expect(Buffer.from(personalCert.der).equals(new NodeX509Certificate(personalCert.pem).raw)).toBe(true);
    const days = (personalCert.notAfter.getTime() - pki.options.clock.now().getTime()) / DAY;
    expect(Math.round(days)).toBe(1095);
    expect(personalCert.notBefore.getTime()).toBeLessThanOrEqual(pki.options.clock.now().getTime());
  });

  it('uses the profile organisation when given', async () => {
    const keys = await generateKeyPair('ec-p256');
    const cert = await issueClientCertificate(pki, { ...personal, organization: 'Clinique Saint-Éloi' }, keys.publicKey, { validityDays: 30 });
    expect(cert.subject).toBe('C=FR, O=Clinique Saint-Éloi, CN=Hélène LEFÈVRE, UID=helene.lefevre');
    expect(Math.round((cert.notAfter.getTime() - pki.options.clock.now().getTime()) / DAY)).toBe(30);
    // EC keys cannot encipher: digitalSignature only.
    expect(text(cert.pem)).toMatch(/Key Usage: critical\s+Digital Signature\n/);
  });

  it('issues a collective certificate that names a machine and an establishment, never a person', async () => {
    const keys = await generateKeyPair('ec-p256');
    const cert = await issueClientCertificate(pki, collective, keys.publicKey);
    expect(verify(pki, cert.pem, 'sslclient').status).toBe(0);
    const t = text(cert.pem);
    expect(t).toContain('TLS Web Client Authentication');
    expect(t).not.toContain('Subject Alternative Name');
    expect(t).not.toContain('email:');
    expect(t).not.toContain('@');
    expect(t).not.toContain('UID');
    expect(cert.subject).toBe('C=FR, O=Centre hospitalier de Bellevue, OU=Certificat collectif, CN=Poste accueil rééducation, serialNumber=690000123');
    expect(t).toContain('serialNumber = PRINTABLESTRING:690000123');
    const days = (cert.notAfter.getTime() - pki.options.clock.now().getTime()) / DAY;
    expect(Math.round(days)).toBe(1095);
  });

  it('rejects bad input', async () => {
    const keys = await generateKeyPair('ec-p256');
    await expect(issueClientCertificate(pki, { ...personal, email: 'not an email' }, keys.publicKey)).rejects.toMatchObject({ code: 'invalid_email', status: 400 });
    await expect(issueClientCertificate(pki, { ...personal, givenName: '  ' }, keys.publicKey)).rejects.toMatchObject({ code: 'invalid_subject' });
    await expect(issueClientCertificate(pki, { ...collective, establishmentId: 'Établissement' }, keys.publicKey)).rejects.toMatchObject({ code: 'invalid_subject' });
    await expect(issueClientCertificate(pki, personal, keys.privateKey)).rejects.toMatchObject({ code: 'invalid_key' });
    const weak = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    );
    await expect(issueClientCertificate(pki, personal, weak.publicKey)).rejects.toMatchObject({ code: 'weak_key' });
  });

  it('issues expired certificates when the clock is in the past', async () => {
    const keys = await generateKeyPair('ec-p256');
    const past = withClock(pki, new ManualClock(Date.now() - 400 * DAY));
    const cert = await issueClientCertificate(past, personal, keys.publicKey, { validityDays: 30 });
    expect(cert.notAfter.getTime()).toBeLessThan(Date.now());
    const result = verify(pki, cert.pem, 'sslclient');
    expect(result.status).not.toBe(0);
    expect(result.out).toContain('certificate has expired');
  });

  it('certifies the key of a CSR after checking its signature', async () => {
    const keyFile = join(root, 'csr.key');
    const csrFile = join(root, 'csr.pem');
    const gen = openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-subj', '/CN=ignored', '-out', csrFile]);
    expect(gen.status).toBe(0);
    const csrPem = readFileSync(csrFile, 'utf8');
    const publicKey = await publicKeyFromCsr(csrPem);
    const cert = await issueClientCertificate(pki, personal, publicKey);
    expect(verify(pki, cert.pem, 'sslclient').status).toBe(0);
    expect(new NodeX509Certificate(cert.pem).checkPrivateKey(createPrivateKey(readFileSync(keyFile)))).toBe(true);

    // Flip one byte of the signature: the CSR no longer proves possession of the key.
    const der = Buffer.from(new x509.Pkcs10CertificateRequest(csrPem).rawData);
    der[der.length - 3] = der[der.length - 3]! ^ 0x01;
    await expect(publicKeyFromCsr(new Uint8Array(der))).rejects.toMatchObject({ code: 'invalid_csr' });
    await expect(publicKeyFromCsr('garbage')).rejects.toMatchObject({ code: 'invalid_csr' });
  });

  it('serves TLS with the server material and authenticates the client certificate', async () => {
    const server = tls.createServer({
      cert: pki.server.chainPem,
      key: pki.server.keyPem,
      ca: pki.trustPem,
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    });
    const seen = new Promise<{ authorized: boolean; subject: unknown }>((resolve) => {
      server.on('secureConnection', (socket) => {
        resolve({ authorized: socket.authorized, subject: socket.getPeerCertificate().subject?.CN });
        socket.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const client = tls.connect({ host: '127.0.0.1', port, servername: 'passerelle.localhost', ca: pki.rootPem, cert: personalCert.pem, key: personalKeyPem });
      client.on('data', () => undefined);
      await new Promise<void>((resolve, reject) => {
        client.once('secureConnect', resolve);
        client.once('error', reject);
      });
      // The client validated the server chain and host name against the root alone.
      expect(client.authorized).toBe(true);
      await expect(seen).resolves.toEqual({ authorized: true, subject: 'Hélène LEFÈVRE' });
      client.destroy();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  describe('PKCS#12', () => {
    const password = 'Retrait-2026!';
    const chain = () => [pki.issuingPem, pki.rootPem];

    it('opens with openssl (no -legacy) using 3DES + SHA-1 MAC by default, and fails with a wrong password', () => {
      const p12 = buildPkcs12({ certPem: personalCert.pem, keyPem: personalKeyPem, chainPems: chain(), password, friendlyName: 'Hélène LEFÈVRE — poste accueil' });
      const file = write('personal.p12', p12);
      const ok = openssl(['pkcs12', '-in', file, '-passin', `pass:${password}`, '-nodes', '-info']);
      expect(ok.status).toBe(0);
      expect(ok.out).toContain('MAC: sha1');
      expect(ok.out).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC');
      expect(ok.out.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(3);
      expect(ok.out).toContain('-----BEGIN PRIVATE KEY-----');
      expect(ok.out).toContain('friendlyName:');
      const bad = openssl(['pkcs12', '-in', file, '-passin', 'pass:wrong password', '-nodes', '-info']);
      expect(bad.status).not.toBe(0);
      expect(bad.out).toMatch(/Mac verify error/);
    });

    it('extracts the same key and certificate', () => {
      const file = write('extract.p12', buildPkcs12({ certPem: personalCert.pem, keyPem: personalKeyPem, chainPems: chain(), password, friendlyName: 'x' }));
      const clcerts = openssl(['pkcs12', '-in', file, '-passin', `pass:${password}`, '-nokeys', '-clcerts']);
      expect(new NodeX509Certificate(clcerts.out.slice(clcerts.out.indexOf('-----BEGIN'))).fingerprint256).toBe(new NodeX509Certificate(personalCert.pem).fingerprint256);
      const key = openssl(['pkcs12', '-in', file, '-passin', `pass:${password}`, '-nocerts', '-nodes']);
      const keyPem = key.out.slice(key.out.indexOf('-----BEGIN PRIVATE KEY-----'));
      expect(createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem' })).toBe(createPrivateKey(personalKeyPem).export({ type: 'pkcs8', format: 'pem' }));
    });

    it('can use PBES2 AES-256 and bundle EC keys', async () => {
      const keys = await generateKeyPair('ec-p256');
      const cert = await issueClientCertificate(pki, collective, keys.publicKey);
      const p12 = buildPkcs12({ certPem: cert.pem, keyPem: await exportPrivateKeyPem(keys.privateKey), chainPems: chain(), password, friendlyName: 'Poste accueil', encryption: 'aes256' });
      const res = openssl(['pkcs12', '-in', write('ec-aes.p12', p12), '-passin', `pass:${password}`, '-nodes', '-info']);
      expect(res.status).toBe(0);
      expect(res.out).toContain('PBES2, PBKDF2, AES-256-CBC');
    });

    it('refuses a key that does not match the certificate', async () => {
      const other = await generateKeyPair('rsa-2048');
      expect(() =>
        buildPkcs12({ certPem: personalCert.pem, keyPem: '', chainPems: [], password, friendlyName: 'x' }),
      ).toThrow(expect.objectContaining({ code: 'invalid_pkcs12' }) as Error);
      const otherPem = await exportPrivateKeyPem(other.privateKey);
      expect(() => buildPkcs12({ certPem: personalCert.pem, keyPem: otherPem, chainPems: [], password, friendlyName: 'x' })).toThrow(
        expect.objectContaining({ code: 'key_mismatch' }) as Error,
      );
    });

    // NSS's tools come from a system package (Debian libnss3-tools, installed by .ci/run): where they
    // are missing the check is reported as skipped, by name, never as passed.
    const nssMissing = ['pk12util', 'certutil'].filter((tool) => !/usage/i.test(`${spawnSync(tool, ['-H'], { encoding: 'utf8' }).stderr ?? ''}`));
    const nssTitle = `imports into an NSS database (Firefox, Chromium on Linux; pk12util from libnss3-tools)${nssMissing.length ? ` (not run here: ${nssMissing.join(', ')} missing)` : ''}`;
    it.skipIf(nssMissing.length > 0)(nssTitle, () => {
      const db = join(root, 'nssdb');
      spawnSync('mkdir', ['-p', db]);
      expect(spawnSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']).status).toBe(0);
      for (const encryption of ['3des', 'aes256'] as const) {
        const file = write(`nss-${encryption}.p12`, buildPkcs12({ certPem: personalCert.pem, keyPem: personalKeyPem, chainPems: chain(), password, friendlyName: `NSS ${encryption}`, encryption }));
        const res = spawnSync('pk12util', ['-i', file, '-d', `sql:${db}`, '-W', password], { encoding: 'utf8' });
        expect(`${res.stdout}${res.stderr}`).toContain('PKCS12 IMPORT SUCCESSFUL');
      }
      const keys = spawnSync('certutil', ['-K', '-d', `sql:${db}`], { encoding: 'utf8' });
      expect(keys.stdout).toContain('NSS 3des');
    });
  });
});

describe('CRL', () => {
  let pki: Pki;
  const certs: IssuedCertificate[] = [];

  beforeAll(async () => {
    pki = await initPki(options(tempDir('crl')));
    for (let i = 0; i < 3; i += 1) {
      const keys = await generateKeyPair('ec-p256');
      certs.push(await issueClientCertificate(pki, personal, keys.publicKey));
    }
  });

  it('lists revoked serials with their reasons, signed by the issuing CA', async () => {
    const now = new Date();
    const der = await generateCrl(pki, {
      number: 42,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + DAY),
      entries: [
        { serial: certs[0]!.serial, revokedAt: now, reason: 'keyCompromise' },
        { serial: certs[1]!.serial.toUpperCase(), revokedAt: now, reason: 'unspecified' },
      ],
    });
    const file = write('issuing.crl', der);
    const t = openssl(['crl', '-inform', 'DER', '-in', file, '-noout', '-text']);
    expect(t.status).toBe(0);
    expect(t.out).toContain('Version 2 (0x1)');
    expect(t.out).toMatch(/X509v3 CRL Number:\s+42/);
    expect(t.out).toContain('X509v3 Authority Key Identifier');
    expect(t.out).toContain(`Serial Number: ${certs[0]!.serial.toUpperCase()}`);
    expect(t.out).toContain(`Serial Number: ${certs[1]!.serial.toUpperCase()}`);
    expect(t.out).not.toContain(certs[2]!.serial.toUpperCase());
    expect(t.out).toMatch(/CRL Reason Code:\s+Key Compromise/);
    // RFC 5280: "unspecified" is expressed by leaving the reason out.
    expect(t.out.match(/CRL Reason Code/g)).toHaveLength(1);

    const sig = openssl(['crl', '-inform', 'DER', '-in', file, '-CAfile', join(pki.dir, 'chain.pem'), '-noout']);
    expect(sig.status).toBe(0);
    expect(sig.out).toContain('verify OK');

    // End to end: openssl rejects the revoked certificate and accepts the other one.
    const crlPem = write('issuing-crl.pem', `-----BEGIN X509 CRL-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END X509 CRL-----\n`);
    const check = (cert: IssuedCertificate) =>
      openssl(['verify', '-crl_check', '-CAfile', join(pki.dir, 'root-ca.pem'), '-untrusted', join(pki.dir, 'issuing-ca.pem'), '-CRLfile', crlPem, write(`crl-check-${cert.serial}.pem`, cert.pem)]);
    expect(check(certs[0]!).out).toContain('certificate revoked');
    expect(check(certs[2]!).status).toBe(0);

    // Our own parser agrees.
    const crl = new x509.X509Crl(der);
    expect(crl.findRevoked(certs[0]!.serial)?.reason).toBe(x509.X509CrlReason.keyCompromise);
    expect(await crl.verify({ publicKey: pki.issuing })).toBe(true);
  });

  it('issues an empty CRL and rejects bad entries', async () => {
    const now = new Date();
    const der = await generateCrl(pki, { number: 1, thisUpdate: now, nextUpdate: new Date(now.getTime() + DAY), entries: [] });
    const t = openssl(['crl', '-inform', 'DER', '-in', write('empty.crl', der), '-noout', '-text']);
    expect(t.out).toContain('No Revoked Certificates');
    const next = new Date(now.getTime() + DAY);
    await expect(generateCrl(pki, { number: 2, thisUpdate: now, nextUpdate: next, entries: [{ serial: 'xyz', revokedAt: now, reason: 'superseded' }] })).rejects.toMatchObject({ code: 'invalid_serial' });
    await expect(
      generateCrl(pki, {
        number: 2,
        thisUpdate: now,
        nextUpdate: next,
        entries: [
          { serial: 'ab:cd', revokedAt: now, reason: 'superseded' },
          { serial: 'ABCD', revokedAt: now, reason: 'superseded' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'duplicate_serial' });
    await expect(generateCrl(pki, { number: 2, thisUpdate: next, nextUpdate: now, entries: [] })).rejects.toMatchObject({ code: 'invalid_crl_dates' });
  });

  it('parses revocation reasons in several spellings', () => {
    expect(parseRevocationReason('keyCompromise')).toBe('keyCompromise');
    expect(parseRevocationReason('key-compromise')).toBe('keyCompromise');
    expect(parseRevocationReason('KEY_COMPROMISE')).toBe('keyCompromise');
    expect(parseRevocationReason('ca-compromise')).toBe('cACompromise');
    expect(parseRevocationReason('cessation_of_operation')).toBe('cessationOfOperation');
    expect(parseRevocationReason('privilege-withdrawn')).toBe('privilegeWithdrawn');
    expect(() => parseRevocationReason('removeFromCRL')).toThrow(expect.objectContaining({ code: 'invalid_reason', status: 400 }) as Error);
    expect(() => parseRevocationReason('')).toThrow(expect.objectContaining({ code: 'invalid_reason' }) as Error);
  });
});

describe('ensureServerCertificate', () => {
  it('re-issues the server certificate for a new host, keeping its key', async () => {
    const opts = options(tempDir('server'));
    const pki = await initPki(opts);
    expect(await ensureServerCertificate(pki, ['console.localhost'])).toBe(pki);

    const updated = await ensureServerCertificate(pki, ['opendrp.localhost']);
    expect(updated).not.toBe(pki);
    const t = text(updated.server.certPem);
    expect(t).toContain('DNS:passerelle.localhost, DNS:console.localhost, DNS:opendrp.localhost, IP Address:127.0.0.1');
    expect(verify(updated, updated.server.certPem, 'sslserver').status).toBe(0);
    expect(updated.server.keyPem).toBe(pki.server.keyPem);
    expect(new NodeX509Certificate(updated.server.certPem).checkPrivateKey(createPrivateKey(updated.server.keyPem))).toBe(true);
    expect(readFileSync(join(opts.dir, 'server.pem'), 'utf8')).toBe(updated.server.certPem);
    expect(updated.server.chainPem).toBe(updated.server.certPem + updated.issuingPem);
    // On disk and in memory agree: a reload sees the new host and changes nothing more.
    const reloaded = await loadPki(opts);
    expect(await ensureServerCertificate(reloaded, ['opendrp.localhost'])).toBe(reloaded);
  });

  it('renews a server certificate that expires within 30 days', async () => {
    const clock = new ManualClock(Date.now());
    const pki = await initPki(options(tempDir('server-renew'), { clock }));
    clock.advance(50 * DAY);
    expect(await ensureServerCertificate(pki, [])).toBe(pki);
    clock.advance(15 * DAY);
    const renewed = await ensureServerCertificate(pki, []);
    expect(renewed).not.toBe(pki);
    const notAfter = new NodeX509Certificate(renewed.server.certPem).validToDate;
    expect(Math.round((notAfter.getTime() - clock.now().getTime()) / DAY)).toBe(90);
  });
});
