/**
 * Issue 9, defects 5, 6, 7 and 9: what a black-box attack on the running gateway found, each
 * replayed over real TLS with real client certificates against the demo application.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tls from 'node:tls';
import { X509Certificate, createHash } from 'node:crypto';
import WebSocket from 'ws';
import { APP_HOST, PASSWORD, csrfOf, errorCode, signIn, startTestGateway, type ClientCertificate, type Response, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends, sessionBackends } from './helpers/backends.ts';

interface Whoami {
  headers: Record<string, string>;
}

interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/** Writes `lines` as they are on a fresh TLS connection (Node's client never sends `*` targets). */
function rawRequest(port: number, host: string, ca: string, lines: string[], cert?: ClientCertificate, options: tls.ConnectionOptions = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: host, ca, cert: cert?.certPem, key: cert?.keyPem, ...options }, () => {
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split < 0 ? all.length : split).toString('latin1');
      const body = split < 0 ? Buffer.alloc(0) : all.subarray(split + 4);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: (/^transfer-encoding: chunked$/im.test(head) ? dechunk(body) : body).toString('utf8') });
    });
  });
}

/** A chunked body, de-chunked (sizes count bytes). */
function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.subarray(0, eol).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(rest.subarray(eol + 2, eol + 2 + size));
    rest = rest.subarray(eol + 2 + size + 2);
  }
}

