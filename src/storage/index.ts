/**
 * The storage layer, and the rule of the house for data:
 * - all SQL lives here, in src/storage/repositories/<table-group>.ts (nowhere else in src/);
 * - every table is written (INSERT/UPDATE/DELETE) by exactly one repository, named at the top of
 *   its file; other repositories may read it (joins are fine);
 * - dialect differences (`db.dialect`) stay inside this folder;
 * - the records they return are the types of src/model (which imports nothing); rows.ts
 *   (snake_case → camelCase) is for this folder only.
 * Callers get every repository from `storage` or, inside `storage.transaction(repos => …)`, from
 * `repos`, bound to that transaction.
 */
import path from 'node:path';
import type { Db } from './db.ts';
import { SqliteDb } from './sqlite.ts';
import { PostgresDb } from './postgres.ts';
import { UserRepository } from './repositories/users.ts';
import { EstablishmentRepository } from './repositories/establishments.ts';
import { CertificateRepository } from './repositories/certificates.ts';
import { GrantRepository } from './repositories/grants.ts';
import { CrlRepository } from './repositories/crls.ts';
import { AuditRepository } from './repositories/audit.ts';
import { RegistrationRepository } from './repositories/registrations.ts';
import { CertificateRequestRepository } from './repositories/certificate-requests.ts';
import { WithdrawalCodeRepository } from './repositories/withdrawal-codes.ts';
import { AccessRequestRepository } from './repositories/access-requests.ts';
import { OutboxRepository } from './repositories/outbox.ts';
import { ApiTokenRepository } from './repositories/api-tokens.ts';
import { EmailChangeRepository } from './repositories/email-changes.ts';
import { PasswordResetRepository } from './repositories/password-resets.ts';
import { PscSessionRepository } from './repositories/psc-sessions.ts';
import { DuplicateCandidateRepository } from './repositories/duplicates.ts';
import { PeopleRepository } from './repositories/people.ts';
import { DashboardRepository } from './repositories/dashboard.ts';
import { SsoTicketRepository } from './repositories/sso-tickets.ts';
import { ConsoleApprovalRepository } from './repositories/console-approvals.ts';
import { TotpRepository } from './repositories/totp.ts';
import { RegistryRepository } from './repositories/registry.ts';
import { LegacyRepository } from './repositories/legacy.ts';
import { ServiceRepository } from './repositories/services.ts';
import { DelegationRepository } from './repositories/delegation.ts';
import { ChangeSeqRepository } from './repositories/change-seq.ts';
import { ChangeTrackingDb, type ChangeListener } from './changes.ts';

export type { PscSessionRecord, PscSessionEndReason } from './repositories/psc-sessions.ts';
export type { Db, Param } from './db.ts';
export type {
  UserRepository,
  EstablishmentRepository,
  CertificateRepository,
  GrantRepository,
  CrlRepository,
  AuditRepository,
  RegistrationRepository,
  CertificateRequestRepository,
  WithdrawalCodeRepository,
  AccessRequestRepository,
  OutboxRepository,
  ApiTokenRepository,
  EmailChangeRepository,
  LegacyRepository,
  RegistryRepository,
  TotpRepository,
  ConsoleApprovalRepository,
  SsoTicketRepository,
  DashboardRepository,
  PeopleRepository,
  DuplicateCandidateRepository,
  PasswordResetRepository,
  PscSessionRepository,
  ServiceRepository,
  DelegationRepository,
};

