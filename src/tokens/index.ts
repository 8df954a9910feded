/** Admin API tokens (`passerelle token create`): hashed at rest, usable only with the owner's certificate. */
export { newToken, parseToken, bearerToken, type TokenParts } from './format.ts';
export { createToken, listTokens, revokeToken, verifyToken, type ApiTokenView, type TokenDeps } from './service.ts';
