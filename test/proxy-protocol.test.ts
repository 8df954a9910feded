/**
 * Issue 13 point 4: PROXY protocol v1/v2 on both listeners, from configured balancer addresses
 * only; the client address it carries is the one audited and limited. Real TLS through raw
 * sockets that send the header first, like a balancer. (The HAProxy test is haproxy.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProxyHeader } from '../src/http/proxy-protocol.ts';
import { csrfOf, startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { proxiedRequest, proxyV1, proxyV2 } from './helpers/proxy-protocol.ts';

/** A failed portal sign-in (audited with the client's address) sent through `header`. */
async function failedSignIn(gw: TestGateway, header: Buffer | null): Promise<number> {
  const base = { port: gw.listeners.publicPort, header, host: 'localhost', ca: gw.runtime.pki.chainPem };
  const cookies = new Map<string, string>();
  const form = await proxiedRequest({ ...base, path: '/connexion', cookies });
  const body = new URLSearchParams({ csrf: csrfOf(form.body), identifier: 'personne.inconnue', password: 'not this one' }).toString();
  const answer = await proxiedRequest({ ...base, method: 'POST', path: '/connexion', cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return answer.status;
}

const auditedIps = async (gw: TestGateway) => (await gw.runtime.storage.audit.list({ action: 'portal.login', limit: 1000 })).map((e) => e.ip);

describe('PROXY protocol from a trusted balancer (127.0.0.1)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ overrides: { proxyProtocol: { trustedAddresses: ['127.0.0.1/32'] } } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('v2: the address in the header is the one audited', async () => {
    expect(await failedSignIn(gw, proxyV2('203.0.113.9'))).toBe(401);
    expect(await auditedIps(gw)).toContain('203.0.113.9');
  });

  it('v1: likewise', async () => {
    expect(await failedSignIn(gw, proxyV1('198.51.100.7'))).toBe(401);
    expect(await auditedIps(gw)).toContain('198.51.100.7');
  });

  it('the gateway listener reads it too', async () => {
    const answer = await proxiedRequest({ port: gw.listeners.gatewayPort, header: proxyV2('192.0.2.44'), host: 'opendrp.localhost', ca: gw.runtime.pki.chainPem, path: '/' });
    // No client certificate: the explanation page, not a dropped connection.
    expect(answer.status).toBeGreaterThanOrEqual(400);
    const ips = (await gw.runtime.storage.audit.list({ limit: 1000 })).map((e) => e.ip);
    expect(ips).toContain('192.0.2.44');
  });

  it('a trusted peer that sends no header is refused (the TLS handshake never starts)', async () => {
    await expect(failedSignIn(gw, null)).rejects.toThrow();
  });

  it('a malformed header is refused', async () => {
    await expect(failedSignIn(gw, Buffer.from('PROXY TCP4 not-an-ip 127.0.0.1 1 2\r\n'))).rejects.toThrow();
  });

  it('per-address limits count the client, not the balancer', async () => {
    // Two clients behind one balancer: one exhausting its sign-in failures does not block the other.
    const before = (await auditedIps(gw)).length;
    const statuses = await Promise.all(Array.from({ length: 55 }, () => failedSignIn(gw, proxyV2('203.0.113.50'))));
    expect(statuses).toContain(429);
    expect(await failedSignIn(gw, proxyV2('203.0.113.51'))).toBe(401);
    expect((await auditedIps(gw)).length).toBeGreaterThan(before);
  });
});

describe('PROXY protocol from an untrusted peer', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ overrides: { proxyProtocol: { trustedAddresses: ['10.9.9.0/24'] } } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('a header claiming another address is refused', async () => {
    await expect(failedSignIn(gw, proxyV2('203.0.113.9'))).rejects.toThrow();
    await expect(failedSignIn(gw, proxyV1('203.0.113.9'))).rejects.toThrow();
    expect(await auditedIps(gw)).not.toContain('203.0.113.9');
  });

  it('a plain TLS client is served, with its own address', async () => {
    expect(await failedSignIn(gw, null)).toBe(401);
    expect(await auditedIps(gw)).toContain('127.0.0.1');
  });
});

describe('PROXY header parser', () => {
  it('reads v1 TCP4/TCP6/UNKNOWN and waits for a whole line', () => {
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 192.0.2.1 192.0.2.2 1234 443\r\nrest'))).toEqual({ state: 'done', source: { address: '192.0.2.1', port: 1234 }, length: 41 });
    expect(parseProxyHeader(Buffer.from('PROXY TCP6 2001:db8::1 2001:db8::2 1234 443\r\n'))).toMatchObject({ state: 'done', source: { address: '2001:db8::1' } });
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n'))).toEqual({ state: 'done', source: null, length: 15 });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 192.0.2.1'))).toEqual({ state: 'incomplete' });
    expect(parseProxyHeader(Buffer.from('PROX'))).toEqual({ state: 'incomplete' });
  });

  it('refuses malformed v1 lines and over-long ones', () => {
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 192.0.2.1 192.0.2.2 99999 443\r\n'))).toMatchObject({ state: 'invalid' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 2001:db8::1 192.0.2.2 1 443\r\n'))).toMatchObject({ state: 'invalid' });
    expect(parseProxyHeader(Buffer.from(`PROXY TCP4 ${'1'.repeat(120)}`))).toMatchObject({ state: 'invalid' });
    expect(parseProxyHeader(Buffer.from([0x16, 0x03, 0x01]))).toMatchObject({ state: 'invalid', reason: 'no PROXY header' });
  });

  it('reads v2 PROXY (IPv4, IPv6) and LOCAL, with TLVs skipped', () => {
    const v4 = proxyV2('203.0.113.9', 5555);
    expect(parseProxyHeader(Buffer.concat([v4, Buffer.from('tls…')]))).toEqual({ state: 'done', source: { address: '203.0.113.9', port: 5555 }, length: 28 });
    expect(parseProxyHeader(v4.subarray(0, 20))).toEqual({ state: 'incomplete' });
    const v6 = Buffer.concat([v4.subarray(0, 12), Buffer.from([0x21, 0x21, 0, 36 + 5]), Buffer.from('20010db8000000000000000000000001', 'hex'), Buffer.alloc(16), Buffer.from([0x12, 0x34, 0x01, 0xbb]), Buffer.from([0x04, 0, 2, 0, 0])]);
    expect(parseProxyHeader(v6)).toEqual({ state: 'done', source: { address: '2001:db8::1', port: 0x1234 }, length: 16 + 41 });
    const local = Buffer.concat([v4.subarray(0, 12), Buffer.from([0x20, 0x00, 0, 0])]);
    expect(parseProxyHeader(local)).toEqual({ state: 'done', source: null, length: 16 });
    const badVersion = Buffer.concat([v4.subarray(0, 12), Buffer.from([0x31, 0x11, 0, 0])]);
    expect(parseProxyHeader(badVersion)).toMatchObject({ state: 'invalid' });
  });
});
