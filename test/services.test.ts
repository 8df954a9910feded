/**
 * Establishment services on SQLite and PostgreSQL: the access a service opens follows every
 * link (membership, the member's establishment, the service's grant, the cell's allowance) at
 * the next decision; the change feed hears each write; the fence keeps an establishment
 * administrator inside their establishment (refusals audited, nothing changed); bad input
 * changes nothing.
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideAccess } from '../src/authorization/access.ts';
import { resolveCertificate } from '../src/authentication/certificate.ts';
import {
  REGION,
  addAdmin,
  addMember,
  adminScopeOf,
  allowApplication,
  createService,
  deleteService,
  disallowApplication,
  grantToService,
  removeMember,
  servicesClaim,
  updateService,
  type AdminScope,
} from '../src/services/index.ts';
import { databaseBackends } from './helpers/backends.ts';
import { signIn, startTestGateway, type TestGateway } from './helpers/gateway.ts';

const CELL = { name: 'cellule', ip: null };

describe.each(databaseBackends())('establishment services on $name', ({ url }) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
  });
  afterAll(async () => gw?.close());

  async function decide(userId: string, certPem: string) {
    const resolution = await resolveCertificate({ der: new X509Certificate(certPem).raw, authorized: true, authorizationError: null }, gw.runtime.storage, gw.clock);
    if (!resolution.ok) throw new Error(resolution.reason);
    return decideAccess(gw.runtime.storage, resolution.context, userId, 'opendrp');
  }

  it('a service opens an application only while every link holds; each write reaches the change feed', async () => {
    const { runtime } = gw;
    const chu = await gw.establishment('CHU A');
    const other = await gw.establishment('Clinique B');
    const nurse = await gw.user({ establishmentId: chu.id, grant: false });
    const cert = await gw.personalCertificate(nurse);
    const heard: string[] = [];
    const stop = runtime.storage.changes.onChange((tables) => heard.push(...tables));

    const service = await createService(runtime, REGION, chu.id, { name: '  Pneumologie ', code: 'PNEUMO' }, CELL);
    expect(service.name).toBe('Pneumologie');
    expect((await decide(nurse.id, cert.certPem)).allowed).toBe(false);
    await addMember(runtime, REGION, service.id, nurse.identifier, CELL);
    expect(await decide(nurse.id, cert.certPem)).toMatchObject({ allowed: false, reason: 'no_access' });
    // Not allowed for the establishment: refused, nothing granted.
    await expect(grantToService(runtime, REGION, service.id, 'opendrp', CELL)).rejects.toMatchObject({ code: 'application_not_allowed' });
    await allowApplication(runtime, REGION, chu.id, 'opendrp', CELL);
    await grantToService(runtime, REGION, service.id, 'opendrp', CELL);
    expect((await decide(nurse.id, cert.certPem)).allowed).toBe(true);
    expect(await runtime.storage.grants.listByUser(nurse.id)).toEqual([]);
    expect(await servicesClaim(runtime, nurse.id, nurse.establishmentId)).toEqual(['PNEUMO']);

    // The cell withdraws the allowance: closed at once; given back: open again.
    await disallowApplication(runtime, REGION, chu.id, 'opendrp', CELL);
    expect((await decide(nurse.id, cert.certPem)).allowed).toBe(false);
    await allowApplication(runtime, REGION, chu.id, 'opendrp', CELL);
    expect((await decide(nurse.id, cert.certPem)).allowed).toBe(true);

    // Moving to another establishment: the old service's grant no longer counts.
    await runtime.storage.users.updateIdentity(nurse.id, { givenName: nurse.givenName, familyName: nurse.familyName, profession: null, rpps: null, establishmentId: other.id }, gw.clock.now().getTime());
    expect((await decide(nurse.id, cert.certPem)).allowed).toBe(false);
    await runtime.storage.users.updateIdentity(nurse.id, { givenName: nurse.givenName, familyName: nurse.familyName, profession: null, rpps: null, establishmentId: chu.id }, gw.clock.now().getTime());
    expect((await decide(nurse.id, cert.certPem)).allowed).toBe(true);

    await removeMember(runtime, REGION, service.id, nurse.id, CELL);
    expect((await decide(nurse.id, cert.certPem)).allowed).toBe(false);
    await addMember(runtime, REGION, service.id, nurse.id, CELL);
    const deleted = await deleteService(runtime, REGION, service.id, CELL);
    expect(deleted.members).toBe(1);
    expect((await decide(nurse.id, cert.certPem)).allowed).toBe(false);
    expect(await runtime.storage.services.membershipsOf(nurse.id)).toEqual([]);
    stop();
    expect(new Set(heard)).toEqual(new Set(['services', 'service_members', 'service_grants', 'establishment_applications', 'users']));

    const actions = (await runtime.storage.audit.list({ actor: 'cellule', limit: 100 })).filter((e) => e.outcome === 'success').map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['service.create', 'service.member.add', 'service.grant', 'establishment.application.allow', 'establishment.application.disallow', 'service.member.remove', 'service.delete']));
  });

  it('an establishment administrator stays inside their establishment; bad input changes nothing', async () => {
    const { runtime } = gw;
    const mine = await gw.establishment('Hôpital C');
    const theirs = await gw.establishment('Hôpital D');
    const admin = await gw.user({ establishmentId: mine.id, grant: false });
    const colleague = await gw.user({ establishmentId: mine.id, grant: false });
    const stranger = await gw.user({ establishmentId: theirs.id, grant: false });
    expect(await adminScopeOf(runtime, admin)).toBeNull();
    // The role is only for a person of that establishment.
    await expect(addAdmin(runtime, REGION, theirs.id, admin.identifier, CELL)).rejects.toMatchObject({ code: 'not_member_of_establishment' });
    await addAdmin(runtime, REGION, mine.id, admin.identifier, CELL);
    const scope = (await adminScopeOf(runtime, admin)) as AdminScope;
    expect(scope).toEqual({ kind: 'establishment', establishmentIds: [mine.id] });
    const actor = { name: admin.identifier, ip: '192.0.2.7' };

    const ours = await createService(runtime, scope, mine.id, { name: 'Cardiologie' }, actor);
    const foreign = await createService(runtime, REGION, theirs.id, { name: 'Urgences' }, CELL);
    await expect(createService(runtime, scope, theirs.id, { name: 'Intrus' }, actor)).rejects.toMatchObject({ status: 404 });
    await expect(addMember(runtime, scope, ours.id, stranger.identifier, actor)).rejects.toMatchObject({ status: 404, code: 'user_not_found' });
    await expect(addMember(runtime, scope, foreign.id, colleague.identifier, actor)).rejects.toMatchObject({ status: 404 });
    await expect(updateService(runtime, scope, foreign.id, { name: 'Renommé' }, actor)).rejects.toMatchObject({ status: 404 });
    await expect(allowApplication(runtime, scope, mine.id, 'opendrp', actor)).rejects.toMatchObject({ status: 403, code: 'coordinator_required' });
    expect((await runtime.storage.services.listByEstablishment(theirs.id)).map((s) => s.name)).toEqual(['Urgences']);
    expect(await runtime.storage.services.membershipsOf(stranger.id)).toEqual([]);
    const fence = await runtime.storage.audit.list({ action: 'establishment.scope', actor: admin.identifier });
    expect(fence.length).toBe(4);
    expect(fence.every((e) => e.outcome === 'failure' && e.ip === '192.0.2.7')).toBe(true);

    // Bad input: clear codes, nothing created or renamed.
    await expect(createService(runtime, scope, mine.id, { name: '   ' }, actor)).rejects.toMatchObject({ status: 400, code: 'service_name_required' });
    await expect(createService(runtime, scope, mine.id, { name: 'X', code: 'a b' }, actor)).rejects.toMatchObject({ status: 400, code: 'invalid_service_code' });
    await expect(createService(runtime, scope, mine.id, { name: 'Cardiologie' }, actor)).rejects.toMatchObject({ status: 409, code: 'service_exists' });
    expect((await runtime.storage.services.listByEstablishment(mine.id)).map((s) => s.name)).toEqual(['Cardiologie']);
    const failures = (await runtime.storage.audit.list({ action: 'service.create', actor: admin.identifier })).filter((e) => e.outcome === 'failure').map((e) => e.reason);
    expect(failures).toEqual(expect.arrayContaining(['service_name_required', 'invalid_service_code', 'service_exists']));

    // A person who moves away loses the administrator's fence at once.
    await runtime.storage.users.updateIdentity(admin.id, { givenName: admin.givenName, familyName: admin.familyName, profession: null, rpps: null, establishmentId: theirs.id }, gw.clock.now().getTime());
    expect(await adminScopeOf(runtime, (await runtime.storage.users.findById(admin.id))!)).toBeNull();
  });
  it('the assertion carries the services only for an application with sendServices, through the gateway', async () => {
    const { runtime } = gw;
    const chu = await gw.establishment('CHU claims');
    const nurse = await gw.user({ establishmentId: chu.id, grant: false });
    const cert = await gw.personalCertificate(nurse);
    const service = await createService(runtime, REGION, chu.id, { name: 'Réanimation', code: 'REA' }, CELL);
    await addMember(runtime, REGION, service.id, nurse.identifier, CELL);
    await allowApplication(runtime, REGION, chu.id, 'opendrp', CELL);
    await grantToService(runtime, REGION, service.id, 'opendrp', CELL);
    const { cookies } = await signIn(gw, cert);
    const claims = async () => (JSON.parse((await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } })).body) as { claims: Record<string, unknown> }).claims;
    expect((await claims()).services).toBeUndefined();
    // The same application object the gateway was built with (config is read once at start).
    const app = gw.config.applications[0]!;
    app.sendServices = true;
    // The signed assertion is reused for half its lifetime: let it expire so the next one is built with the flag.
    gw.clock.advance((gw.config.assertion.ttlSeconds / 2) * 1000 + 1);
    try {
      expect((await claims()).services).toEqual(['REA']);
    } finally {
      app.sendServices = false;
    }
  });
});