/** The same certificate with one bit of its signature flipped: it still parses, it no longer verifies. */
function brokenSignature(cert: ClientCertificate): ClientCertificate {
  const der = Buffer.from(cert.certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  // The signature BIT STRING ends the DER; for ECDSA its last byte is the last byte of `s`.
  der[der.length - 1]! ^= 0x01;
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  new X509Certificate(pem); // still a well-formed certificate
  return { ...cert, certPem: pem };
}

const CONSOLE_HOST = 'console.localhost';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** HSTS, nosniff, no referrer, no framing: on every answer Passerelle makes itself. */
function expectOwnSecurityHeaders(headers: Record<string, unknown>): void {
  expect(headers['strict-transport-security']).toBe('max-age=31536000');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(String(headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  expect(headers['x-frame-options']).toBe('DENY');
}

/** The raw head's headers, lower-cased. */
function headersOf(head: string): Record<string, string> {
  return Object.fromEntries(
    head
      .split('\r\n')
      .slice(1)
      .map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
}

const matrix = databaseBackends().flatMap((db) => sessionBackends().map((s) => ({ name: `${db.name} + ${s.name} sessions`, databaseUrl: db.url, redisUrl: s.url })));

describe.each(matrix)('gateway hardening on $name', ({ databaseUrl, redisUrl }) => {
  let gw: TestGateway;
  let cert: ClientCertificate;
  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl, redisUrl });
    cert = await gw.personalCertificate(await gw.user());
  });
  afterAll(async () => {
    await gw?.close();
  });

  const raw = (lines: string[], c?: ClientCertificate, port: 'gateway' | 'public' = 'gateway', host = APP_HOST, options: tls.ConnectionOptions = {}) =>
    rawRequest(port === 'gateway' ? gw.listeners.gatewayPort : gw.listeners.publicPort, host, gw.runtime.pki.chainPem, lines, c, options);
  const audit = (action: string) => gw.runtime.storage.audit.list({ action });

  describe('defect 5: request targets that are not a path', () => {
    it('OPTIONS * and GET * → 400 invalid_request_target on the gateway and the public listener, with a certificate and a session', async () => {
      const { cookies } = await signIn(gw, cert);
      const cookie = `Cookie: ${[...cookies].map(([k, v]) => `${k}=${v}`).join('; ')}`;
      for (const method of ['OPTIONS', 'GET']) {
        const gateway = await raw([`${method} * HTTP/1.1`, `Host: ${APP_HOST}`, 'Accept: application/json', cookie, 'Connection: close'], cert);
        expect(gateway.status).toBe(400);
        expect(JSON.parse(gateway.body)).toMatchObject({ error: 'invalid_request_target' });
        expectOwnSecurityHeaders(headersOf(gateway.head));
        const pub = await raw([`${method} * HTTP/1.1`, 'Host: localhost', 'Connection: close'], undefined, 'public', 'localhost');
        expect(pub.status).toBe(400);
        expect(JSON.parse(pub.body)).toMatchObject({ error: 'invalid_request_target' });
        expectOwnSecurityHeaders(headersOf(pub.head));
      }
      // Absolute-form would name a host other than the Host header the routing reads.
      const absolute = await raw([`GET https://console.localhost/ HTTP/1.1`, `Host: ${APP_HOST}`, cookie, 'Connection: close'], cert);
      expect(absolute.status).toBe(400);
      // A WebSocket handshake to `*` is refused the same way.
      const ws = await raw(['GET * HTTP/1.1', `Host: ${APP_HOST}`, 'Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', cookie], cert);
      expect(ws.status).toBe(400);
      expect(JSON.parse(ws.body)).toEqual({ error: 'invalid_request_target' });
      // The listener still serves the same session afterwards.
      expect((await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } })).status).toBe(200);
    });
  });

  describe('defect 6: a client certificate whose signature does not verify', () => {
    it.each(['TLSv1.2', 'TLSv1.3'] as const)('gets the 495 page and an audit line over %s', async (version) => {
      const broken = brokenSignature(cert);
      const fingerprint = createHash('sha256').update(new X509Certificate(broken.certPem).raw).digest('hex');
      const page = await raw([`GET / HTTP/1.1`, `Host: ${APP_HOST}`, 'Accept: text/html', 'Connection: close'], broken, 'gateway', APP_HOST, { maxVersion: version, minVersion: version });
      expect(page.status).toBe(495);
      expect(errorCode(page.body)).toBe('untrusted_certificate');
      expectOwnSecurityHeaders(headersOf(page.head));
      const events = (await audit('gateway.certificate')).filter((e) => (e.details as { fingerprint?: string } | null)?.fingerprint === fingerprint);
      expect(events.length).toBeGreaterThanOrEqual(1);
      expect(events[0]).toMatchObject({ outcome: 'failure', reason: 'untrusted_certificate', ip: '127.0.0.1', applicationId: 'opendrp' });
      // The intact certificate still opens the login form.
      expect((await gw.request({ path: '/.passerelle/login', cert })).status).toBe(200);
    });
  });

  describe('defect 7: what the application receives', () => {
    it('no hop-by-hop headers, no names listed in Connection, no URL rewrites, not our session cookie', async () => {
      const { cookies } = await signIn(gw, cert);
      const session = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      // As the attack sent it, byte for byte (Node's client refuses some of these).
      const who = await raw(
        [
          'GET /api/whoami HTTP/1.1',
          `Host: ${APP_HOST}`,
          'Accept: application/json',
          'Connection: close, X-Passerelle-User, X-Demo-Listed',
          'Keep-Alive: timeout=5',
          'TE: trailers',
          'Trailer: X-Checksum',
          'Upgrade: h2c',
          'Proxy-Authorization: Basic Zm9vOmJhcg==',
          'Proxy-Connection: keep-alive',
          'X-Original-URL: /admin',
          'X-Rewrite-URL: /admin',
          'X_Original_URL: /admin',
          'X-Demo-Listed: dropped',
          'X-Demo-Unrelated: kept',
          `Cookie: app_pref=dark; ${session}; app_session=xyz`,
        ],
        cert,
      );
      expect(who.status).toBe(200);
      // The client's `Connection: close` is honoured, not the application's keep-alive.
      expect(headersOf(who.head)).toMatchObject({ connection: 'close' });
      expect(headersOf(who.head)).not.toHaveProperty('keep-alive');
      const { headers } = JSON.parse(who.body) as Whoami;
      for (const name of ['keep-alive', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-connection', 'x-original-url', 'x-rewrite-url', 'x_original_url', 'x-demo-listed']) expect(headers).not.toHaveProperty(name);
      // Node's client speaks keep-alive to the upstream on its own; nothing the client listed.
      expect(headers.connection ?? 'keep-alive').toBe('keep-alive');
      expect(headers['x-passerelle-user']).toMatch(/^helene\.lefevre/);
      expect(headers['x-demo-unrelated']).toBe('kept');
      expect(headers.cookie).toBe('app_pref=dark; app_session=xyz');
      expect(headers['x-passerelle-assertion']).toBeTruthy();
      expect(JSON.stringify(headers)).not.toContain(gw.config.session.cookieName);
    });

    it('only our session cookie → no Cookie header at all', async () => {
      const { cookies } = await signIn(gw, cert);
      const who = await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } });
      expect((JSON.parse(who.body) as Whoami).headers).not.toHaveProperty('cookie');
    });

    it('WebSocket upgrades still work; other upgrade protocols (h2c) are refused', async () => {
      const { cookies } = await signIn(gw, cert);
      const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const ws = new WebSocket(`wss://127.0.0.1:${gw.listeners.gatewayPort}/ws/echo`, {
        servername: APP_HOST,
        headers: { host: APP_HOST, cookie },
        ca: gw.runtime.pki.chainPem,
        cert: cert.certPem,
        key: cert.keyPem,
      } as WebSocket.ClientOptions);
      const reply = await new Promise<string>((resolve, reject) => {
        ws.on('open', () => ws.send('bonjour'));
        ws.on('message', (data: Buffer) => resolve(data.toString()));
        ws.on('error', reject);
      });
      ws.close();
      expect(reply).toBe('bonjour');
      const h2c = await raw(['GET /api/whoami HTTP/1.1', `Host: ${APP_HOST}`, 'Connection: Upgrade, HTTP2-Settings', 'Upgrade: h2c', 'HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA', `Cookie: ${cookie}`], cert);
      expect(h2c.status).toBe(400);
      expect(JSON.parse(h2c.body)).toEqual({ error: 'unsupported_upgrade' });
    });

    describe('sessions are bound to the host family they were opened on', () => {
      let coordinator: ClientCertificate;
      beforeAll(async () => {
        const { user } = await gw.runtime.accounts.createUser(
          { givenName: 'Claire', familyName: 'Famille', email: 'claire.famille@cellule.example.org', role: 'coordinator', password: PASSWORD },
          { name: 'test', ip: null },
        );
        await gw.runtime.accounts.addGrant(user.id, 'opendrp', { name: 'test', ip: null });
        coordinator = await gw.personalCertificate(user);
      });

      async function consoleSignIn(): Promise<Map<string, string>> {
        const cookies = new Map<string, string>();
        const form = await gw.request({ host: CONSOLE_HOST, path: '/.passerelle/login?next=/', cert: coordinator, cookies });
        expect(form.status).toBe(200);
        const body = new URLSearchParams({ csrf: csrfOf(form.body), password: PASSWORD, next: '/' }).toString();
        const response: Response = await gw.request({ host: CONSOLE_HOST, method: 'POST', path: '/.passerelle/login', cert: coordinator, cookies, headers: FORM, body });
        expect(response.status).toBe(303);
        return cookies;
      }

      const familyRefusals = async () => (await audit('gateway.session')).filter((e) => e.reason === 'host_family_mismatch');

      it('an application-host session is refused on the console host: login page, audited', async () => {
        const { cookies } = await signIn(gw, coordinator);
        expect((await gw.request({ path: '/api/whoami', cert: coordinator, cookies, headers: { accept: 'application/json' } })).status).toBe(200);
        const before = (await familyRefusals()).length;
        const onConsole = await gw.request({ host: CONSOLE_HOST, path: '/', cert: coordinator, cookies: new Map(cookies) });
        expect(onConsole.status).toBe(303);
        expect(onConsole.headers.location).toMatch(/^\/\.passerelle\/login\?/);
        expectOwnSecurityHeaders(onConsole.headers);
        const refusals = await familyRefusals();
        expect(refusals.length).toBe(before + 1);
        expect(refusals[0]).toMatchObject({ outcome: 'failure', applicationId: 'console', ip: '127.0.0.1' });
      });

      it('a console session is refused on an application host, and never reaches the application', async () => {
        const cookies = await consoleSignIn();
        const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        // Not through a WebSocket (refused and audited, the session left as it is)…
        const ws = await raw(['GET /ws/echo HTTP/1.1', `Host: ${APP_HOST}`, 'Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', `Cookie: ${cookie}`], coordinator);
        expect(ws.status).toBe(401);
        expect(JSON.parse(ws.body)).toEqual({ error: 'host_family_mismatch' });
        expect((await audit('gateway.websocket')).filter((e) => e.reason === 'host_family_mismatch')).toHaveLength(1);
        // … nor through a request: treated as no session, audited, and the replayed session dropped.
        const before = (await familyRefusals()).length;
        const onApp = await gw.request({ path: '/api/whoami', cert: coordinator, cookies: new Map(cookies), headers: { accept: 'application/json' } });
        expect(onApp.status).toBe(401);
        expect(JSON.parse(onApp.body)).toEqual({ error: 'authentication_required' });
        const refusals = await familyRefusals();
        expect(refusals.length).toBe(before + 1);
        expect(refusals[0]).toMatchObject({ applicationId: 'opendrp' });
        const back = await gw.request({ host: CONSOLE_HOST, path: '/', cert: coordinator, cookies: new Map(cookies) });
        expect(back.status).toBe(303);
        expect(back.headers.location).toMatch(/^\/\.passerelle\/login\?/);
      });
    });
  });

  describe('defect 9: security headers and TLS suites', () => {
    it('HSTS, nosniff, no referrer and no framing on redirects, login, denial pages, JSON answers and the public listener', async () => {
      const redirect = await gw.request({ path: '/some/page', cert });
      expect(redirect.status).toBe(303);
      expectOwnSecurityHeaders(redirect.headers);
      const login = await gw.request({ path: '/.passerelle/login', cert });
      expect(login.status).toBe(200);
      expectOwnSecurityHeaders(login.headers);
      const denial = await gw.request({});
      expect(denial.status).toBe(496);
      expectOwnSecurityHeaders(denial.headers);
      const json = await gw.request({ path: '/x', cert, headers: { accept: 'application/json' } });
      expect(json.status).toBe(401);
      expectOwnSecurityHeaders(json.headers);
      const unknownHost = await gw.request({ host: 'inconnu.localhost', cert, skipHostnameCheck: true });
      expect(unknownHost.status).toBe(404);
      expectOwnSecurityHeaders(unknownHost.headers);
      for (const path of ['/', '/pki/ca.pem', '/crl/passerelle.crl', '/.well-known/jwks.json', '/nowhere']) {
        const pub = await gw.request({ port: 'public', host: 'localhost', path });
        expectOwnSecurityHeaders(pub.headers);
      }
    });

    it('proxied responses get HSTS and otherwise keep the application’s own headers', async () => {
      const { cookies } = await signIn(gw, cert);
      const who = await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } });
      expect(who.status).toBe(200);
      expect(who.headers['strict-transport-security']).toBe('max-age=31536000');
      // The demo application's own CSP, untouched; headers it does not send are not invented.
      expect(who.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
      expect(who.headers['x-content-type-options']).toBe('nosniff');
      expect(who.headers).not.toHaveProperty('referrer-policy');
      expect(who.headers).not.toHaveProperty('x-frame-options');
    });

    it('TLS 1.2 offers AEAD suites only: a CBC-only client fails the handshake, GCM and ChaCha20 succeed; TLS 1.3 works', async () => {
      const handshake = (port: number, options: tls.ConnectionOptions) =>
        new Promise<string>((resolve) => {
          const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: gw.runtime.pki.chainPem, ...options }, () => {
            const cipher = socket.getCipher().name;
            socket.end();
            resolve(`${socket.getProtocol()} ${cipher}`);
          });
          socket.on('error', (error: NodeJS.ErrnoException) => resolve(`refused ${error.code ?? error.message}`));
        });
      for (const port of [gw.listeners.publicPort, gw.listeners.gatewayPort]) {
        for (const cbc of ['ECDHE-ECDSA-AES128-SHA256', 'ECDHE-ECDSA-AES256-SHA384', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA']) {
          expect(await handshake(port, { maxVersion: 'TLSv1.2', ciphers: cbc })).toMatch(/^refused /);
        }
        expect(await handshake(port, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' })).toBe('TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256');
        expect(await handshake(port, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' })).toBe('TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384');
        expect(await handshake(port, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305' })).toBe('TLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305');
        expect(await handshake(port, { minVersion: 'TLSv1.3' })).toMatch(/^TLSv1\.3 TLS_/);
        expect(await handshake(port, { maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' })).toMatch(/^refused /);
      }
    });
  });
});

describe('upstream down: the 502 page carries the security headers', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ upstreamDown: true });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('502 page and JSON', async () => {
    const cert = await gw.personalCertificate(await gw.user());
    const { cookies } = await signIn(gw, cert);
    const page = await gw.request({ path: '/', cert, cookies });
    expect(page.status).toBe(502);
    expectOwnSecurityHeaders(page.headers);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const json = await gw.request({ path: '/api/x', cert, cookies, headers: { accept: 'application/json' } });
    expect(json.status).toBe(502);
    expectOwnSecurityHeaders(json.headers);
  });
});
