import type { Db } from '../db.ts';
import type { AuditEvent } from '../../model/index.ts';
import type { EstablishmentPerson, Service, ServiceAccess, ServiceMember, ServiceMembership, ServiceSummary } from '../../model/services.ts';
import { camel, camelAll } from './rows.ts';
import { auditEventFromRow, type AuditRow } from './audit.ts';

/**
 * A service's grant counts only while the member still belongs to the service's establishment
 * and the cell still allows the application there: every link is checked on each request.
 */
const SERVICE_ACCESS = `
  FROM service_members m
  JOIN services s ON s.id = m.service_id
  JOIN users u ON u.id = m.user_id AND u.establishment_id = s.establishment_id
  JOIN service_grants g ON g.service_id = s.id
  JOIN establishment_applications ea ON ea.establishment_id = s.establishment_id AND ea.application_id = g.application_id
  WHERE m.user_id = ?`;

/**
 * Owns (writes): services, service_members, service_grants. Every write goes through the
 * storage's change tracking (src/storage/changes.ts lists these tables), so the gateway's
 * cached decisions are dropped on every replica when a membership or a service grant changes.
 */
export class ServiceRepository {
  constructor(private readonly db: Db) {}

  async insert(s: Service): Promise<void> {
    await this.db.run('INSERT INTO services (id, establishment_id, name, code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
      s.id,
      s.establishmentId,
      s.name,
      s.code,
      s.createdAt,
      s.updatedAt,
    ]);
  }

  async update(id: string, name: string, code: string | null, now: number): Promise<boolean> {
    return (await this.db.run('UPDATE services SET name = ?, code = ?, updated_at = ? WHERE id = ?', [name, code, now, id])).changes === 1;
  }

  /** The service, its memberships and its grants (one transaction: the caller's). */
  async delete(id: string): Promise<boolean> {
    await this.db.run('DELETE FROM service_members WHERE service_id = ?', [id]);
    await this.db.run('DELETE FROM service_grants WHERE service_id = ?', [id]);
    return (await this.db.run('DELETE FROM services WHERE id = ?', [id])).changes === 1;
  }

  async findById(id: string): Promise<Service | undefined> {
    return camel<Service>(await this.db.get('SELECT * FROM services WHERE id = ?', [id]));
  }

  async listByEstablishment(establishmentId: string): Promise<ServiceSummary[]> {
    const services = camelAll<Service>(await this.db.all('SELECT * FROM services WHERE establishment_id = ? ORDER BY name, id', [establishmentId]));
    const counts = await this.db.all<{ service_id: string; n: number | string }>(
      'SELECT m.service_id, COUNT(*) AS n FROM service_members m JOIN services s ON s.id = m.service_id WHERE s.establishment_id = ? GROUP BY m.service_id',
      [establishmentId],
    );
    const grants = await this.db.all<{ service_id: string; application_id: string }>(
      'SELECT g.service_id, g.application_id FROM service_grants g JOIN services s ON s.id = g.service_id WHERE s.establishment_id = ? ORDER BY g.application_id',
      [establishmentId],
    );
    return services.map((s) => ({
      ...s,
      members: Number(counts.find((c) => c.service_id === s.id)?.n ?? 0),
      applications: grants.filter((g) => g.service_id === s.id).map((g) => g.application_id),
    }));
  }

  /** Adds a member; false when they already belonged. */
  async addMember(serviceId: string, userId: string, by: string, now: number): Promise<boolean> {
    const r = await this.db.run('INSERT INTO service_members (service_id, user_id, created_at, created_by) VALUES (?, ?, ?, ?) ON CONFLICT (service_id, user_id) DO NOTHING', [
      serviceId,
      userId,
      now,
      by,
    ]);
    return r.changes === 1;
  }

  async removeMember(serviceId: string, userId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM service_members WHERE service_id = ? AND user_id = ?', [serviceId, userId])).changes === 1;
  }

  /** Leaves every service of an establishment (the person moved elsewhere). */
  async removeMemberships(userId: string, establishmentId: string): Promise<number> {
    const r = await this.db.run('DELETE FROM service_members WHERE user_id = ? AND service_id IN (SELECT id FROM services WHERE establishment_id = ?)', [userId, establishmentId]);
    return r.changes;
  }

  async members(serviceId: string): Promise<ServiceMember[]> {
    return camelAll<ServiceMember>(
      await this.db.all(
        `SELECT u.id AS user_id, u.identifier, u.given_name, u.family_name, u.status, m.created_at AS since
           FROM service_members m JOIN users u ON u.id = m.user_id WHERE m.service_id = ? ORDER BY u.family_name, u.given_name, u.id`,
        [serviceId],
      ),
    ).map((m) => ({ ...m, since: Number(m.since) }));
  }

  async membershipsOf(userId: string): Promise<ServiceMembership[]> {
    return camelAll<ServiceMembership>(
      await this.db.all(
        `SELECT s.id AS service_id, s.name AS service_name, s.code AS service_code, s.establishment_id, m.created_at AS since
           FROM service_members m JOIN services s ON s.id = m.service_id WHERE m.user_id = ? ORDER BY s.name, s.id`,
        [userId],
      ),
    ).map((m) => ({ ...m, since: Number(m.since) }));
  }

  async grant(serviceId: string, applicationId: string, by: string, now: number): Promise<boolean> {
    const r = await this.db.run(
      'INSERT INTO service_grants (service_id, application_id, created_at, created_by) VALUES (?, ?, ?, ?) ON CONFLICT (service_id, application_id) DO NOTHING',
      [serviceId, applicationId, now, by],
    );
    return r.changes === 1;
  }

  async revoke(serviceId: string, applicationId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM service_grants WHERE service_id = ? AND application_id = ?', [serviceId, applicationId])).changes === 1;
  }

  /** Whether one of the person's services currently opens the application (see SERVICE_ACCESS). */
  async grantsAccess(userId: string, applicationId: string): Promise<boolean> {
    return (await this.db.get(`SELECT 1 AS ok ${SERVICE_ACCESS} AND g.application_id = ? LIMIT 1`, [userId, applicationId])) !== undefined;
  }

  /** Every application the person reaches through a service, and through which. */
  async accessOf(userId: string): Promise<ServiceAccess[]> {
    return camelAll<ServiceAccess>(
      await this.db.all(`SELECT g.application_id, s.id AS service_id, s.name AS service_name ${SERVICE_ACCESS} ORDER BY g.application_id, s.name`, [userId]),
    );
  }

  /** The people of one establishment (the establishment administrator's list), by name. */
  async peopleOf(establishmentId: string, status: string | null): Promise<EstablishmentPerson[]> {
    const rows = camelAll<EstablishmentPerson>(
      await this.db.all(
        `SELECT id, identifier, given_name, family_name, email, profession, status, establishment_id, terms_accepted_at, invited_at, provisional_expires_at
           FROM users WHERE establishment_id = ? ${status ? 'AND status = ?' : ''} ORDER BY search_name, id LIMIT 2000`,
        status ? [establishmentId, status] : [establishmentId],
      ),
    );
    return rows.map((p) => ({
      ...p,
      termsAcceptedAt: p.termsAcceptedAt == null ? null : Number(p.termsAcceptedAt),
      invitedAt: p.invitedAt == null ? null : Number(p.invitedAt),
      provisionalExpiresAt: p.provisionalExpiresAt == null ? null : Number(p.provisionalExpiresAt),
    }));
  }

  /**
   * An establishment's audit trail: events about its people or its services, and what its
   * people did. Newest first; `before` pages by id.
   */
  async auditOf(establishmentId: string, limit: number, before: number | null = null): Promise<AuditEvent[]> {
    const rows = await this.db.all<AuditRow>(
      `SELECT * FROM audit_events a
        WHERE (a.subject IN (SELECT identifier FROM users WHERE establishment_id = ?)
               OR a.actor IN (SELECT identifier FROM users WHERE establishment_id = ?)
               OR a.subject = ?)
          ${before === null ? '' : 'AND a.id < ?'}
        ORDER BY a.id DESC LIMIT ?`,
      before === null ? [establishmentId, establishmentId, `establishment:${establishmentId}`, limit] : [establishmentId, establishmentId, `establishment:${establishmentId}`, before, limit],
    );
    return rows.map(auditEventFromRow);
  }
}