export interface Repositories {
  /** The connection (or transaction) these repositories use: areas build their own repositories on it. */
  db: Db;
  users: UserRepository;
  establishments: EstablishmentRepository;
  certificates: CertificateRepository;
  grants: GrantRepository;
  crls: CrlRepository;
  audit: AuditRepository;
  registrations: RegistrationRepository;
  certificateRequests: CertificateRequestRepository;
  withdrawalCodes: WithdrawalCodeRepository;
  accessRequests: AccessRequestRepository;
  outbox: OutboxRepository;
  apiTokens: ApiTokenRepository;
  emailChanges: EmailChangeRepository;
  /** Single-use password reset links (hashes only). */
  passwordResets: PasswordResetRepository;
  /** Pro Santé Connect sessions: the provider's sid/sub, for its logout (issue 12). */
  pscSessions: PscSessionRepository;
  /** What a registration is compared with to flag possible duplicates (reads). */
  duplicateCandidates: DuplicateCandidateRepository;
  /** The console's people list and person page (reads). */
  people: PeopleRepository;
  /** The console dashboard's counts of what waits for the cell. */
  dashboard: DashboardRepository;
  /** Single sign-on tickets (portal → application). */
  ssoTickets: SsoTicketRepository;
  /** The four-eyes rule's second approvals. */
  consoleApprovals: ConsoleApprovalRepository;
  /** The console's second factor: TOTP secrets and recovery codes. */
  totp: TotpRepository;
  /** The console registry's read models (certificates with holders, establishments' people, grants, audit, outbox). */
  registry: RegistryRepository;
  /** Legacy identifiers: mappings, imported accounts, failure counters, conflicts. */
  legacy: LegacyRepository;
  /** Establishment services: members, service grants, the access they open (issue 15). */
  services: ServiceRepository;
  /** What the cell delegates to an establishment: administrators, grantable applications. */
  delegation: DelegationRepository;
}

/**
 * Committed writes to the tables that decide access (src/storage/changes.ts): `onChange` for
 * this process, `sequence()` for every process (a counter bumped after each such write).
 */
export interface ChangeFeed {
  onChange(listener: ChangeListener): () => void;
  sequence(): Promise<number>;
  /** This process's own bumps of the counter (its new value): a watcher need not re-learn what it already applied. */
  onBump(listener: (seq: number) => void): () => void;
}

export interface Storage extends Repositories {
  readonly changes: ChangeFeed;
  /** Runs `fn` with repositories bound to one transaction. */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  /** One trivial query: throws when the database does not answer (health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function repositories(db: Db): Repositories {
  return {
    db,
    users: new UserRepository(db),
    establishments: new EstablishmentRepository(db),
    certificates: new CertificateRepository(db),
    grants: new GrantRepository(db),
    crls: new CrlRepository(db),
    audit: new AuditRepository(db),
    registrations: new RegistrationRepository(db),
    certificateRequests: new CertificateRequestRepository(db),
    withdrawalCodes: new WithdrawalCodeRepository(db),
    accessRequests: new AccessRequestRepository(db),
    outbox: new OutboxRepository(db),
    apiTokens: new ApiTokenRepository(db),
    emailChanges: new EmailChangeRepository(db),
    passwordResets: new PasswordResetRepository(db),
    pscSessions: new PscSessionRepository(db),
    duplicateCandidates: new DuplicateCandidateRepository(db),
    people: new PeopleRepository(db),
    dashboard: new DashboardRepository(db),
    ssoTickets: new SsoTicketRepository(db),
    consoleApprovals: new ConsoleApprovalRepository(db),
    totp: new TotpRepository(db),
    registry: new RegistryRepository(db),
    legacy: new LegacyRepository(db),
    services: new ServiceRepository(db),
    delegation: new DelegationRepository(db),
  };
}

export interface StorageOptions {
  databaseUrl: string | null;
  dataDir: string;
}

/** PostgreSQL when a URL is given, else the SQLite file in the data directory; migrated. */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  const raw: Db = options.databaseUrl ? new PostgresDb(options.databaseUrl) : new SqliteDb(path.join(options.dataDir, 'passerelle.sqlite'));
  await raw.migrate();
  const seq = new ChangeSeqRepository(raw);
  const listeners = new Set<ChangeListener>();
  const bumps = new Set<(seq: number) => void>();
  const db = new ChangeTrackingDb(raw, async (tables) => {
    for (const listener of listeners) listener([...tables]);
    // Other processes learn it from the counter; a failed bump is left to their cache's maximum age.
    const value = await seq.bump().catch(() => null);
    if (value !== null) for (const listener of bumps) listener(value);
  });
  return {
    ...repositories(db),
    changes: {
      onChange(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      sequence: () => seq.current(),
      onBump(listener) {
        bumps.add(listener);
        return () => bumps.delete(listener);
      },
    },
    transaction: (fn) => db.transaction((tx) => fn(repositories(tx))),
    ping: async () => {
      await db.get('SELECT 1 AS ok');
    },
    close: () => db.close(),
  };
}
