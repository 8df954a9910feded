/**
 * Legacy identifiers (issue 5, journey 9) over real TLS: the first-use page on application hosts
 * in both modes (an imported directory; a real small HTTP server standing for the application's
 * login endpoint), the mapping sent upstream as X-Passerelle-Legacy-User and `legacy_username`,
 * conflicts, the lockout of a legacy identifier, the portal during the migration period, and the
 * cut-over of a person and of an application (console, API, CLI). SQLite, and PostgreSQL when
 * DATABASE_URL is set.
 */
import { execFile } from 'node:child_process';
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { hash as argon2Hash } from '@node-rs/argon2';
import { hashSync as bcryptHash } from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoApp, type DemoApp } from '../src/demo/app.ts';
import { checkLegacyCredentials, checkWithLockout, cutOverUser, hashScheme, importLegacyAccounts, parseCsv, requireLegacyApplication, verifyLegacyHash } from '../src/legacy/index.ts';
import { createToken } from '../src/tokens/index.ts';
import type { User } from '../src/model/index.ts';
import { databaseBackends } from './helpers/backends.ts';
import { APP_HOST, PASSWORD, csrfOf, errorCode, freePort, startTestGateway, type ClientCertificate, type Response, type TestGateway } from './helpers/gateway.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_ACCEPT = { accept: 'application/json' };
const LEGACY_PATH = '/.passerelle/ancien-identifiant';
const LABO_HOST = 'labo.localhost';
const CONSOLE_HOST = 'console.localhost';
const actor = { name: 'test', ip: null };

const ab64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
const ssha = (scheme: 'SSHA' | 'SSHA256' | 'SSHA512', digest: string, pw: string) => {
  const salt = randomBytes(8);
  return `{${scheme}}${Buffer.concat([createHash(digest).update(pw).update(salt).digest(), salt]).toString('base64')}`;
};
const django = (digest: 'sha256' | 'sha1', pw: string) => `pbkdf2_${digest}$1200$Sel2019$${pbkdf2Sync(pw, 'Sel2019', 1200, digest === 'sha256' ? 32 : 20, digest).toString('base64')}`;
const passlib = (variant: '' | '-sha256' | '-sha512', pw: string) => {
  const salt = randomBytes(16);
  const digest = variant ? variant.slice(1) : 'sha1';
  const length = { sha1: 20, sha256: 32, sha512: 64 }[digest]!;
  return `$pbkdf2${variant}$1100$${ab64(salt)}$${ab64(pbkdf2Sync(pw, salt, 1100, length, digest))}`;
};

function text(body: string): string {
  return body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[\s\u00a0\u202f]+/g, ' ');
}

describe('legacy password hashes', () => {
  it('verifies every supported format, refuses a wrong password and unknown formats', async () => {
    const pw = 'Ancien-Mot-2019';
    const bcrypt = bcryptHash(pw, 4);
    const hashes = {
      'bcrypt $2b$': bcrypt,
      'bcrypt $2a$': bcrypt.replace(/^\$2b\$/, '$2a$'),
      'bcrypt $2y$ (PHP)': bcrypt.replace(/^\$2b\$/, '$2y$'),
      argon2id: await argon2Hash(pw),
      argon2i: await argon2Hash(pw, { algorithm: 1 as never }),
      'Django pbkdf2_sha256': django('sha256', pw),
      'Django pbkdf2_sha1': django('sha1', pw),
      'passlib $pbkdf2-sha256$': passlib('-sha256', pw),
      'passlib $pbkdf2-sha512$': passlib('-sha512', pw),
      'passlib $pbkdf2$': passlib('', pw),
      '{SSHA}': ssha('SSHA', 'sha1', pw),
      '{SSHA256}': ssha('SSHA256', 'sha256', pw),
      '{SSHA512}': ssha('SSHA512', 'sha512', pw),
    };
    for (const [name, h] of Object.entries(hashes)) {
      expect(hashScheme(h), name).not.toBeNull();
      expect(await verifyLegacyHash(h, pw), name).toBe(true);
      expect(await verifyLegacyHash(h, 'ancien-mot-2019'), name).toBe(false);
    }
    // Published vectors, made by other implementations: OpenBSD bcrypt, passlib's documentation, the OpenLDAP FAQ.
    expect(await verifyLegacyHash('$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', 'U*U')).toBe(true);
    expect(await verifyLegacyHash('$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M', 'password')).toBe(true);
    expect(await verifyLegacyHash('{SSHA}DkMTwBl+a/3DQTxCYEApdUtNXGgdUac3', 'secret')).toBe(true);
    expect(await verifyLegacyHash('{ssha}DkMTwBl+a/3DQTxCYEApdUtNXGgdUac3', 'Secret')).toBe(false);
    for (const unknown of ['5f4dcc3b5aa765d61d8327deb882cf99', '{MD5}X03MO1qnZdYdgyfeuILPmQ==', '$1$abc$def', 'pbkdf2_sha256$99999999$s$AAAA', '']) {
      expect(hashScheme(unknown), unknown).toBeNull();
      expect(await verifyLegacyHash(unknown, 'password')).toBe(false);
    }
  });

  it('reads CSV with quotes, ; delimiters and line numbers', () => {
    const { header, records } = parseCsv('\uFEFFidentifier;display_name;password\r\n"a;b";"Dupont, ""Jean""";x\r\n\r\nc;"multi\nline";y\n');
    expect(header).toEqual(['identifier', 'display_name', 'password']);
    expect(records).toEqual([
      { line: 2, fields: ['a;b', 'Dupont, "Jean"', 'x'] },
      { line: 4, fields: ['c', 'multi\nline', 'y'] },
    ]);
    expect(() => parseCsv('identifier\n"open')).toThrow(/line 2/);
  });
});

