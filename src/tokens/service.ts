import { hashPassword, verifyPassword } from '../authentication/password.ts';
import { requireText } from '../accounts/validation.ts';
import type { Actor } from '../accounts/service.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { Clock } from '../shared/clock.ts';
import type { Random } from '../shared/random.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors.ts';
import type { Storage } from '../storage/index.ts';
import type { ApiToken, User } from '../model/index.ts';
import { newToken, parseToken } from './format.ts';
import { iso } from '../shared/time.ts';

export interface TokenDeps {
  storage: Storage;
  clock: Clock;
  random: Random;
  auditor: Auditor;
}

/** A token as listed: never its secret nor its hash. */
export interface ApiTokenView {
  id: string;
  name: string;
  user: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function view(token: ApiToken, owner: string): ApiTokenView {
  return { id: token.id, name: token.name, user: owner, createdBy: token.createdBy, createdAt: iso(token.createdAt)!, lastUsedAt: iso(token.lastUsedAt), revokedAt: iso(token.revokedAt) };
}

/**
 * A token for a coordinator's scripts. Returned in clear once; only the argon2id hash of
 * its secret is stored. It works only together with that coordinator's certificate.
 */
export async function createToken(deps: TokenDeps, input: { user: User; name: string }, actor: Actor): Promise<{ token: string; record: ApiTokenView }> {
  const name = requireText(input.name, 'name', 100);
  if (input.user.role !== 'coordinator') throw new ForbiddenError('not_coordinator', `${input.user.identifier} is not a coordinator: API tokens are for the coordination cell`);
  const { id, secret, token } = newToken(deps.random);
  const secretHash = await hashPassword(secret);
  const record: ApiToken = { id, name, secretHash, userId: input.user.id, createdBy: actor.name, createdAt: deps.clock.now().getTime(), lastUsedAt: null, revokedAt: null };
  await deps.storage.transaction(async (repos) => {
    await repos.apiTokens.insert(record);
    await deps.auditor.with(repos.audit).record({ action: 'token.create', outcome: 'success', actor: actor.name, ip: actor.ip ?? null, subject: input.user.identifier, details: { tokenId: id, name } });
  });
  return { token, record: view(record, input.user.identifier) };
}

export async function listTokens(deps: Pick<TokenDeps, 'storage'>): Promise<ApiTokenView[]> {
  const tokens = await deps.storage.apiTokens.list();
  const owners = new Map<string, string>();
  for (const t of tokens) if (!owners.has(t.userId)) owners.set(t.userId, (await deps.storage.users.findById(t.userId))?.identifier ?? t.userId);
  return tokens.map((t) => view(t, owners.get(t.userId)!));
}

export async function revokeToken(deps: TokenDeps, id: string, actor: Actor): Promise<ApiTokenView> {
  const token = await deps.storage.apiTokens.findById(id);
  if (!token) throw new NotFoundError('not_found', `no API token ${id}`);
  const owner = (await deps.storage.users.findById(token.userId))?.identifier ?? token.userId;
  await deps.storage.transaction(async (repos) => {
    if (!(await repos.apiTokens.revoke(id, deps.clock.now().getTime()))) throw new ConflictError('already_revoked', `API token ${id} is already revoked`);
    await deps.auditor.with(repos.audit).record({ action: 'token.revoke', outcome: 'success', actor: actor.name, ip: actor.ip ?? null, subject: owner, details: { tokenId: id, name: token.name } });
  });
  return view((await deps.storage.apiTokens.findById(id))!, owner);
}

/**
 * The live token a presented value stands for, or null. Every value that looks like a token
 * costs one argon2id verification — an unknown id or a revoked token too — so timing tells
 * nothing about which ids exist.
 */
export async function verifyToken(deps: Pick<TokenDeps, 'storage' | 'clock'>, value: string): Promise<ApiToken | null> {
  const parts = parseToken(value);
  if (!parts) return null;
  const token = await deps.storage.apiTokens.findById(parts.id);
  const valid = await verifyPassword(token?.secretHash, parts.secret);
  if (!token || !valid || token.revokedAt != null) return null;
  await deps.storage.apiTokens.touch(token.id, deps.clock.now().getTime());
  return token;
}
