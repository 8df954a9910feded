/**
 * Services and delegation end to end, on SQLite and PostgreSQL: the admin API over real TLS
 * (the cell's token AND its certificate) and the real CLI in another process, then the
 * member reaching OpenDRP through the gateway with their own certificate, with no individual
 * grant. Bad input answers a stable `error` code (JSON, or the CLI's exit status and stderr)
 * and changes nothing.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../src/model/index.ts';
import { createToken } from '../src/tokens/index.ts';
import { databaseBackends } from './helpers/backends.ts';
import { APP_HOST, PASSWORD, signIn, startTestGateway, type ClientCertificate, type Response, type TestGateway } from './helpers/gateway.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const CONSOLE = 'console.localhost';
const ACTOR = { name: 'test', ip: null };

describe.each(databaseBackends())('services admin API and CLI on $name', ({ url }) => {
  let gw: TestGateway;
  let cell: { user: User; cert: ClientCertificate; token: string };

  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
    const { user } = await gw.runtime.accounts.createUser({ givenName: 'Céline', familyName: 'Cellule', email: 'celine@cellule.example.org', role: 'coordinator', password: PASSWORD }, ACTOR);
    cell = { user, cert: await gw.personalCertificate(user), token: (await createToken(gw.runtime, { user, name: 'tests' }, ACTOR)).token };
  });
  afterAll(async () => gw?.close());

  async function api(method: string, apiPath: string, body?: unknown): Promise<Response & { json: Record<string, unknown> }> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${cell.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await gw.request({ port: 'gateway', host: CONSOLE, method, path: `/api/v1${apiPath}`, cert: cell.cert, headers, body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body) });
    return { ...response, json: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {} };
  }

  /** The real CLI in another process on the same data directory and database. */
  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), ...args], { env: { ...process.env, ...gw.env }, cwd: ROOT }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  }

  /** The member's own certificate and session, through the gateway to OpenDRP. */
  async function reachesOpenDrp(cert: ClientCertificate): Promise<number> {
    const { cookies } = await signIn(gw, cert);
    return (await gw.request({ host: APP_HOST, path: '/', cert, cookies })).status;
  }

  const snapshot = async (establishmentId: string) => ({
    services: await gw.runtime.storage.services.listByEstablishment(establishmentId),
    allowed: await gw.runtime.storage.delegation.allowedApplications(establishmentId),
    admins: (await gw.runtime.storage.delegation.admins(establishmentId)).map((a) => a.userId),
  });

  it('admin API: create a service, add a member, allow and grant OpenDRP; the member reaches it; removed, refused', async () => {
    const chu = await gw.establishment('CHU API');
    const nurse = await gw.user({ givenName: 'Iris', familyName: 'Api', establishmentId: chu.id, grant: false });
    const cert = await gw.personalCertificate(nurse);
    expect(await reachesOpenDrp(cert)).not.toBe(200);

    const created = await api('POST', `/establishments/${chu.id}/services`, { name: 'Pneumologie', code: 'PNEUMO' });
    expect(created.status).toBe(201);
    const serviceId = created.json.id as string;
    expect((await api('POST', `/services/${serviceId}/members`, { person: nurse.identifier })).json).toEqual({ added: true });
    // Not allowed for the establishment yet: a stable code, nothing granted.
    const early = await api('POST', `/services/${serviceId}/applications`, { application: 'opendrp' });
    expect([early.status, early.json.error]).toEqual([409, 'application_not_allowed']);
    expect((await api('POST', `/establishments/${chu.id}/applications`, { application: 'opendrp' })).json).toEqual({ added: true });
    expect((await api('POST', `/services/${serviceId}/applications`, { application: 'opendrp' })).json).toEqual({ added: true });

    const listed = await api('GET', `/establishments/${chu.id}/services`);
    expect(listed.json.services).toEqual([expect.objectContaining({ id: serviceId, name: 'Pneumologie', code: 'PNEUMO', members: 1, applications: ['opendrp'] })]);
    expect((await api('GET', `/services/${serviceId}`)).json.memberList).toEqual([expect.objectContaining({ userId: nurse.id })]);
    expect(await gw.runtime.storage.grants.listByUser(nurse.id)).toEqual([]);
    expect(await reachesOpenDrp(cert)).toBe(200);
    const [event] = await gw.runtime.storage.audit.list({ action: 'service.grant', subject: `establishment:${chu.id}` });
    expect(event).toMatchObject({ outcome: 'success', actor: cell.user.identifier, certificateSerial: cell.cert.serial });

    expect((await api('DELETE', `/services/${serviceId}/members/${nurse.identifier}`)).status).toBe(204);
    expect(await reachesOpenDrp(cert)).not.toBe(200);
  });

  it('admin API: bad input gets a stable error code and changes nothing', async () => {
    const chu = await gw.establishment('CHU Refus API');
    const other = await gw.establishment('Clinique Refus API');
    const outsider = await gw.user({ establishmentId: other.id, grant: false });
    const { json: service } = await api('POST', `/establishments/${chu.id}/services`, { name: 'Urgences' });
    const before = await snapshot(chu.id);

    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', `/establishments/${chu.id}/services`, { name: '   ' }, 400, 'service_name_required'],
      ['POST', `/establishments/${chu.id}/services`, { name: 'Bloc', code: 'pas de blancs' }, 400, 'invalid_service_code'],
      ['POST', `/establishments/${chu.id}/services`, { name: 'Urgences' }, 409, 'service_exists'],
      ['POST', `/establishments/${chu.id}/services`, { name: 'X', extra: 1 }, 400, 'invalid_body'],
      ['POST', `/establishments/${chu.id}/services`, '{not json', 400, 'invalid_body'],
      ['POST', '/establishments/nope/services', { name: 'X' }, 404, 'establishment_not_found'],
      ['POST', `/services/${service.id as string}/members`, { person: outsider.identifier }, 400, 'not_member_of_establishment'],
      ['POST', `/services/${service.id as string}/members`, { person: 'personne.inconnue' }, 404, 'user_not_found'],
      ['POST', '/services/nope/members', { person: outsider.identifier }, 404, 'service_not_found'],
      ['POST', `/services/${service.id as string}/applications`, { application: 'inconnue' }, 404, 'application_not_found'],
      ['DELETE', `/services/${service.id as string}/applications/opendrp`, undefined, 404, 'not_granted'],
      ['POST', `/establishments/${chu.id}/admins`, { person: outsider.identifier }, 400, 'not_member_of_establishment'],
      ['POST', `/establishments/${chu.id}/applications`, { application: 'inconnue' }, 404, 'application_not_found'],
      ['DELETE', `/establishments/${chu.id}/applications/opendrp`, undefined, 409, 'not_allowed'],
    ];
    for (const [method, apiPath, body, status, error] of cases) {
      const response = await api(method, apiPath, body);
      expect([method, apiPath, response.status, response.json.error]).toEqual([method, apiPath, status, error]);
    }
    expect(await snapshot(chu.id)).toEqual(before);
    expect(await gw.runtime.storage.services.membershipsOf(outsider.id)).toEqual([]);
  });

  it('CLI: the same journey in another process; refusals exit non-zero with the code and change nothing', async () => {
    const chu = await gw.establishment('CHU CLI');
    const nurse = await gw.user({ givenName: 'Jade', familyName: 'Cli', establishmentId: chu.id, grant: false });
    const admin = await gw.user({ givenName: 'Hugo', familyName: 'Admincli', establishmentId: chu.id, grant: false });
    const cert = await gw.personalCertificate(nurse);

    const created = await cli('--json', 'services', 'create', chu.id, 'Cardiologie', '--code', 'CARDIO');
    expect(created.code).toBe(0);
    const serviceId = (JSON.parse(created.stdout) as { id: string }).id;
    expect((await cli('services', 'add-member', serviceId, nurse.identifier)).code).toBe(0);
    expect((await cli('establishment', 'allow', chu.id, 'opendrp')).code).toBe(0);
    expect((await cli('services', 'grant', serviceId, 'opendrp')).code).toBe(0);
    expect((await cli('establishment', 'add-admin', chu.id, admin.identifier)).code).toBe(0);
    const listed = JSON.parse((await cli('--json', 'services', 'list', chu.id)).stdout) as { services: Array<{ id: string; members: number; applications: string[] }> };
    expect(listed.services).toEqual([expect.objectContaining({ id: serviceId, members: 1, applications: ['opendrp'] })]);
    expect((await snapshot(chu.id)).admins).toEqual([admin.id]);
    expect(await reachesOpenDrp(cert)).toBe(200);
    const [event] = await gw.runtime.storage.audit.list({ action: 'service.member.add', subject: nurse.identifier });
    expect(event!.actor).toMatch(/^cli:/);

    const before = await snapshot(chu.id);
    const refusals: Array<[string[], string]> = [
      [['services', 'create', chu.id, 'Cardiologie'], 'service_exists'],
      [['services', 'create', chu.id, 'Bloc', '--code', 'a b'], 'invalid_service_code'],
      [['services', 'create', 'inconnu', 'Bloc'], 'establishment_not_found'],
      [['services', 'add-member', serviceId, 'personne.inconnue'], 'user_not_found'],
      [['services', 'grant', serviceId, 'inconnue'], 'application_not_found'],
      [['services', 'revoke', 'nope', 'opendrp'], 'service_not_found'],
      [['establishment', 'remove-admin', chu.id, nurse.identifier], 'not_an_admin'],
    ];
    for (const [args, code] of refusals) {
      const result = await cli('--json', ...args);
      expect([args.join(' '), result.code === 0, result.stderr.includes(code)]).toEqual([args.join(' '), false, true]);
    }
    expect(await snapshot(chu.id)).toEqual(before);

    expect((await cli('services', 'remove-member', serviceId, nurse.identifier)).code).toBe(0);
    expect(await reachesOpenDrp(cert)).not.toBe(200);
  });
});
