import { createToken, listTokens, revokeToken, type ApiTokenView } from '../tokens/index.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { User } from '../model/index.ts';
import type { CoordinatorActor, RegistryDeps } from './deps.ts';

/**
 * API tokens from the console: a coordinator sees, creates and revokes their OWN tokens
 * (a token works only with its owner's certificate anyway). Others' tokens stay with the CLI.
 */
export async function ownTokens(deps: RegistryDeps, user: User): Promise<ApiTokenView[]> {
  const mine = new Set((await deps.storage.apiTokens.list()).filter((t) => t.userId === user.id).map((t) => t.id));
  return (await listTokens(deps)).filter((t) => mine.has(t.id));
}

/** The token in clear, returned once: only its hash is kept. */
export function createOwnToken(deps: RegistryDeps, user: User, name: string, actor: CoordinatorActor): Promise<{ token: string; record: ApiTokenView }> {
  return createToken(deps, { user, name }, actor);
}

export async function findOwnToken(deps: RegistryDeps, user: User, id: string): Promise<ApiTokenView> {
  const token = await deps.storage.apiTokens.findById(id);
  // Someone else's token is "not found": the console does not confirm that it exists.
  if (!token || token.userId !== user.id) throw new NotFoundError('not_found', `no API token ${id} of yours`);
  return (await ownTokens(deps, user)).find((t) => t.id === id)!;
}

export async function revokeOwnToken(deps: RegistryDeps, user: User, id: string, actor: CoordinatorActor): Promise<ApiTokenView> {
  await findOwnToken(deps, user, id);
  return revokeToken(deps, id, actor);
}
