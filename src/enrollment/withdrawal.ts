import type { Runtime } from '../core/runtime.ts';
import type { ClientProfile, IssuedCertificate } from '../pki/index.ts';
import { verifyPassword } from '../authentication/password.ts';
import { ConflictError, ForbiddenError, PasserelleError } from '../shared/errors.ts';
import type { Repositories } from '../storage/index.ts';
import type { AuditEventInput } from '../model/index.ts';
import { parseWithdrawalIdentifier } from './withdrawal-codes.ts';
import { csrPublicKey, readCsr, type ReadCsr } from './withdrawal-csr.ts';
import { withdrawalCandidates, type WithdrawalCandidate } from './withdrawal-lookup.ts';
import type { CertificateOwner } from '../ca/records.ts';
import { samePublicKey } from './withdrawal-retry.ts';

export interface RedeemInput {
  identifier: string;
  code: string;
  csrPem: string;
  ip: string | null;
}

export interface RedeemResult {
  /** PEM of the new certificate. */
  certificate: string;
  /** Issuing CA, then root (PEM). */
  chain: string[];
  serial: string;
  label: string;
}

/** The stable answers of a refused withdrawal (HTTP status in the class). */
export class WithdrawalError extends PasserelleError {}

const invalidCode = () => new WithdrawalError(400, 'invalid_code', 'the withdrawal identifier or code is wrong');
const codeLocked = () => new WithdrawalError(423, 'code_locked', 'this withdrawal code is locked after too many wrong tries; ask the coordination cell for a new one');
const codeExpired = () => new WithdrawalError(410, 'code_expired', 'this withdrawal code has expired; ask the coordination cell for a new one');
const codeUsed = () => new WithdrawalError(409, 'code_used', 'this withdrawal code has already been used');

/** Who the certificate is for, known once the code matched: what the audit trail names. */
interface Context {
  subject: string | null;
  requestId: string | null;
}

/**
 * Withdrawal code + CSR → certificate. The code is checked against every live code of the identifier
 * (a person has one per workstation), the certificate is built from the account — never from the CSR —
 * and the code is spent in the transaction that records the certificate.
 */
export class WithdrawalService {
  constructor(private readonly runtime: Runtime) {}

  async redeem(input: RedeemInput): Promise<RedeemResult> {
    const context: Context = { subject: null, requestId: null };
    try {
      return await this.#redeem(input, context);
    } catch (error) {
      await this.#audit({
        outcome: 'failure',
        reason: error instanceof PasserelleError ? error.code : 'internal_error',
        actor: input.identifier.trim().toLowerCase().slice(0, 200) || null,
        ip: input.ip,
        subject: context.subject,
        details: context.requestId ? { requestId: context.requestId } : null,
      }).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Identifier + code checked without spending anything, so that the page asks for the file password
   * before the CSR goes out. A wrong code counts as a wrong try (same lock as redeem).
   */
  async check(input: Omit<RedeemInput, 'csrPem'>): Promise<void> {
    const context: Context = { subject: null, requestId: null };
    try {
      const { storage, config, clock } = this.runtime;
      const parsed = parseWithdrawalIdentifier(input.identifier, config.platformDomain);
      const candidates = await withdrawalCandidates(storage, parsed);
      const match = await findMatch(candidates, input.code.replace(/\s+/g, ''));
      if (!match) return await this.#wrongCode(candidates);
      context.subject = subjectOf(match);
      context.requestId = match.request.id;
      const { code } = match;
      if (code.status === 'locked') throw codeLocked();
      if (code.status === 'used') throw codeUsed();
      if (code.expiresAt <= clock.now().getTime()) throw codeExpired();
      if (match.request.status !== 'approved') throw codeUsed();
      if (match.owner?.status === 'deactivated') throw new ForbiddenError('account_deactivated', 'this account is deactivated');
    } catch (error) {
      await this.runtime.auditor
        .record({
          action: 'withdrawal.check',
          outcome: 'failure',
          reason: error instanceof PasserelleError ? error.code : 'internal_error',
          actor: input.identifier.trim().toLowerCase().slice(0, 200) || null,
          ip: input.ip,
          subject: context.subject,
          details: context.requestId ? { requestId: context.requestId } : null,
        })
        .catch(() => undefined);
      throw error;
    }
  }

  async #redeem(input: RedeemInput, context: Context): Promise<RedeemResult> {
    const { storage, config, clock } = this.runtime;
    const parsed = parseWithdrawalIdentifier(input.identifier, config.platformDomain);
    const code = input.code.replace(/\s+/g, '');
    const candidates = await withdrawalCandidates(storage, parsed);

    const match = await findMatch(candidates, code);
    if (!match) return this.#wrongCode(candidates);
    context.subject = subjectOf(match);
    context.requestId = match.request.id;

    const csr = readCsr(input.csrPem);
    const now = clock.now().getTime();
    const { code: stored } = match;
    if (stored.status === 'locked') throw codeLocked();
    if (stored.status === 'used') return this.#retry(match, csr, now, input.ip);
    if (stored.expiresAt <= now) throw codeExpired();
    if (match.request.status !== 'approved') throw codeUsed();
    if (match.owner?.status === 'deactivated') throw new ForbiddenError('account_deactivated', 'this account is deactivated');

