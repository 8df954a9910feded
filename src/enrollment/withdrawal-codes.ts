import type { Clock } from '../shared/clock.ts';
import { READABLE_ALPHABET, type Random } from '../shared/random.ts';
import { hashPassword } from '../authentication/password.ts';
import type { Repositories } from '../storage/index.ts';
import type { CertificateRequest } from '../model/index.ts';

/** Like seeds/002's "xqvAux7s": read off a PDF and typed by hand, so no 0/O, 1/l/I. */
export const WITHDRAWAL_CODE_LENGTH = 8;
export const WITHDRAWAL_CODE_ALPHABET = READABLE_ALPHABET;

export function generateWithdrawalCode(random: Random): string {
  return random.string(WITHDRAWAL_CODE_LENGTH, WITHDRAWAL_CODE_ALPHABET);
}

/**
 * A new one-time code for an approved request, replacing its earlier unused or locked codes.
 * Only the argon2id hash is stored; the clear code goes back to the caller (into the PDF), once.
 * Runs inside the approver's transaction so the code, the approval and the mails commit together.
 */
export async function issueWithdrawalCode(
  repos: Repositories,
  deps: { clock: Clock; random: Random; validityMs: number },
  requestId: string,
): Promise<{ code: string; expiresAt: number }> {
  const code = generateWithdrawalCode(deps.random);
  const now = deps.clock.now().getTime();
  const expiresAt = now + deps.validityMs;
  await repos.withdrawalCodes.supersede(requestId);
  await repos.withdrawalCodes.insert({ id: deps.random.uuid(), requestId, codeHash: await hashPassword(code), expiresAt, createdAt: now });
  return { code, expiresAt };
}

const COLLECTIVE_PREFIX = 'poste-';

/**
 * What the person types on the withdrawal page: `identifier@platform` for a personal certificate,
 * `poste-<first 8 characters of the request id>@platform` for a shared workstation (a machine, not a person).
 */
export function withdrawalIdentifier(request: CertificateRequest, owner: { identifier: string } | null, platformDomain: string): string {
  if (request.kind === 'personal') {
    if (!owner) throw new Error('a personal certificate request needs its owner');
    return `${owner.identifier}@${platformDomain}`;
  }
  return `${COLLECTIVE_PREFIX}${request.id.slice(0, 8).toLowerCase()}@${platformDomain}`;
}

export type ParsedWithdrawalIdentifier = { kind: 'personal'; identifier: string } | { kind: 'collective'; requestIdPrefix: string };

/**
 * The typed withdrawal identifier, forgiving about case, spaces and a missing or repeated domain.
 * Personal identifiers always hold a dot (`givenname.familyname`), collective ones never do.
 * Null when it cannot be one of ours (answered like a wrong code: no enumeration).
 */
export function parseWithdrawalIdentifier(input: string, platformDomain: string): ParsedWithdrawalIdentifier | null {
  let value = input.trim().toLowerCase();
  const suffix = `@${platformDomain.toLowerCase()}`;
  if (value.endsWith(suffix)) value = value.slice(0, -suffix.length);
  if (value === '' || value.length > 120 || value.includes('@')) return null;
  const collective = /^poste-([a-z0-9_-]{8})$/.exec(value);
  if (collective) return { kind: 'collective', requestIdPrefix: collective[1]! };
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(value) || !value.includes('.')) return null;
  return { kind: 'personal', identifier: value };
}
