import type { Repositories } from '../storage/index.ts';
import type { CertificateRequest, Establishment, User, WithdrawalCode } from '../model/index.ts';
import type { ParsedWithdrawalIdentifier } from './withdrawal-codes.ts';

/** One code that the typed identifier could be asking for, with what its certificate will name. */
export interface WithdrawalCandidate {
  request: CertificateRequest;
  code: WithdrawalCode;
  owner: User | null;
  establishment: Establishment | null;
}

const LIVE_REQUEST: ReadonlySet<CertificateRequest['status']> = new Set(['approved', 'withdrawn']);

/**
 * Codes (not superseded) of the approved or withdrawn requests behind a withdrawal identifier.
 * A person with several workstations has several codes under the same identifier: the code says which.
 */
export async function withdrawalCandidates(repos: Repositories, parsed: ParsedWithdrawalIdentifier | null): Promise<WithdrawalCandidate[]> {
  if (!parsed) return [];
  let owner: User | null = null;
  let requests: CertificateRequest[];
  if (parsed.kind === 'personal') {
    owner = (await repos.users.findByIdentifier(parsed.identifier)) ?? null;
    if (!owner) return [];
    requests = (await repos.certificateRequests.list({ userId: owner.id }, 1000)).filter((r) => r.kind === 'personal');
  } else {
    requests = await repos.certificateRequests.collectiveByIdPrefix(parsed.requestIdPrefix);
  }
  requests = requests.filter((r) => LIVE_REQUEST.has(r.status));
  if (requests.length === 0) return [];
  const byId = new Map(requests.map((r) => [r.id, r]));
  const codes = (await repos.withdrawalCodes.listForRequestIds([...byId.keys()])).filter((c) => c.status !== 'superseded');
  const establishments = new Map<string, Establishment | null>();
  const candidates: WithdrawalCandidate[] = [];
  for (const code of codes) {
    const request = byId.get(code.requestId)!;
    let establishment: Establishment | null = null;
    if (request.kind === 'collective' && request.establishmentId) {
      if (!establishments.has(request.establishmentId)) establishments.set(request.establishmentId, (await repos.establishments.findById(request.establishmentId)) ?? null);
      establishment = establishments.get(request.establishmentId) ?? null;
    }
    candidates.push({ request, code, owner, establishment });
  }
  return candidates;
}