/** The application's own login endpoint, for http mode: answers 204 or 401; `panne` gets 503, `lent` no answer. */
async function startLegacyEndpoint(accounts: Record<string, string>) {
  const received: Array<{ contentType: string | undefined; fields: Record<string, string> }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const fields = Object.fromEntries(new URLSearchParams(body));
      received.push({ contentType: req.headers['content-type'], fields });
      const login = fields.login ?? '';
      if (login === 'lent') return; // the gateway's timeout answers
      if (login === 'panne') return void res.writeHead(503).end();
      const ok = Object.entries(accounts).some(([u, p]) => u.toLowerCase() === login.toLowerCase() && p === fields.secret);
      res.writeHead(ok ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/login`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.each(databaseBackends())('legacy identifiers on $name', ({ url }) => {
  let gw: TestGateway;
  let endpoint: Awaited<ReturnType<typeof startLegacyEndpoint>>;
  const upstreams: DemoApp[] = [];
  const LABO_ACCOUNTS = { jmartin: 'Labo-Martin-2018', asimon: 'Labo-Simon-2017', clefort: 'Labo-Lefort-2016' };

  beforeAll(async () => {
    endpoint = await startLegacyEndpoint(LABO_ACCOUNTS);
    const [opendrpPort, laboPort] = [await freePort(), await freePort()];
    gw = await startTestGateway({
      databaseUrl: url,
      overrides: {
        applications: [
          { id: 'opendrp', name: 'OpenDRP', host: APP_HOST, upstream: `http://127.0.0.1:${opendrpPort}`, legacy: { mode: 'directory' } },
          { id: 'labo', name: 'Labo Biologie', host: LABO_HOST, upstream: `http://127.0.0.1:${laboPort}`, legacy: { mode: 'http', url: endpoint.url, usernameField: 'login', passwordField: 'secret', timeoutMs: 400 } },
        ],
      },
    });
    for (const [port, audience] of [
      [opendrpPort, 'opendrp'],
      [laboPort, 'labo'],
    ] as const) {
      upstreams.push(await startDemoApp({ port, jwksUrl: `https://127.0.0.1:${gw.listeners.publicPort}/.well-known/jwks.json`, issuer: gw.config.publicUrl, audience, caPem: gw.runtime.pki.chainPem, clock: gw.clock }));
    }
    const csv = [
      'identifier,display_name,email,password_hash,password',
      `mdurand,Marie Durand,marie.durand@example.org,${bcryptHash('Drp-Durand-2015', 4)},`,
      `pleroy,Paul Leroy,,${django('sha256', 'Drp-Leroy-2016')},`,
      'lbernard,Louise Bernard,,,Drp-Bernard-2017',
      `rpetit,"Petit, Rémi",,${ssha('SSHA', 'sha1', 'Drp-Petit-2014')},`,
      `tmoreau,Théo Moreau,,${passlib('-sha256', 'Drp-Moreau-2013')},`,
    ].join('\n');
    const report = await importLegacyAccounts(gw.runtime, 'opendrp', csv, actor);
    expect(report).toMatchObject({ applied: true, rows: 5, created: 5, updated: 0, unchanged: 0, rejected: [] });
  });

  afterAll(async () => {
    for (const upstream of upstreams) await upstream.close();
    await endpoint?.close();
    await gw?.close();
  });

  async function person(apps: string[] = ['opendrp']): Promise<{ user: User; cert: ClientCertificate }> {
    const user = await gw.user({ grant: false });
    for (const app of apps) await gw.runtime.accounts.addGrant(user.id, app, actor);
    return { user, cert: await gw.personalCertificate(user) };
  }

  /** A signed-in browser on an application host (or the console). */
  async function signedIn(cert: ClientCertificate, host: string) {
    const cookies = new Map<string, string>();
    const form = await gw.request({ host, path: '/.passerelle/login', cert, cookies });
    expect(form.status).toBe(200);
    const login = await gw.request({ host, method: 'POST', path: '/.passerelle/login', cert, cookies, headers: FORM, body: new URLSearchParams({ csrf: csrfOf(form.body), password: PASSWORD, next: '/' }).toString() });
    expect(login.status).toBe(303);
    const get = (p: string, headers: Record<string, string> = {}) => gw.request({ host, path: p, cert, cookies, headers });
    const post = (p: string, fields: Record<string, string>) => gw.request({ host, method: 'POST', path: p, cert, cookies, headers: FORM, body: new URLSearchParams(fields).toString() });
    return {
      get,
      post,
      /** The first-use page, then its "already a user" form. */
      async legacySignIn(legacyUsername: string, legacyPassword: string, next = '/api/whoami'): Promise<Response> {
        const page = await get(`${LEGACY_PATH}?next=${encodeURIComponent(next)}`);
        return post(LEGACY_PATH, { csrf: csrfOf(page.body), legacyUsername, legacyPassword, next });
      },
      async whoami(): Promise<{ status: number; headers: Record<string, string>; claims: Record<string, unknown> }> {
        const res = await get('/api/whoami', JSON_ACCEPT);
        const body = JSON.parse(res.body) as { headers?: Record<string, string>; claims?: Record<string, unknown> };
        return { status: res.status, headers: body.headers ?? {}, claims: body.claims ?? {} };
      },
    };
  }

  /** The portal's login form on the public listener. */
  async function portalLogin(identifier: string, password: string) {
    const cookies = new Map<string, string>();
    const form = await gw.request({ port: 'public', host: 'localhost', path: '/connexion', cookies });
    const res = await gw.request({ port: 'public', host: 'localhost', method: 'POST', path: '/connexion', cookies, headers: FORM, body: new URLSearchParams({ csrf: csrfOf(form.body), identifier, password }).toString() });
    return { res, cookies };
  }

  const audit = (action: string) => gw.runtime.storage.audit.list({ action, limit: 500 });
  const repo = () => gw.runtime.storage.legacy;

  it('imports idempotently, and refuses bad rows with their line numbers', async () => {
    const app = requireLegacyApplication(gw.config, 'opendrp');
    const expected: Record<string, string> = { mdurand: 'Drp-Durand-2015', pleroy: 'Drp-Leroy-2016', lbernard: 'Drp-Bernard-2017', rpetit: 'Drp-Petit-2014', tmoreau: 'Drp-Moreau-2013' };
    for (const [username, password] of Object.entries(expected)) {
      expect(await checkLegacyCredentials(gw.runtime.storage.legacy, app, username.toUpperCase(), password), username).toEqual({ verdict: 'valid', username });
      expect(await checkLegacyCredentials(gw.runtime.storage.legacy, app, username, `${password}!`)).toEqual({ verdict: 'invalid' });
    }
    expect((await repo().account('opendrp', 'lbernard'))?.passwordHash).toMatch(/^\$argon2id\$/); // the clear-text column is hashed
    expect((await repo().account('opendrp', 'rpetit'))?.displayName).toBe('Petit, Rémi');

    // The same clear-text row again: the stored hash already matches, nothing changes.
    const again = await importLegacyAccounts(gw.runtime, 'opendrp', 'identifier,password\nLBernard,Drp-Bernard-2017\n', actor);
    expect(again).toMatchObject({ applied: true, created: 0, updated: 1, unchanged: 0 }); // spelling and missing columns updated
    const third = await importLegacyAccounts(gw.runtime, 'opendrp', 'identifier,password\nLBernard,Drp-Bernard-2017\n', actor);
    expect(third).toMatchObject({ applied: true, created: 0, updated: 0, unchanged: 1 });
    expect(await checkLegacyCredentials(gw.runtime.storage.legacy, app, 'lbernard', 'Drp-Bernard-2017')).toEqual({ verdict: 'valid', username: 'LBernard' });

    const bad = ['identifier,email,password_hash,password', 'nouveau1,,,Mot-De-Passe-1', ',,,x', 'dup,,,a', 'DUP,,,b', 'md5user,,5f4dcc3b5aa765d61d8327deb882cf99,', 'both,,{SSHA}DkMTwBl+a/3DQTxCYEApdUtNXGgdUac3,secret', 'mail,pas-un-mail,,x', 'none,,,'].join('\n');
    const refused = await importLegacyAccounts(gw.runtime, 'opendrp', bad, actor);
    expect(refused.applied).toBe(false);
    expect(refused.rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, 'identifier is empty'],
      [5, 'identifier already on line 4'],
      [6, expect.stringContaining('no supported format')],
      [7, 'give password_hash or password, not both'],
      [8, 'email is not an e-mail address'],
      [9, 'no password_hash and no password'],
    ]);
    expect(await repo().account('opendrp', 'nouveau1')).toBeUndefined(); // nothing written
    const partial = await importLegacyAccounts(gw.runtime, 'opendrp', bad, actor, { skipInvalid: true });
    expect(partial).toMatchObject({ applied: true, created: 2, rejected: expect.any(Array) });
    expect(await repo().account('opendrp', 'nouveau1')).toBeDefined();
    await expect(importLegacyAccounts(gw.runtime, 'labo', bad, actor)).rejects.toMatchObject({ code: 'not_directory_mode' });
    const imports = await audit('legacy.import');
    expect(imports.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(imports)).not.toContain('Drp-Bernard-2017');
  });

  it('directory mode: the first use maps the legacy identifier, then the application receives it', async () => {
    const { user, cert } = await person();
    const b = await signedIn(cert, APP_HOST);
    // Nothing reaches the application before the person has answered.
    const first = await b.get('/dossiers/42?vue=1');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`${LEGACY_PATH}?next=${encodeURIComponent('/dossiers/42?vue=1')}`);
    expect((await b.get('/api/whoami', JSON_ACCEPT)).status).toBe(403);
    expect(JSON.parse((await b.get('/api/whoami', JSON_ACCEPT)).body)).toMatchObject({ error: 'legacy_choice_required' });
    const page = await b.get(first.headers.location!);
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-page="legacy-first-use"');
    expect(text(page.body)).toContain('Déjà utilisateur d’OpenDRP');
    expect(text(page.body)).toContain('Nouveau sur OpenDRP');
    expect(text(page.body)).toContain(user.identifier);

    const wrong = await b.legacySignIn('mdurand', 'Drp-Durand-2014');
    expect(wrong.status).toBe(401);
    expect(errorCode(wrong.body)).toBe('invalid');
    expect(text(wrong.body)).toContain('il vous reste 4 tentatives');

    const ok = await b.legacySignIn('MDurand', 'Drp-Durand-2015');
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`${LEGACY_PATH}?next=%2Fapi%2Fwhoami`);
    const linked = await b.get(ok.headers.location!);
    expect(linked.body).toContain('data-page="legacy-linked"');
    expect(text(linked.body)).toContain(`Votre ancien identifiant mdurand est relié à votre identifiant ${user.identifier}`);
    expect((await repo().lock('opendrp', 'mdurand'))).toBeUndefined(); // the right password cleared the count

    const seen = await b.whoami();
    expect(seen.status).toBe(200);
    expect(seen.headers['x-passerelle-legacy-user']).toBe('mdurand');
    expect(seen.claims).toMatchObject({ preferred_username: user.identifier, legacy_username: 'mdurand' });
    expect((await b.get('/dossiers/42?vue=1')).status).toBe(200);
    // A client cannot send its own legacy identifier.
    expect((await b.get('/api/whoami', { ...JSON_ACCEPT, 'x-passerelle-legacy-user': 'admin' })).body).toContain('"x-passerelle-legacy-user":"mdurand"');

    const mapped = (await audit('legacy.map')).find((e) => e.subject === user.identifier && e.outcome === 'success');
    expect(mapped).toMatchObject({ applicationId: 'opendrp', certificateSerial: cert.serial, details: { legacyUsername: 'mdurand' } });
    expect(JSON.stringify(await gw.runtime.storage.audit.list({ limit: 1000 }))).not.toContain('Drp-Durand-201');
  });

  it('http mode: the application checks the credentials; "could not check" is not counted', async () => {
    const { user, cert } = await person(['labo']);
    const b = await signedIn(cert, LABO_HOST);
    expect((await b.get('/')).headers.location).toBe(`${LEGACY_PATH}?next=%2F`);

    const down = await b.legacySignIn('panne', 'peu-importe');
    expect(down.status).toBe(503);
    expect(errorCode(down.body)).toBe('unavailable');
    expect(text(down.body)).toContain('n’a pas pu vérifier');
    const slow = await b.legacySignIn('lent', 'peu-importe');
    expect(slow.status).toBe(503);
    expect(await repo().lock('labo', 'panne')).toBeUndefined();
    expect(await repo().lock('labo', 'lent')).toBeUndefined();
    const reasons = (await audit('legacy.sign_in')).filter((e) => e.applicationId === 'labo').map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['legacy_unavailable:status_503', 'legacy_unavailable:timeout']));

    const ok = await b.legacySignIn('jmartin', LABO_ACCOUNTS.jmartin);
    expect(ok.status).toBe(303);
    const last = endpoint.received.at(-1)!;
    expect(last.contentType).toBe('application/x-www-form-urlencoded');
    expect(last.fields).toEqual({ login: 'jmartin', secret: LABO_ACCOUNTS.jmartin });
    const seen = await b.whoami();
    expect(seen.headers['x-passerelle-legacy-user']).toBe('jmartin');
    expect(seen.claims).toMatchObject({ preferred_username: user.identifier, aud: 'labo', legacy_username: 'jmartin' });
    expect(JSON.stringify(await gw.runtime.storage.audit.list({ limit: 1000 }))).not.toContain(LABO_ACCOUNTS.jmartin);
  });

  it('"new to the application" is remembered, and the page stays reachable by its address', async () => {
    const { user, cert } = await person();
    const b = await signedIn(cert, APP_HOST);
    const page = await b.get(`${LEGACY_PATH}?next=%2Fdossiers`);
    const chose = await b.post(`${LEGACY_PATH}/nouveau`, { csrf: csrfOf(page.body), next: '/dossiers' });
    expect(chose.status).toBe(303);
    expect(chose.headers.location).toBe('/dossiers');
    const seen = await b.whoami();
    expect(seen.status).toBe(200);
    expect(seen.headers['x-passerelle-legacy-user']).toBeUndefined();
    expect(seen.claims.legacy_username).toBeUndefined();
    expect((await audit('legacy.declare_new')).some((e) => e.subject === user.identifier)).toBe(true);
    // Answered "new" by mistake: the page still links the old account.
    expect((await b.legacySignIn('tmoreau', 'Drp-Moreau-2013')).status).toBe(303);
    expect((await b.whoami()).headers['x-passerelle-legacy-user']).toBe('tmoreau');
    expect(await repo().hasDeclined(user.id, 'opendrp')).toBe(false);
  });

  it('a legacy identifier already mapped to someone else is a conflict left to the cell', async () => {
    const holder = await person();
    const hb = await signedIn(holder.cert, APP_HOST);
    expect((await hb.legacySignIn('rpetit', 'Drp-Petit-2014')).status).toBe(303);

    const claimant = await person();
    const cb = await signedIn(claimant.cert, APP_HOST);
    const clash = await cb.legacySignIn('rpetit', 'Drp-Petit-2014');
    expect(clash.status).toBe(409);
    expect(errorCode(clash.body)).toBe('conflict');
    expect(text(clash.body)).toContain('déjà relié à une autre personne');
    expect(await repo().mappingForUser(claimant.user.id, 'opendrp')).toBeUndefined();
    expect((await repo().mappingByLegacy('opendrp', 'rpetit'))?.userId).toBe(holder.user.id);
    // Asking again does not pile up conflicts.
    expect((await cb.legacySignIn('rpetit', 'Drp-Petit-2014')).status).toBe(409);
    const open = (await repo().conflicts({ open: true })).filter((c) => c.legacyUsername === 'rpetit');
    expect(open).toEqual([expect.objectContaining({ claimantUserId: claimant.user.id, holderUserId: holder.user.id, resolvedAt: null })]);
    const audited = (await audit('legacy.map')).filter((e) => e.reason === 'conflict' && e.subject === claimant.user.identifier);
    expect(audited[0]).toMatchObject({ outcome: 'failure', details: { legacyUsername: 'rpetit', holder: holder.user.identifier } });
    // Still nothing proxied for the claimant.
    expect((await cb.get('/api/whoami', JSON_ACCEPT)).status).toBe(403);
  });

  it('a burst of concurrent wrong legacy passwords gets at most maxFailures checks, locks once, and the right one racing it is refused', async () => {
    await importLegacyAccounts(gw.runtime, 'opendrp', 'identifier,password\nrafale.legacy,Drp-Rafale-2019\n', actor);
    const app = requireLegacyApplication(gw.config, 'opendrp');
    const max = gw.config.lockout.maxFailures;
    const context = { via: 'portal' as const, actor: null, ip: '198.51.100.9' };
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => checkWithLockout(gw.runtime, app, 'rafale.legacy', i === 15 ? 'Drp-Rafale-2019' : `faux-${i}`, context)));
    const mine = (e: { details: unknown }) => (e.details as { legacyUsername?: string } | null)?.legacyUsername === 'rafale.legacy';
    const checkedWrong = (await audit('legacy.sign_in')).filter((e) => mine(e) && e.reason === 'wrong_legacy_password');
    const valid = answers.filter((a) => a.kind === 'valid').length;
    expect(checkedWrong.length + valid).toBeLessThanOrEqual(max);
    expect((await audit('legacy.lockout')).filter(mine)).toHaveLength(valid === 1 ? 0 : 1);
    if (valid === 0) {
      expect(await repo().lock('opendrp', 'rafale.legacy')).toMatchObject({ lockedAt: expect.any(Number) });
      expect(await checkWithLockout(gw.runtime, app, 'rafale.legacy', 'Drp-Rafale-2019', context)).toEqual({ kind: 'locked' });
    }
  });

  it('five wrong passwords lock THAT legacy identifier, on the first-use page and the portal alike', async () => {
    const { cert } = await person();
    const b = await signedIn(cert, APP_HOST);
    for (let left = 4; left >= 1; left -= 1) {
      const res = await b.legacySignIn('pleroy', `faux-${left}`);
      expect(res.status).toBe(401);
      expect(text(res.body)).toContain(left === 1 ? 'il vous reste une tentative' : `il vous reste ${left} tentatives`);
    }
    const fifth = await b.legacySignIn('pleroy', 'faux-0');
    expect(fifth.status).toBe(403);
    expect(errorCode(fifth.body)).toBe('locked');
    // Locked: even the right password is refused, unchecked.
    const right = await b.legacySignIn('pleroy', 'Drp-Leroy-2016');
    expect(errorCode(right.body)).toBe('locked');
    expect(text(right.body)).toContain('bloqué après 5 essais incorrects');
    expect(await repo().lock('opendrp', 'pleroy')).toMatchObject({ failures: 5, lockedAt: expect.any(Number) });
    expect((await audit('legacy.lockout')).some((e) => (e.details as { legacyUsername?: string }).legacyUsername === 'pleroy')).toBe(true);
    // Another legacy identifier is not affected.
    expect((await repo().lock('opendrp', 'lbernard'))).toBeUndefined();

    // The cell unblocks it from the CLI; the right password then maps it.
    const cli = await cliRun(['legacy', 'unlock', '--app', 'opendrp', '--legacy-user', 'PLeroy']);
    expect(cli).toContain('unblocked');
    expect(await repo().lock('opendrp', 'pleroy')).toBeUndefined();
    expect((await b.legacySignIn('pleroy', 'Drp-Leroy-2016')).status).toBe(303);
  });

  it('migration period: a mapped legacy identifier opens the portal as its person, who is told their identifier', async () => {
    const { user, cert } = await person();
    expect((await (await signedIn(cert, APP_HOST)).legacySignIn('lbernard', 'Drp-Bernard-2017')).status).toBe(303);

    const { res, cookies } = await portalLogin('lbernard', 'Drp-Bernard-2017');
    expect(res.status).toBe(200);
    expect(res.body).toContain('data-page="legacy-portal-welcome"');
    expect(text(res.body)).toContain('ancien identifiant OpenDRP LBernard');
    expect(text(res.body)).toContain(`Votre identifiant sur la plateforme est ${user.identifier}`);
    // A real portal session of that person.
    const home = await gw.request({ port: 'public', host: 'localhost', path: '/compte', cookies });
    expect(home.status).toBe(200);
    expect(text(home.body)).toContain(user.identifier);
    const login = (await audit('portal.login')).find((e) => e.subject === user.identifier && e.outcome === 'success');
    expect(login).toMatchObject({ applicationId: 'opendrp', details: { via: 'legacy', legacyUsername: 'LBernard' } });

    // A wrong legacy password is refused like any other and counts towards that identifier's lock.
    const wrong = await portalLogin('lbernard', 'Drp-Bernard-2016');
    expect(wrong.res.status).toBe(401);
    expect(await repo().lock('opendrp', 'lbernard')).toMatchObject({ failures: 1, lockedAt: null });
    // Unmapped legacy identifiers do not open the portal, even with the right password.
    expect((await portalLogin('nouveau1', 'Mot-De-Passe-1')).res.status).toBe(401);

    // http mode too.
    const labo = await person(['labo']);
    expect((await (await signedIn(labo.cert, LABO_HOST)).legacySignIn('asimon', LABO_ACCOUNTS.asimon)).status).toBe(303);
    const viaLabo = await portalLogin('asimon', LABO_ACCOUNTS.asimon);
    expect(text(viaLabo.res.body)).toContain(`Votre identifiant sur la plateforme est ${labo.user.identifier}`);
  });

  it('cutting a person over refuses their legacy identifier everywhere, naming their identifier', async () => {
    const { user, cert } = await person();
    const b = await signedIn(cert, APP_HOST);
    expect((await b.legacySignIn('mdurand2', 'x')).status).toBe(401); // unknown in the directory: refused like a wrong password
    await importLegacyAccounts(gw.runtime, 'opendrp', `identifier,password\nmdurand2,Drp-Durand2-2012\n`, actor);
    expect((await b.legacySignIn('mdurand2', 'Drp-Durand2-2012')).status).toBe(303);

    const cli = JSON.parse(await cliRun(['--json', 'legacy', 'cut-over', '--app', 'opendrp', '--user', user.identifier])) as { cutOver: unknown[] };
    expect(cli.cutOver).toEqual([{ identifier: user.identifier, applicationId: 'opendrp', legacyUsername: 'mdurand2' }]);
    expect((await repo().mappingForUser(user.id, 'opendrp'))).toMatchObject({ status: 'cut_over', cutOverAt: expect.any(Number) });
    await expect(cutOverUser(gw.runtime, user.identifier, 'opendrp', actor)).rejects.toMatchObject({ code: 'already_cut_over' });

    const portal = await portalLogin('mdurand2', 'Drp-Durand2-2012');
    expect(portal.res.status).toBe(403);
    expect(errorCode(portal.res.body)).toBe('legacy_cut_over');
    expect(text(portal.res.body)).toContain(`Connectez-vous avec votre identifiant ${user.identifier}`);
    expect((await gw.request({ port: 'public', host: 'localhost', path: '/compte', cookies: portal.cookies })).status).toBe(303); // not signed in
    // Someone else proving the same credentials on the first-use page is refused too.
    const other = await person();
    const refused = await (await signedIn(other.cert, APP_HOST)).legacySignIn('mdurand2', 'Drp-Durand2-2012');
    expect(refused.status).toBe(403);
    expect(errorCode(refused.body)).toBe('legacy_cut_over');
    // The application still finds its existing account.
    expect((await b.whoami()).headers['x-passerelle-legacy-user']).toBe('mdurand2');
    const events = (await audit('legacy.cut_over')).filter((e) => e.subject === user.identifier);
    expect(events).toEqual([expect.objectContaining({ outcome: 'success', reason: 'user', applicationId: 'opendrp', actor: expect.stringMatching(/^cli:/) })]);
  });

  it('the cell cuts a whole application over from the console (with confirmation) and the API', async () => {
    const coordinator = (await gw.runtime.accounts.createUser({ givenName: 'Claire', familyName: 'Cellule', email: 'cellule@example.org', role: 'coordinator', password: PASSWORD }, actor)).user;
    const coordinatorCert = await gw.personalCertificate(coordinator);
    const console_ = await signedIn(coordinatorCert, CONSOLE_HOST);

    const mapped = await person(['labo']);
    expect((await (await signedIn(mapped.cert, LABO_HOST)).legacySignIn('clefort', LABO_ACCOUNTS.clefort)).status).toBe(303);

    const overview = await console_.get('/migration');
    expect(overview.status).toBe(200);
    const row = (id: string) => new RegExp(`<tr[^>]*data-application="${id}"[\\s\\S]*?</tr>`).exec(overview.body)?.[0] ?? '';
    const count = (html: string, name: string) => Number(new RegExp(`data-count="${name}">(\\d+)<`).exec(html)?.[1]);
    const laboMapped = count(row('labo'), 'mapped');
    expect(laboMapped).toBe((await repo().countMappings('labo')).mapped);
    expect(laboMapped).toBeGreaterThanOrEqual(2);
    const accounts = await repo().countAccounts('opendrp');
    expect(count(row('opendrp'), 'remaining')).toBe(accounts.unmapped);
    expect(accounts.unmapped).toBeLessThan(accounts.total);
    expect(text(overview.body)).toContain('rpetit'); // the open conflict

    // A person, one application: confirmation page, then POST with CSRF.
    const confirm = await console_.get(`/migration/confirmer?action=cut-over-user&user=${mapped.user.id}&app=labo`);
    expect(confirm.status).toBe(200);
    expect(text(confirm.body)).toContain(`Basculer ${mapped.user.identifier} pour Labo Biologie`);
    expect((await console_.post('/migration/basculer-personne', { user: mapped.user.id, app: 'labo' })).status).toBe(403); // no token
    expect((await repo().mappingForUser(mapped.user.id, 'labo'))?.status).toBe('mapped');
    const done = await console_.post('/migration/basculer-personne', { csrf: csrfOf(confirm.body), user: mapped.user.id, app: 'labo' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/migration?ok=cut_over_user');
    expect((await repo().mappingForUser(mapped.user.id, 'labo'))?.status).toBe('cut_over');
    const consoleEvent = (await audit('legacy.cut_over')).find((e) => e.subject === mapped.user.identifier);
    expect(consoleEvent).toMatchObject({ actor: coordinator.identifier, certificateSerial: coordinatorCert.serial, applicationId: 'labo' });

    // The whole application, through the admin API (bearer token + the coordinator's certificate).
    const { token } = await createToken(gw.runtime, { user: coordinator, name: 'migration' }, actor);
    const api = (method: string, p: string, body?: unknown) =>
      gw.request({ host: CONSOLE_HOST, method, path: `/api/v1${p}`, cert: coordinatorCert, headers: { ...JSON_ACCEPT, authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const progress = JSON.parse((await api('GET', '/legacy/applications')).body) as { applications: Array<{ applicationId: string; mapped: number; cutOverMappings: number; cutOver: unknown }> };
    expect(progress.applications.find((a) => a.applicationId === 'labo')).toMatchObject({ mapped: laboMapped - 1, cutOverMappings: 1, cutOver: null });
    const cut = await api('POST', '/legacy/applications/labo/cut-over', {});
    expect(cut.status).toBe(200);
    expect((JSON.parse(cut.body) as { cutOver: unknown[] }).cutOver).toHaveLength(laboMapped - 1);
    expect((await api('POST', '/legacy/applications/labo/cut-over', {})).status).toBe(409);
    expect((await repo().countMappings('labo')).mapped).toBe(0);

    // Legacy credentials are refused everywhere, naming the identifier…
    const portal = await portalLogin('jmartin', LABO_ACCOUNTS.jmartin);
    expect(errorCode(portal.res.body)).toBe('legacy_cut_over');
    expect(text(portal.res.body)).toContain('Labo Biologie');
    // …and someone new goes straight through: nothing left to ask.
    const newcomer = await person(['labo']);
    const nb = await signedIn(newcomer.cert, LABO_HOST);
    const seen = await nb.whoami();
    expect(seen.status).toBe(200);
    expect(seen.headers['x-passerelle-legacy-user']).toBeUndefined();
    const closed = await nb.get(LEGACY_PATH);
    expect(closed.body).toContain('data-page="legacy-closed"');
    // A sign-in posted anyway (the page has no form any more) maps nothing.
    const formToken = csrfOf((await nb.get('/.passerelle/logout')).body);
    const late = await nb.post(LEGACY_PATH, { csrf: formToken, legacyUsername: 'asimon', legacyPassword: LABO_ACCOUNTS.asimon });
    expect(late.status).toBe(303);
    expect(await repo().mappingForUser(newcomer.user.id, 'labo')).toBeUndefined();
    expect((await audit('legacy.map')).some((e) => e.subject === newcomer.user.identifier && e.reason === 'application_cut_over')).toBe(true);
    expect((await audit('legacy.cut_over_application'))[0]).toMatchObject({ actor: coordinator.identifier, certificateSerial: coordinatorCert.serial, applicationId: 'labo' });

    // The console shows it.
    const after = await console_.get('/migration');
    expect(text(new RegExp(`<tr[^>]*data-application="labo"[\\s\\S]*?</tr>`).exec(after.body)?.[0] ?? '')).toContain(`Basculée le`);
  });

  it('the CLI imports a file and reports progress', async () => {
    const file = path.join(gw.dataDir, 'opendrp.csv');
    writeFileSync(file, `identifier;display_name;password\ncli1;Compte CLI;Cli-Mot-2011\ncli2;Autre;Cli-Mot-2012\n`);
    const first = JSON.parse(await cliRun(['--json', 'legacy', 'import', '--app', 'opendrp', file])) as { created: number; applied: boolean };
    expect(first).toMatchObject({ applied: true, created: 2 });
    const second = JSON.parse(await cliRun(['--json', 'legacy', 'import', '--app', 'opendrp', file])) as { unchanged: number };
    expect(second).toMatchObject({ unchanged: 2 });
    const bad = path.join(gw.dataDir, 'bad.csv');
    writeFileSync(bad, 'identifier,password_hash\nx,{MD5}abc\n');
    const failed = await run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), 'legacy', 'import', '--app', 'opendrp', bad], { env: cliEnv(), cwd: ROOT }).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain('line 2 (x): password_hash is in no supported format');
    const status = JSON.parse(await cliRun(['--json', 'legacy', 'status'])) as Array<{ applicationId: string; imported: number | null }>;
    expect(status.map((s) => s.applicationId)).toEqual(['opendrp', 'labo']);
    expect(status[0]!.imported).toBe((await repo().countAccounts('opendrp')).total);
  });

  function cliEnv(): NodeJS.ProcessEnv {
    const config = path.join(gw.dataDir, 'legacy-config.json');
    writeFileSync(config, JSON.stringify({ applications: gw.config.applications }));
    return { ...process.env, ...gw.env, PASSERELLE_CONFIG: config, PASSERELLE_PUBLIC_URL: gw.config.publicUrl };
  }

  async function cliRun(args: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), ...args], { env: cliEnv(), cwd: ROOT });
    return stdout;
  }
});
