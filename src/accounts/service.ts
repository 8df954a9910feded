import type { Clock } from '../shared/clock.ts';
import { READABLE_ALPHABET, type Random } from '../shared/random.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.ts';
import type { Repositories, Storage } from '../storage/index.ts';
import type { Establishment, Role, User } from '../model/index.ts';
import type { Auditor } from '../audit/auditor.ts';
import { hashPassword } from '../authentication/password.ts';
import { baseIdentifier, firstFreeIdentifier } from './identifier.ts';
import { requireEmail, requireFiness, requireText } from './validation.ts';
import type { Actor } from '../model/actor.ts';

export type { Actor } from '../model/actor.ts';

export interface NewUserInput {
  givenName: string;
  familyName: string;
  email: string;
  establishmentId?: string | null;
  role?: Role;
  /** When absent a provisional password is generated and returned. */
  password?: string | null;
  profession?: string | null;
  rpps?: string | null;
  lang?: 'fr' | 'en';
}

/** A validated account with its password hashed, ready for `createUserIn`. */
export interface PreparedUser {
  input: NewUserInput & { givenName: string; familyName: string; email: string; role: Role };
  /** `givenname.familyname` before collision suffixes. */
  base: string;
  passwordHash: string;
  provisionalPassword: string | null;
}

export interface AccountDeps {
  storage: Storage;
  clock: Clock;
  random: Random;
  auditor: Auditor;
  applicationIds: () => string[];
  /** How long a provisional password works. */
  provisionalTtlMs: number;
}

const PROVISIONAL_LENGTH = 14;
const MIN_PASSWORD_LENGTH = 12;

export class AccountService {
  constructor(private readonly deps: AccountDeps) {}

