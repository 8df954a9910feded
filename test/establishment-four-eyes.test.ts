/**
 * The four-eyes rule on establishment administrators' actions (issue 15 item 4), over real
 * TLS on the console host, on SQLite and PostgreSQL: with the rule on, an administrator's
 * deactivation or service grant only records a pending approval (nothing changes); the same
 * administrator cannot confirm it, an administrator of another establishment cannot see or
 * confirm it (audited); another administrator of the same establishment, or the cell,
 * confirms it and it runs with the confirmer as actor; a cancelled one never runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../src/model/index.ts';
import { REGION, addAdmin, allowApplication, createService } from '../src/services/index.ts';
import { databaseBackends } from './helpers/backends.ts';
import { PASSWORD, csrfOf, errorCode, startTestGateway, type ClientCertificate, type TestGateway } from './helpers/gateway.ts';

const CONSOLE = 'console.localhost';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const CELL = { name: 'cellule', ip: null };

interface Session {
  user: User;
  cert: ClientCertificate;
  cookies: Map<string, string>;
}

describe.each(databaseBackends())('four-eyes rule on establishment administrators on $name', ({ url }) => {
  let gw: TestGateway;
  let adminA: Session;
  let adminB: Session;
  let outsiderAdmin: Session;
  let cell: Session;
  let chuId: string;

  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
    gw.config.console.fourEyes = { enabled: true, actions: ['establishment.person.deactivate', 'establishment.person.reactivate', 'establishment.service.grant'] };
    const chu = await gw.establishment('CHU de Besançon');
    const other = await gw.establishment('Clinique du Doubs');
    chuId = chu.id;
    const a = await gw.user({ givenName: 'Anne', familyName: 'Premiere', establishmentId: chu.id, grant: false });
    const b = await gw.user({ givenName: 'Bruno', familyName: 'Second', establishmentId: chu.id, grant: false });
    const c = await gw.user({ givenName: 'Carla', familyName: 'Ailleurs', establishmentId: other.id, grant: false });
    await addAdmin(gw.runtime, REGION, chu.id, a.identifier, CELL);
    await addAdmin(gw.runtime, REGION, chu.id, b.identifier, CELL);
    await addAdmin(gw.runtime, REGION, other.id, c.identifier, CELL);
    const { user: coordinator } = await gw.runtime.accounts.createUser({ givenName: 'Cécile', familyName: 'Cellule', email: 'cecile@cellule.example.org', role: 'coordinator', password: PASSWORD }, CELL);
    adminA = await signIn(a);
    adminB = await signIn(b);
    outsiderAdmin = await signIn(c);
    cell = await signIn(coordinator);
  });
  afterAll(async () => gw?.close());

  async function signIn(user: User): Promise<Session> {
    const cert = await gw.personalCertificate(user);
    const cookies = new Map<string, string>();
    const form = await gw.request({ host: CONSOLE, path: '/.passerelle/login?next=/', cert, cookies });
    expect(form.status).toBe(200);
    const body = new URLSearchParams({ csrf: csrfOf(form.body), password: PASSWORD, next: '/' });
    const response = await gw.request({ host: CONSOLE, method: 'POST', path: '/.passerelle/login', cert, cookies, headers: FORM, body: body.toString() });
    expect(response.status).toBe(303);
    return { user, cert, cookies };
  }
  const get = (s: Session, path: string) => gw.request({ host: CONSOLE, path, cert: s.cert, cookies: s.cookies });
  /** POSTs with the CSRF token of the page `from` (the session's token). */
  async function post(s: Session, from: string, path: string, fields: Record<string, string> = {}) {
    const page = await get(s, from);
    expect(page.status).toBe(200);
    return gw.request({ host: CONSOLE, method: 'POST', path, cert: s.cert, cookies: s.cookies, headers: FORM, body: new URLSearchParams({ csrf: csrfOf(page.body), ...fields }).toString() });
  }
  const approvals = async () => (await gw.runtime.storage.consoleApprovals.list(undefined)).filter((r) => r.action.startsWith('establishment.'));
  const serviceApps = async (id: string) => (await gw.runtime.storage.services.listByEstablishment(chuId)).find((s) => s.id === id)!.applications;
  const statusOf = async (id: string) => (await gw.runtime.storage.users.findById(id))!.status;
  const audit = async (action: string) => (await gw.runtime.storage.audit.list({ action })).map((e) => `${e.outcome} ${e.actor} ${e.reason ?? ''}`.trim());

  it('a deactivation waits for another administrator of the establishment; the requester and other establishments cannot confirm it', async () => {
    const nurse = await gw.user({ givenName: 'Nina', familyName: 'Infirmiere', establishmentId: chuId, grant: false });
    const confirmPage = await get(adminA, `/personnes/${nurse.id}/desactiver`);
    expect(confirmPage.body).toContain('data-page="establishment-confirm"');
    expect(confirmPage.body).toContain('attend ensuite la validation');
    expect(await statusOf(nurse.id)).toBe('active');

    const asked = await post(adminA, `/personnes/${nurse.id}/desactiver`, `/personnes/${nurse.id}/desactiver`);
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe(`/personnes/${nurse.id}?ok=pending_approval`);
    expect(await statusOf(nurse.id)).toBe('active');
    const [approval] = (await approvals()).filter((r) => r.targetId === nurse.id);
    expect(approval).toMatchObject({ action: 'establishment.person.deactivate', status: 'pending', requestedBy: adminA.user.identifier });
    const [requested] = await gw.runtime.storage.audit.list({ action: 'four-eyes.request', subject: `establishment:${chuId}` });
    expect(requested).toMatchObject({ outcome: 'success', actor: adminA.user.identifier, certificateSerial: adminA.cert.serial });

    // Asking again while it is open: refused, nothing new.
    const again = await post(adminA, `/personnes/${nurse.id}`, `/personnes/${nurse.id}/desactiver`);
    expect(again.headers.location).toBe(`/personnes/${nurse.id}?error=approval_pending`);

    // The requester sees it as theirs, without a confirm button; a forged confirmation is refused and audited.
    const mine = await get(adminA, '/validations');
    expect(mine.body).toContain(`data-approval="${approval!.id}"`);
    expect(mine.body).not.toContain(`/validations/${approval!.id}/valider`);
    const self = await post(adminA, '/validations', `/validations/${approval!.id}/valider`);
    expect(self.status).toBe(403);
    expect(errorCode(self.body)).toBe('four_eyes_same_administrator');
    // Another establishment's administrator neither sees nor confirms it.
    expect((await get(outsiderAdmin, '/validations')).body).not.toContain(approval!.id);
    const outside = await post(outsiderAdmin, '/validations', `/validations/${approval!.id}/valider`);
    expect(outside.status).toBe(404);
    expect(await statusOf(nurse.id)).toBe('active');
    expect((await gw.runtime.storage.consoleApprovals.findById(approval!.id))!.status).toBe('pending');
    expect(await audit('four-eyes.confirm')).toEqual([`failure ${outsiderAdmin.user.identifier} not_found`, `failure ${adminA.user.identifier} four_eyes_same_administrator`]);
    const [scope] = await gw.runtime.storage.audit.list({ action: 'establishment.scope' });
    expect(scope).toMatchObject({ outcome: 'failure', actor: outsiderAdmin.user.identifier, reason: 'outside_establishment' });

    // The second administrator confirms: it runs, with them as actor.
    const theirs = await get(adminB, '/validations');
    expect(theirs.body).toContain(`action="/validations/${approval!.id}/valider"`);
    const confirmed = await post(adminB, '/validations', `/validations/${approval!.id}/valider`);
    expect(confirmed.headers.location).toBe('/validations?ok=done');
    expect(await statusOf(nurse.id)).toBe('deactivated');
    expect((await gw.runtime.storage.consoleApprovals.findById(approval!.id))!).toMatchObject({ status: 'done', decidedBy: adminB.user.identifier });
    const [deactivation] = await gw.runtime.storage.audit.list({ action: 'user.deactivate', subject: nurse.identifier });
    expect(deactivation).toMatchObject({ outcome: 'success', actor: adminB.user.identifier });
    expect((await audit('four-eyes.confirm'))[0]).toBe(`success ${adminB.user.identifier}`);

    // A reactivation asked then cancelled never runs.
    await post(adminA, `/personnes/${nurse.id}/reactiver`, `/personnes/${nurse.id}/reactiver`);
    const [reactivation] = (await approvals()).filter((r) => r.targetId === nurse.id && r.status === 'pending');
    expect(reactivation).toMatchObject({ action: 'establishment.person.reactivate' });
    const cancelled = await post(adminA, '/validations', `/validations/${reactivation!.id}/annuler`);
    expect(cancelled.headers.location).toBe('/validations?ok=done');
    expect((await gw.runtime.storage.consoleApprovals.findById(reactivation!.id))!.status).toBe('cancelled');
    const late = await post(adminB, '/validations', `/validations/${reactivation!.id}/valider`);
    expect(late.headers.location).toBe('/validations?error=approval_not_pending');
    expect(await statusOf(nurse.id)).toBe('deactivated');
  });

  it("an administrator's service grant waits; the cell confirms it from the establishment's delegation page", async () => {
    const service = await createService(gw.runtime, REGION, chuId, { name: 'Cardiologie', code: 'CARDIO' }, CELL);
    // What the cell does not allow, or does not exist, is refused at once: nothing recorded.
    const notAllowed = await post(adminA, `/services/${service.id}`, `/services/${service.id}/applications`, { application: 'opendrp' });
    expect(notAllowed.headers.location).toBe(`/services/${service.id}?error=application_not_allowed`);
    const unknown = await post(adminA, `/services/${service.id}`, `/services/${service.id}/applications`, { application: 'labo' });
    expect(unknown.status).toBe(404);
    expect((await approvals()).filter((r) => r.targetId.startsWith(`${service.id}/`))).toEqual([]);
    await allowApplication(gw.runtime, REGION, chuId, 'opendrp', CELL);
    const asked = await post(adminA, `/services/${service.id}`, `/services/${service.id}/applications`, { application: 'opendrp' });
    expect(asked.headers.location).toBe(`/services/${service.id}?ok=pending_approval`);
    expect(await serviceApps(service.id)).toEqual([]);
    const [approval] = (await approvals()).filter((r) => r.targetId === `${service.id}/opendrp`);
    expect(approval).toMatchObject({ action: 'establishment.service.grant', status: 'pending' });


    const delegation = `/etablissements/${chuId}/delegation`;
    const page = await get(cell, delegation);
    expect(page.body).toContain(`action="${delegation}/validations/${approval!.id}/valider"`);
    const confirmed = await post(cell, delegation, `${delegation}/validations/${approval!.id}/valider`);
    expect(confirmed.headers.location).toBe(`${delegation}?ok=done`);
    expect(await serviceApps(service.id)).toEqual(['opendrp']);
    const [grant] = await gw.runtime.storage.audit.list({ action: 'service.grant', subject: `establishment:${chuId}` });
    expect(grant).toMatchObject({ outcome: 'success', actor: cell.user.identifier, applicationId: 'opendrp' });
  });

  it("the people list filters on the status shown; the cell's establishment page links to its delegation", async () => {
    const list = await get(adminB, '/personnes?statut=deactivated');
    expect(list.body).toContain('data-person="nina.infirmiere"');
    expect(list.body).not.toContain(`data-person="${adminA.user.identifier}"`);
    expect(list.body).toContain('<option value="deactivated" selected');
    const all = await get(adminB, '/personnes?statut=nonsense');
    expect(all.body).toContain(`data-person="${adminA.user.identifier}"`);
    expect((await get(cell, `/etablissements/${chuId}`)).body).toContain(`href="/etablissements/${chuId}/delegation"`);
  });
});
