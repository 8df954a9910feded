/**
 * The admin JSON API on the console host, over real TLS on the gateway listener: a bearer
 * token AND the same coordinator's client certificate, or nothing. SQLite, and PostgreSQL
 * when DATABASE_URL is set.
 */
import { deactivatePerson, reactivatePerson } from '../src/people/actions.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { createToken } from '../src/tokens/index.ts';
import type { Registration, User } from '../src/model/index.ts';
import { PASSWORD, startTestGateway, type ClientCertificate, type Response, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends } from './helpers/backends.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const CONSOLE = 'console.localhost';

interface Coordinator {
  user: User;
  cert: ClientCertificate;
  token: string;
}

interface Call {
  method?: string;
  path: string;
  cert?: ClientCertificate | null;
  token?: string | null;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

describe.each(databaseBackends())('admin API on $name', ({ url }) => {
  let gw: TestGateway;
  let alice: Coordinator;
  let bob: Coordinator;
  let counter = 0;

  async function coordinator(givenName: string, familyName: string): Promise<Coordinator> {
    const { user } = await gw.runtime.accounts.createUser({ givenName, familyName, email: `${givenName.toLowerCase()}@cellule.example.org`, role: 'coordinator', password: PASSWORD }, { name: 'test', ip: null });
    const cert = await gw.personalCertificate(user);
    const { token } = await createToken(gw.runtime, { user, name: 'tests' }, { name: 'test', ip: null });
    return { user, cert, token };
  }

  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
    alice = await coordinator('Alice', 'Coordo');
    bob = await coordinator('Bob', 'Coordo');
  });
  afterAll(async () => {
    await gw?.close();
  });

  /** As Alice (her certificate and her token) unless told otherwise. */
  async function api(call: Call): Promise<Response & { json: Record<string, unknown> }> {
    const token = call.token === undefined ? alice.token : call.token;
    const headers: Record<string, string> = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    let body: string | undefined;
    if (typeof call.body === 'string') body = call.body;
    else if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const response = await gw.request({
      port: 'gateway',
      host: CONSOLE,
      method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
      path: call.path,
      cert: call.cert === undefined ? alice.cert : call.cert,
      headers: { ...headers, ...call.headers },
      body,
    });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
  }

  async function registration(overrides: Partial<Registration> = {}): Promise<Registration> {
    counter += 1;
    const r = {
      id: randomUUID(),
      givenName: 'Hélène',
      familyName: `Api${counter}`,
      email: `api${counter}@example.org`,
      profession: 'Kinésithérapeute',
      rpps: null,
      establishmentId: null,
      establishmentName: null,
      reason: null,
      requestedApplication: 'opendrp',
      lang: 'fr' as const,
      ip: '198.51.100.9',
      createdAt: gw.clock.now().getTime(),
      ...overrides,
    };
    await gw.runtime.storage.registrations.insert(r);
    return (await gw.runtime.storage.registrations.findById(r.id))!;
  }

  async function state(): Promise<string> {
    const n = async (sql: string) => Number((await gw.runtime.storage.db.get<{ n: number }>(sql))!.n);
    return JSON.stringify([
      await n('SELECT COUNT(*) AS n FROM users'),
      await n('SELECT COUNT(*) AS n FROM outbox'),
      await n('SELECT COUNT(*) AS n FROM grants'),
      await n('SELECT COUNT(*) AS n FROM withdrawal_codes'),
      await n('SELECT COUNT(*) AS n FROM access_requests'),
      await n("SELECT COUNT(*) AS n FROM registrations WHERE status = 'pending'"),
      await n("SELECT COUNT(*) AS n FROM certificate_requests WHERE status = 'pending'"),
    ]);
  }