  /**
   * Validates the input and hashes the password (argon2id: slow, so outside any transaction).
   * The result goes to `createUserIn`, inside the caller's transaction.
   */
  async prepareUser(input: NewUserInput): Promise<PreparedUser> {
    const givenName = requireText(input.givenName, 'givenName', 100);
    const familyName = requireText(input.familyName, 'familyName', 100);
    const email = requireEmail(input.email);
    const role = input.role ?? 'clinician';
    if (input.password != null && input.password.length < MIN_PASSWORD_LENGTH) {
      throw new BadRequestError('weak_password', `the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    let base: string;
    try {
      base = baseIdentifier(givenName, familyName);
    } catch {
      throw new BadRequestError('invalid_name', 'given and family names need at least one letter');
    }
    const provisionalPassword = input.password == null ? this.deps.random.string(PROVISIONAL_LENGTH, READABLE_ALPHABET) : null;
    const passwordHash = await hashPassword(input.password ?? provisionalPassword!);
    return { input: { ...input, password: null, givenName, familyName, email, role }, base, passwordHash, provisionalPassword };
  }

  /**
   * Inserts a prepared account with the first free identifier, inside the caller's
   * transaction, and audits it. Two creations racing for the same name: the unique index
   * fails one transaction (`isUniqueViolation`), which the caller runs again.
   */
  async createUserIn(repos: Repositories, prepared: PreparedUser, actor: Actor): Promise<User> {
    const { input, base, passwordHash, provisionalPassword } = prepared;
    const { clock, random } = this.deps;
    if (input.establishmentId && !(await repos.establishments.findById(input.establishmentId))) {
      throw new NotFoundError('establishment_not_found', `no establishment ${input.establishmentId}`);
    }
    const identifier = firstFreeIdentifier(base, await repos.users.identifiersLike(base));
    const now = clock.now().getTime();
    const record: User = {
      id: random.uuid(),
      identifier,
      givenName: input.givenName,
      familyName: input.familyName,
      email: input.email,
      establishmentId: input.establishmentId ?? null,
      role: input.role ?? 'clinician',
      status: provisionalPassword ? 'provisional' : 'active',
      passwordHash,
      failedLogins: 0,
      lockedAt: null,
      lastLoginAt: null,
      lastLoginIp: null,
      previousLoginAt: null,
      previousLoginIp: null,
      profession: input.profession ?? null,
      rpps: input.rpps ?? null,
      provisionalExpiresAt: provisionalPassword ? now + this.deps.provisionalTtlMs : null,
      termsAcceptedAt: null,
      notificationsOptIn: 1,
      lang: input.lang ?? 'fr',
      createdAt: now,
      updatedAt: now,
    };
    await repos.users.insert(record);
    await this.deps.auditor.with(repos.audit).record({
      action: 'user.create',
      outcome: 'success',
      actor: actor.name,
      ip: actor.ip ?? null,
      subject: identifier,
      details: { role: record.role, establishmentId: record.establishmentId, provisional: Boolean(provisionalPassword) },
    });
    return record;
  }

  async createUser(input: NewUserInput, actor: Actor): Promise<{ user: User; provisionalPassword: string | null }> {
    const prepared = await this.prepareUser(input);
    if (input.establishmentId && !(await this.deps.storage.establishments.findById(input.establishmentId))) {
      throw new NotFoundError('establishment_not_found', `no establishment ${input.establishmentId}`);
    }
    const user = await retryOnUniqueViolation(() => this.deps.storage.transaction((repos) => this.createUserIn(repos, prepared, actor)));
    return { user, provisionalPassword: prepared.provisionalPassword };
  }

  async createEstablishment(input: { name: string; finess?: string | null; referentEmail: string }, actor: Actor): Promise<Establishment> {
    const name = requireText(input.name, 'name');
    const finess = input.finess ? requireFiness(input.finess) : null;
    const referentEmail = requireEmail(input.referentEmail, 'referentEmail');
    const { storage, clock, random } = this.deps;
    if (finess && (await storage.establishments.findByFiness(finess))) {
      throw new ConflictError('finess_exists', `an establishment with FINESS ${finess} already exists`);
    }
    const establishment: Establishment = { id: random.uuid(), name, finess, referentEmail, createdAt: clock.now().getTime() };
    await storage.transaction(async (repos) => {
      await repos.establishments.insert(establishment);
      await this.deps.auditor.with(repos.audit).record({
        action: 'establishment.create',
        outcome: 'success',
        actor: actor.name,
        ip: actor.ip ?? null,
        subject: `establishment:${establishment.id}`,
        details: { name, finess },
      });
    });
    return establishment;
  }

  /** Finds a user by id or identifier (what an operator types). */
  async requireUser(idOrIdentifier: string): Promise<User> {
    const { users } = this.deps.storage;
    const user = (await users.findById(idOrIdentifier)) ?? (await users.findByIdentifier(idOrIdentifier));
    if (!user) throw new NotFoundError('user_not_found', `no user ${idOrIdentifier}`);
    return user;
  }

  async requireEstablishment(id: string): Promise<Establishment> {
    const establishment = (await this.deps.storage.establishments.findById(id)) ?? (await this.deps.storage.establishments.findByFiness(id));
    if (!establishment) throw new NotFoundError('establishment_not_found', `no establishment ${id}`);
    return establishment;
  }

  async addGrant(idOrIdentifier: string, applicationId: string, actor: Actor): Promise<void> {
    if (!this.deps.applicationIds().includes(applicationId)) {
      throw new NotFoundError('application_not_found', `no application ${applicationId} in the configuration`);
    }
    const user = await this.requireUser(idOrIdentifier);
    await this.deps.storage.transaction(async (repos) => {
      await repos.grants.grant(user.id, applicationId, this.deps.clock.now().getTime());
      await this.deps.auditor.with(repos.audit).record({ action: 'grant.add', outcome: 'success', actor: actor.name, ip: actor.ip ?? null, subject: user.identifier, applicationId });
    });
  }

  async revokeGrant(idOrIdentifier: string, applicationId: string, actor: Actor): Promise<boolean> {
    const user = await this.requireUser(idOrIdentifier);
    return this.deps.storage.transaction(async (repos) => {
      const changed = await repos.grants.revoke(user.id, applicationId, this.deps.clock.now().getTime());
      await this.deps.auditor.with(repos.audit).record({ action: 'grant.revoke', outcome: changed ? 'success' : 'info', reason: changed ? null : 'not_granted', actor: actor.name, ip: actor.ip ?? null, subject: user.identifier, applicationId });
      return changed;
    });
  }

}

/**
 * Runs a whole transaction again when a unique index refused it (two approvals racing for
 * the same identifier): PostgreSQL aborts the transaction, so the retry must be the caller's.
 */
export async function retryOnUniqueViolation<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (attempt < attempts && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

/** SQLite and PostgreSQL spell a unique-constraint failure differently. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '23505' || /UNIQUE constraint failed/.test(e.message ?? '');
}