    const publicKey = await csrPublicKey(csr);
    const issued = await this.runtime.authority.sign(this.#profile(match), publicKey);
    const spent = await this.#record(match, issued, csr!, input.ip);
    if (spent) return this.#result(issued.pem, issued.serial, match.request.label);
    // Another request spent the code between our read and our transaction: answer as if it came first.
    const fresh = await storage.withdrawalCodes.findById(stored.id);
    if (fresh?.status === 'used') return this.#retry({ ...match, code: fresh }, csr, clock.now().getTime(), input.ip);
    if (fresh?.status === 'locked') throw codeLocked();
    if (fresh && fresh.expiresAt <= clock.now().getTime()) throw codeExpired();
    throw codeUsed();
  }

  /** No live code of this identifier matched: one wrong try for each of them, locking at maxAttempts. */
  async #wrongCode(candidates: WithdrawalCandidate[]): Promise<never> {
    const { storage, clock, config } = this.runtime;
    const now = clock.now().getTime();
    let lockedNow = false;
    let open = false;
    for (const { code } of candidates) {
      if (code.status !== 'unused' || code.expiresAt <= now) continue;
      const after = await storage.withdrawalCodes.recordFailure(code.id, config.withdrawal.maxAttempts);
      if (after?.status === 'locked') lockedNow = true;
      else if (after?.status === 'unused') open = true;
    }
    // Locked by this try, or nothing left to try but a locked code: say so, the cell must issue a new one.
    if (lockedNow || (!open && candidates.some((c) => c.code.status === 'locked'))) throw codeLocked();
    throw invalidCode();
  }

  /**
   * The code was used: within the retry window, the holder of the same key pair gets the same certificate
   * again (a lost response or a closed tab must not burn the code). "Same key pair" is the same CSR, or a
   * new CSR — whose signature proves possession of the private key — for the certificate's public key.
   * Read-only: nothing is issued or spent, so concurrent retries cannot mint a second certificate.
   */
  async #retry(match: WithdrawalCandidate, csr: ReadCsr | null, now: number, ip: string | null): Promise<RedeemResult> {
    const { code } = match;
    const windowMs = this.runtime.config.withdrawal.retryWindowMinutes * 60_000;
    if (!csr || code.usedAt === null || now > code.usedAt + windowMs || !code.certificateSerial) throw codeUsed();
    const record = await this.runtime.storage.certificates.findBySerial(code.certificateSerial);
    if (!record || record.status !== 'valid') throw codeUsed();
    if (code.csrSha256 !== csr.sha256 && !(await samePublicKey(record.pem, await csrPublicKey(csr).catch(() => null)))) throw codeUsed();
    await this.#audit({ outcome: 'success', reason: 'retry', actor: subjectOf(match), ip, subject: subjectOf(match), certificateSerial: record.serial, details: { requestId: match.request.id } }).catch(() => undefined);
    return this.#result(record.pem, record.serial, record.label);
  }

  /** Spend, record (through the authority), mark withdrawn and audit in one transaction; false when the code was spent meanwhile. */
  async #record(match: WithdrawalCandidate, issued: IssuedCertificate, csr: ReadCsr, ip: string | null): Promise<boolean> {
    const { storage, clock, auditor, authority } = this.runtime;
    const now = clock.now().getTime();
    const { request } = match;
    const subject = subjectOf(match);
    const outcome = await storage
      .transaction(async (repos: Repositories) => {
        if (!(await repos.withdrawalCodes.spend(match.code.id, csr.sha256, issued.serial, now))) throw new Lost();
        const record = await authority.recordIssued(repos, issued, { ...ownerOf(request), subject }, { name: subject, ip }, { requestId: request.id });
        if (!(await repos.certificateRequests.markWithdrawn(request.id, issued.serial))) throw codeUsed();
        await auditor.with(repos.audit).record({ action: 'withdrawal.redeem', outcome: 'success', actor: subject, ip, certificateSerial: record.serial, subject, details: { requestId: request.id, csrSha256: csr.sha256 } });
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof Lost) return false;
        throw error;
      });
    return outcome;
  }

  #profile({ request, owner, establishment }: WithdrawalCandidate): ClientProfile {
    if (request.kind === 'personal') {
      if (!owner) throw new ConflictError('account_missing', 'the account of this request no longer exists');
      return this.runtime.authority.personalProfile(owner);
    }
    if (!establishment) throw new ConflictError('establishment_missing', 'the establishment of this request no longer exists');
    return this.runtime.authority.collectiveProfile(establishment, request.label);
  }

  #result(pem: string, serial: string, label: string): RedeemResult {
    const { pki } = this.runtime;
    return { certificate: pem, chain: [pki.issuingPem, pki.rootPem], serial, label };
  }

  #audit(event: Omit<AuditEventInput, 'action'>): Promise<void> {
    return this.runtime.auditor.record({ action: 'withdrawal.redeem', ...event });
  }
}

class Lost extends Error {}

/** Which candidate's code this is (argon2id, constant time); an unknown identifier still costs one verification. */
async function findMatch(candidates: WithdrawalCandidate[], code: string): Promise<WithdrawalCandidate | null> {
  if (candidates.length === 0) {
    await verifyPassword(undefined, code);
    return null;
  }
  for (const candidate of candidates) {
    if (await verifyPassword(candidate.code.codeHash, code)) return candidate;
  }
  return null;
}

/** The certificate's owner, as the request names it. */
function ownerOf({ kind, userId, establishmentId, label }: WithdrawalCandidate['request']): CertificateOwner {
  return { kind, userId, establishmentId, label };
}

function subjectOf({ request, owner }: WithdrawalCandidate): string {
  return request.kind === 'personal' ? (owner?.identifier ?? `user:${request.userId}`) : `establishment:${request.establishmentId}`;
}

