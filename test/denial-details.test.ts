/**
 * The details a denial page promises ("le numéro de série ci-dessous", the expiry date) are there, read
 * off the certificate presented — even one refused at the handshake — with dates in the reader's words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPrivateKeyPem, generateKeyPair, issueClientCertificate, withClock } from '../src/pki/index.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { errorCode, startTestGateway, type TestGateway } from './helpers/gateway.ts';

const DAY = 86_400_000;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, '’').replace(/\s+/g, ' ');
const grouped = (serial: string) => serial.toUpperCase().match(/.{1,2}/g)!.join(':');

describe('denial page details', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('an unknown certificate: the serial number the page refers to', async () => {
    const keys = await generateKeyPair('ec-p256');
    const issued = await issueClientCertificate(gw.runtime.pki, { kind: 'personal', identifier: 'fantome.x', givenName: 'Fan', familyName: 'Tôme', email: 'f@example.org' }, keys.publicKey);
    const page = await gw.request({ cert: { certPem: issued.pem, keyPem: await exportPrivateKeyPem(keys.privateKey), serial: issued.serial, fingerprint: issued.fingerprintSha256 }, headers: { 'accept-language': 'fr' } });
    expect(errorCode(page.body)).toBe('certificate_unknown');
    const body = text(page.body);
    expect(body).toContain('numéro de série');
    expect(body).toContain(grouped(issued.serial));
  });

  it('an expired certificate (refused at the handshake): its serial and its expiry date in French words', async () => {
    const user = await gw.user();
    const issuedAt = Date.UTC(2024, 2, 1, 12);
    const keys = await generateKeyPair('ec-p256');
    const issued = await issueClientCertificate(withClock(gw.runtime.pki, new ManualClock(issuedAt)), { kind: 'personal', identifier: user.identifier, givenName: user.givenName, familyName: user.familyName, email: user.email }, keys.publicKey, { validityDays: 30 });
    const page = await gw.request({ cert: { certPem: issued.pem, keyPem: await exportPrivateKeyPem(keys.privateKey), serial: issued.serial, fingerprint: issued.fingerprintSha256 }, headers: { 'accept-language': 'fr' } });
    expect(errorCode(page.body)).toBe('certificate_expired');
    const body = text(page.body);
    expect(body).toContain(grouped(issued.serial));
    expect(body).toMatch(/Date d’expiration \d{1,2} mars 2024/);
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(issuedAt + 30 * DAY).toBeLessThan(Date.now());
  });

  it('a revoked certificate: the date in words, never ISO', async () => {
    const holder = await gw.user();
    const cert = await gw.personalCertificate(holder);
    await gw.runtime.authority.revoke(cert.serial, 'keyCompromise', { name: 'test' });
    const page = await gw.request({ cert, headers: { 'accept-language': 'en' } });
    expect(errorCode(page.body)).toBe('certificate_revoked');
    const body = text(page.body);
    expect(body).toContain(grouped(cert.serial));
    expect(body).toMatch(/Expiry date \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});
