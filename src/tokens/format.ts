import type { Random } from '../shared/random.ts';

/**
 * `psl_<id>_<secret>`: the id (12 lower-case letters and digits) finds the row, the secret
 * (32 random bytes, base64url: 43 characters) is checked against its argon2id hash. The
 * prefix makes a leaked token easy to spot (secret scanners, logs).
 */
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 12;
const SECRET_BYTES = 32;
const TOKEN = /^psl_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface TokenParts {
  id: string;
  secret: string;
}

export function newToken(random: Random): TokenParts & { token: string } {
  const id = random.string(ID_LENGTH, ID_ALPHABET);
  const secret = random.bytes(SECRET_BYTES).toString('base64url');
  return { id, secret, token: `psl_${id}_${secret}` };
}

export function parseToken(token: string): TokenParts | null {
  const match = TOKEN.exec(token.trim());
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

/** The token of an `Authorization: Bearer …` header; null when there is no bearer credential. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}