  describe('authentication: token and coordinator certificate together', () => {
    it('both, of the same coordinator → 200, audited with actor, ip and serial', async () => {
      const response = await api({ path: '/api/v1/registrations?status=pending' });
      expect(response.status).toBe(200);
      expect(Array.isArray(response.json.registrations)).toBe(true);
      const [event] = await gw.runtime.storage.audit.list({ action: 'api.request', actor: alice.user.identifier });
      expect(event).toMatchObject({ outcome: 'success', ip: '127.0.0.1', certificateSerial: alice.cert.serial, details: { method: 'GET', path: '/api/v1/registrations', tokenId: alice.token.slice(4, 16) } });
      expect((await gw.runtime.storage.apiTokens.findById(alice.token.slice(4, 16)))!.lastUsedAt).toBe(gw.clock.now().getTime());
    });

    it('a token without a certificate → 403 coordinator_certificate_required', async () => {
      const response = await api({ path: '/api/v1/registrations', cert: null });
      expect([response.status, response.json.error]).toEqual([403, 'coordinator_certificate_required']);
      const [event] = await gw.runtime.storage.audit.list({ action: 'api.request' });
      expect(event).toMatchObject({ outcome: 'failure', reason: 'no_certificate', ip: '127.0.0.1', details: { tokenId: alice.token.slice(4, 16) } });
    });

    it('a coordinator certificate without a token → 401 token_required', async () => {
      const response = await api({ path: '/api/v1/registrations', token: null });
      expect([response.status, response.json.error]).toEqual([401, 'token_required']);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="passerelle"');
      const basic = await api({ path: '/api/v1/registrations', token: null, headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } });
      expect([basic.status, basic.json.error]).toEqual([401, 'token_required']);
      const [event] = await gw.runtime.storage.audit.list({ action: 'api.request' });
      expect(event).toMatchObject({ outcome: 'failure', reason: 'token_required', actor: alice.user.identifier, certificateSerial: alice.cert.serial });
    });

    it("another coordinator's token with my certificate → 403 token_certificate_mismatch", async () => {
      const response = await api({ path: '/api/v1/registrations', token: bob.token });
      expect([response.status, response.json.error]).toEqual([403, 'token_certificate_mismatch']);
      expect((await gw.runtime.storage.audit.list({ action: 'api.request' }))[0]).toMatchObject({ outcome: 'failure', reason: 'token_certificate_mismatch', actor: alice.user.identifier });
    });

    it("a clinician's certificate with a coordinator's token → 403", async () => {
      const clinician = await gw.user();
      const response = await api({ path: '/api/v1/registrations', cert: await gw.personalCertificate(clinician) });
      expect([response.status, response.json.error]).toEqual([403, 'coordinator_certificate_required']);
      expect((await gw.runtime.storage.audit.list({ action: 'api.request' }))[0]).toMatchObject({ reason: 'not_coordinator', actor: clinician.identifier });
    });

    it('a collective certificate → 403', async () => {
      const response = await api({ path: '/api/v1/registrations', cert: await gw.collectiveCertificate(await gw.establishment('Console collective')) });
      expect([response.status, response.json.error]).toEqual([403, 'coordinator_certificate_required']);
    });

    it('a wrong, malformed or unknown token → 401 invalid_token', async () => {
      const tampered = `${alice.token.slice(0, -1)}${alice.token.endsWith('A') ? 'B' : 'A'}`;
      const unknown = `psl_${'z'.repeat(12)}_${alice.token.slice(17)}`;
      for (const token of [tampered, unknown, 'psl_short', 'not-a-token']) {
        const response = await api({ path: '/api/v1/registrations', token });
        expect([response.status, response.json.error]).toEqual([401, 'invalid_token']);
        expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
      }
    });

    it('a revoked token → 401; a revoked certificate, a deactivated or locked coordinator → 403', async () => {
      const carol = await coordinator('Carol', 'Coordo');
      expect((await api({ path: '/api/v1/access-requests', cert: carol.cert, token: carol.token })).status).toBe(200);
      const second = await createToken(gw.runtime, { user: carol.user, name: 'second' }, { name: 'test', ip: null });
      await gw.runtime.storage.apiTokens.revoke(carol.token.slice(4, 16), gw.clock.now().getTime());
      expect((await api({ path: '/api/v1/access-requests', cert: carol.cert, token: carol.token })).json.error).toBe('invalid_token');
      expect((await api({ path: '/api/v1/access-requests', cert: carol.cert, token: second.token })).status).toBe(200);

      await deactivatePerson(gw.runtime, carol.user.id, { name: 'test', ip: null });
      const deactivated = await api({ path: '/api/v1/access-requests', cert: carol.cert, token: second.token });
      expect([deactivated.status, deactivated.json.error]).toEqual([403, 'coordinator_certificate_required']);
      expect((await gw.runtime.storage.audit.list({ action: 'api.request' }))[0]!.reason).toBe('account_deactivated');
      await reactivatePerson(gw.runtime, carol.user.id, { name: 'test', ip: null });
      expect((await api({ path: '/api/v1/access-requests', cert: carol.cert, token: second.token })).status).toBe(200);

      await gw.runtime.storage.users.setStatus(carol.user.id, 'locked', gw.clock.now().getTime());
      expect((await api({ path: '/api/v1/access-requests', cert: carol.cert, token: second.token })).json.error).toBe('coordinator_certificate_required');
      expect((await gw.runtime.storage.audit.list({ action: 'api.request' }))[0]!.reason).toBe('account_locked');
      await gw.runtime.storage.users.setStatus(carol.user.id, 'active', gw.clock.now().getTime());

      await gw.runtime.authority.revoke(carol.cert.serial, 'keyCompromise', { name: 'test', ip: null });
      const revoked = await api({ path: '/api/v1/access-requests', cert: carol.cert, token: second.token });
      expect([revoked.status, revoked.json.error]).toEqual([403, 'coordinator_certificate_required']);
      expect((await gw.runtime.storage.audit.list({ action: 'api.request' }))[0]!.reason).toBe('certificate_revoked');
    });

    it('refused requests change nothing', async () => {
      const r = await registration();
      const before = await state();
      for (const call of [{ cert: null }, { token: null }, { token: bob.token }]) {
        const response = await api({ path: `/api/v1/registrations/${r.id}/approve`, body: {}, ...call });
        expect(response.status).toBeGreaterThanOrEqual(401);
        expect(response.status).toBeLessThanOrEqual(403);
      }
      expect(await state()).toBe(before);
    });

    it('a token made with the real CLI works with its coordinator certificate', async () => {
      const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), '--json', 'token', 'create', '--user', bob.user.identifier, '--name', 'script de validation'], {
        env: { ...process.env, ...gw.env, PASSERELLE_PUBLIC_URL: gw.config.publicUrl },
        cwd: ROOT,
      });
      const created = JSON.parse(stdout) as { token: string; id: string; user: string };
      expect(created.token).toMatch(/^psl_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
      expect(created.user).toBe(bob.user.identifier);
      const stored = (await gw.runtime.storage.apiTokens.findById(created.id))!;
      expect(stored.secretHash).toMatch(/^\$argon2id\$/);
      expect(stored.secretHash).not.toContain(created.token.slice(17));
      expect((await api({ path: '/api/v1/registrations', cert: bob.cert, token: created.token })).status).toBe(200);
      expect((await api({ path: '/api/v1/registrations', cert: alice.cert, token: created.token })).json.error).toBe('token_certificate_mismatch');

      const list = await run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), '--json', 'token', 'list'], { env: { ...process.env, ...gw.env }, cwd: ROOT });
      expect(list.stdout).not.toContain(created.token.slice(17));
      await run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), 'token', 'revoke', created.id], { env: { ...process.env, ...gw.env }, cwd: ROOT });
      expect((await api({ path: '/api/v1/registrations', cert: bob.cert, token: created.token })).json.error).toBe('invalid_token');
      expect((await gw.runtime.storage.audit.list({ action: 'token.revoke', subject: bob.user.identifier }))[0]!.actor).toMatch(/^cli:/);
    });

    it('a clinician cannot be given a token', async () => {
      const { stderr } = await run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), '--json', 'token', 'create', '--user', (await gw.user()).identifier, '--name', 'x'], { env: { ...process.env, ...gw.env }, cwd: ROOT }).then(
        () => ({ stderr: '' }),
        (e: { stderr: string }) => e,
      );
      expect(stderr).toContain('not_coordinator');
    });
  });

  describe('registrations', () => {
    it('lists pending ones with duplicates, approves (identifier, -2 on collision), audits', async () => {
      const first = await registration({ givenName: 'Célia', familyName: 'Doublé', rpps: '10000000077' });
      const second = await registration({ givenName: 'celia', familyName: 'double', email: 'autre.celia@example.org' });
      const listed = await api({ path: '/api/v1/registrations?status=pending' });
      const rows = listed.json.registrations as Array<{ id: string; status: string; duplicates: Array<{ id: string; matches: string[] }> }>;
      expect(rows.every((r) => r.status === 'pending')).toBe(true);
      expect(rows.find((r) => r.id === first.id)!.duplicates).toEqual([expect.objectContaining({ id: second.id, matches: ['name'] })]);

      const approved = await api({ path: `/api/v1/registrations/${first.id}/approve`, method: 'POST' });
      expect(approved.status).toBe(200);
      expect(approved.json).toEqual({ id: first.id, status: 'approved', identifier: 'celia.double', userId: expect.any(String) as string });
      const collision = await api({ path: `/api/v1/registrations/${second.id}/approve`, body: {} });
      expect(collision.json).toMatchObject({ status: 'approved', identifier: 'celia.double-2' });

      const user = (await gw.runtime.storage.users.findByIdentifier('celia.double'))!;
      expect(user).toMatchObject({ status: 'provisional', rpps: '10000000077' });
      const outbox = (await gw.runtime.storage.outbox.list()).filter((m) => m.recipient === first.email);
      expect(outbox.map((m) => m.template)).toEqual(['registration.approved']);
      expect((await gw.runtime.storage.accessRequests.list({ userId: user.id, status: 'pending' })).map((a) => a.applicationId)).toEqual(['opendrp']);
      expect((await gw.runtime.storage.audit.list({ action: 'registration.approve', subject: 'celia.double' }))[0]).toMatchObject({ outcome: 'success', actor: alice.user.identifier, ip: '127.0.0.1' });

      const single = await api({ path: `/api/v1/registrations/${first.id}` });
      expect(single.json).toMatchObject({ id: first.id, status: 'approved', userId: user.id, decidedBy: alice.user.identifier });
    });

    it('a second approval → 409 already_decided and nothing changes', async () => {
      const r = await registration();
      expect((await api({ path: `/api/v1/registrations/${r.id}/approve`, body: {} })).status).toBe(200);
      const before = await state();
      const again = await api({ path: `/api/v1/registrations/${r.id}/approve`, body: {} });
      expect([again.status, again.json.error]).toEqual([409, 'already_decided']);
      const reject = await api({ path: `/api/v1/registrations/${r.id}/reject`, body: { reason: 'trop tard' } });
      expect([reject.status, reject.json.error]).toEqual([409, 'already_decided']);
      expect(await state()).toBe(before);
    });

    it('rejection needs a reason; bad bodies are refused and change nothing', async () => {
      const r = await registration();
      const before = await state();
      const refusals: Array<[Call, number, string]> = [
        [{ path: `/api/v1/registrations/${r.id}/reject`, body: {} }, 400, 'reason_required'],
        [{ path: `/api/v1/registrations/${r.id}/reject`, body: { reason: '   ' } }, 400, 'reason_required'],
        [{ path: `/api/v1/registrations/${r.id}/reject`, body: { reason: 42 } }, 400, 'invalid_body'],
        [{ path: `/api/v1/registrations/${r.id}/reject`, body: { reason: 'ok', extra: true } }, 400, 'invalid_body'],
        [{ path: `/api/v1/registrations/${r.id}/reject`, body: '{"reason": "oops"', headers: { 'content-type': 'application/json' } }, 400, 'invalid_body'],
        [{ path: `/api/v1/registrations/${r.id}/reject`, body: 'reason=oops', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
        [{ path: `/api/v1/registrations/${r.id}/reject`, body: { reason: 'x'.repeat(40_000) } }, 413, 'payload_too_large'],
        [{ path: `/api/v1/registrations/${r.id}/approve`, body: { identifier: 'choisi.par.moi' } }, 400, 'invalid_body'],
        [{ path: `/api/v1/registrations/${r.id}/approve`, body: '[]', headers: { 'content-type': 'application/json' } }, 400, 'invalid_body'],
        [{ path: `/api/v1/registrations/${randomUUID()}/approve`, body: {} }, 404, 'not_found'],
        [{ path: '/api/v1/registrations?status=maybe' }, 400, 'invalid_query'],
        [{ path: '/api/v1/registrations?status=pending&status=approved' }, 400, 'invalid_query'],
        [{ path: '/api/v1/nothing-here' }, 404, 'not_found'],
      ];
      for (const [call, status, error] of refusals) {
        const response = await api(call);
        expect([call.path, response.status, response.json.error]).toEqual([call.path, status, error]);
      }
      expect(await state()).toBe(before);
      expect((await gw.runtime.storage.registrations.findById(r.id))!.status).toBe('pending');

      const rejected = await api({ path: `/api/v1/registrations/${r.id}/reject`, body: { reason: 'Inscription en double' } });
      expect(rejected.json).toEqual({ id: r.id, status: 'rejected' });
      const mails = (await gw.runtime.storage.outbox.list()).filter((m) => m.recipient === r.email);
      expect(mails.map((m) => [m.template, JSON.parse(m.payload) as unknown])).toEqual([['registration.rejected', { givenName: 'Hélène', reason: 'Inscription en double' }]]);
      expect((await gw.runtime.storage.audit.list({ action: 'registration.reject', subject: `registration:${r.id}` }))[0]).toMatchObject({ outcome: 'success', actor: alice.user.identifier, ip: '127.0.0.1' });
    });
  });

  describe('certificate requests', () => {
    it('approve, new code, reject: mails queued, no code in any answer', async () => {
      const holder = await gw.user({ givenName: 'Théo', familyName: 'Poste' });
      const ids: string[] = [randomUUID(), randomUUID()];
      for (const [i, id] of ids.entries()) {
        await gw.runtime.storage.certificateRequests.insert({ id, kind: 'personal', userId: holder.id, establishmentId: null, label: `Poste ${i + 1}`, requestedBy: holder.identifier, createdAt: gw.clock.now().getTime() });
      }
      const pending = (await api({ path: '/api/v1/certificate-requests?status=pending' })).json.certificateRequests as Array<{ id: string; holder: { identifier: string } }>;
      expect(pending.filter((r) => ids.includes(r.id)).map((r) => r.holder.identifier)).toEqual([holder.identifier, holder.identifier]);

      const approved = await api({ path: `/api/v1/certificate-requests/${ids[0]}/approve`, body: {} });
      expect(approved.status).toBe(200);
      expect(approved.json).toMatchObject({ id: ids[0], status: 'approved', kind: 'personal', withdrawalIdentifier: `${holder.identifier}@${gw.config.platformDomain}`, mailedTo: holder.email });
      expect(Object.keys(approved.json).sort()).toEqual(['codeExpiresAt', 'id', 'kind', 'mailedTo', 'status', 'withdrawalIdentifier']);
      const again = await api({ path: `/api/v1/certificate-requests/${ids[0]}/approve`, body: {} });
      expect([again.status, again.json.error]).toEqual([409, 'already_decided']);

      const renewed = await api({ path: `/api/v1/certificate-requests/${ids[0]}/withdrawal-code`, body: {} });
      expect(renewed.json).toMatchObject({ id: ids[0], status: 'approved' });
      expect((await gw.runtime.storage.withdrawalCodes.listForRequestIds([ids[0]!])).map((c) => c.status).sort()).toEqual(['superseded', 'unused']);
      const noCode = await api({ path: `/api/v1/certificate-requests/${ids[1]}/withdrawal-code`, body: {} });
      expect([noCode.status, noCode.json.error]).toEqual([409, 'not_approved']);

      expect((await api({ path: `/api/v1/certificate-requests/${ids[1]}/reject`, body: {} })).json.error).toBe('reason_required');
      expect((await api({ path: `/api/v1/certificate-requests/${ids[1]}/reject`, body: { reason: 'Un seul poste par cabinet' } })).json).toEqual({ id: ids[1], status: 'rejected' });

      const templates = (await gw.runtime.storage.outbox.list()).filter((m) => m.recipient === holder.email).map((m) => m.template).sort();
      expect(templates).toEqual(['certificate-request.rejected', 'withdrawal.document', 'withdrawal.document', 'withdrawal.password', 'withdrawal.password']);

      const view = (await api({ path: `/api/v1/certificate-requests/${ids[0]}` })).json;
      expect(view).toMatchObject({ status: 'approved', withdrawal: { status: 'unused', failedAttempts: 0 } });
      expect(JSON.stringify(view)).not.toContain('argon2');
    });

    it('the cell creates a collective request, approved at once for the referent', async () => {
      const establishment = await gw.runtime.accounts.createEstablishment({ name: 'Clinique du Parc', referentEmail: 'referent.parc@example.org' }, { name: 'test', ip: null });
      const refused = await api({ path: '/api/v1/certificate-requests', body: { kind: 'personal', establishmentId: establishment.id, label: 'Accueil' } });
      expect([refused.status, refused.json.error]).toEqual([400, 'invalid_body']);
      const unknown = await api({ path: '/api/v1/certificate-requests', body: { kind: 'collective', establishmentId: randomUUID(), label: 'Accueil' } });
      expect([unknown.status, unknown.json.error]).toEqual([404, 'establishment_not_found']);

      const created = await api({ path: '/api/v1/certificate-requests', body: { kind: 'collective', establishmentId: establishment.id, label: 'Accueil', approve: true } });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ kind: 'collective', status: 'approved', establishmentId: establishment.id, label: 'Accueil', approval: { mailedTo: 'referent.parc@example.org' } });
      const request = (await gw.runtime.storage.certificateRequests.findById(created.json.id as string))!;
      expect(request).toMatchObject({ kind: 'collective', status: 'approved', requestedBy: alice.user.identifier, decidedBy: alice.user.identifier });
      const mails = (await gw.runtime.storage.outbox.list()).filter((m) => m.recipient === 'referent.parc@example.org');
      expect(mails.map((m) => m.template).sort()).toEqual(['withdrawal.document', 'withdrawal.password']);

      const pending = await api({ path: '/api/v1/certificate-requests', body: { kind: 'collective', establishmentId: establishment.id, label: 'Salle 2' } });
      expect(pending.json).toMatchObject({ status: 'pending', approval: null });
      expect((await api({ path: `/api/v1/certificate-requests/${pending.json.id as string}/approve`, body: {} })).json.status).toBe('approved');
    });
  });

  describe('access requests', () => {
    it('approve grants and mails; reject mails the reason', async () => {
      const person = await gw.user({ grant: false, givenName: 'Inès', familyName: 'Appli' });
      const [toGrant, toReject] = [randomUUID(), randomUUID()];
      await gw.runtime.storage.accessRequests.insert({ id: toGrant, userId: person.id, applicationId: 'opendrp', createdAt: gw.clock.now().getTime() });
      const listed = (await api({ path: '/api/v1/access-requests?status=pending' })).json.accessRequests as Array<{ id: string; applicationName: string; user: { identifier: string } }>;
      expect(listed.find((r) => r.id === toGrant)).toMatchObject({ applicationName: 'OpenDRP', user: { identifier: person.identifier } });

      expect((await api({ path: `/api/v1/access-requests/${toGrant}/approve`, body: {} })).json).toEqual({ id: toGrant, status: 'granted', userId: person.id, applicationId: 'opendrp' });
      expect(await gw.runtime.storage.grants.isGranted(person.id, 'opendrp')).toBe(true);
      expect((await api({ path: `/api/v1/access-requests/${toGrant}/approve`, body: {} })).json.error).toBe('already_decided');

      await gw.runtime.storage.accessRequests.insert({ id: toReject, userId: person.id, applicationId: 'opendrp', createdAt: gw.clock.now().getTime() });
      expect((await api({ path: `/api/v1/access-requests/${toReject}/reject`, body: { reason: 'Déjà accordé' } })).json).toEqual({ id: toReject, status: 'rejected' });
      const templates = (await gw.runtime.storage.outbox.list()).filter((m) => m.recipient === person.email).map((m) => m.template).sort();
      expect(templates).toEqual(['access.granted', 'access.rejected']);
      expect((await gw.runtime.storage.audit.list({ action: 'access-request.approve', subject: person.identifier }))[0]).toMatchObject({ actor: alice.user.identifier, ip: '127.0.0.1', applicationId: 'opendrp' });
    });
  });
});
