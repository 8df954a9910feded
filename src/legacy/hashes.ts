import { createHash, pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { verify as argon2Verify } from '@node-rs/argon2';
import { compare as bcryptCompare } from 'bcryptjs';

/**
 * Password hashes of legacy applications, as `passerelle legacy import` accepts them
 * (docs/legacy.md lists them with examples):
 * - bcrypt `$2a$`, `$2b$`, `$2y$` (bcryptjs)
 * - argon2 `$argon2id$`, `$argon2i$`, `$argon2d$` (@node-rs/argon2)
 * - PBKDF2, Django style `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` (and `pbkdf2_sha1`)
 * - PBKDF2, passlib style `$pbkdf2-sha256$<rounds>$<ab64 salt>$<ab64 hash>` (and `$pbkdf2$` = SHA-1, `$pbkdf2-sha512$`)
 * - salted SHA, LDAP style `{SSHA}`, `{SSHA256}`, `{SSHA512}`: base64(digest(password + salt) + salt)
 * A clear-text column is hashed with argon2id at import, so only these ever reach the table.
 */
export type HashScheme = 'bcrypt' | 'argon2' | 'pbkdf2-django' | 'pbkdf2-passlib' | 'ssha';

const pbkdf2Async = promisify(pbkdf2);
/** Past this an imported hash would make every check a denial of service. */
const MAX_ITERATIONS = 5_000_000;

const BCRYPT = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;
const ARGON2 = /^\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const DJANGO = /^pbkdf2_(sha256|sha1)\$(\d{1,8})\$([^$]{1,200})\$([A-Za-z0-9+/]+={0,2})$/;
const PASSLIB = /^\$pbkdf2(-sha256|-sha512)?\$(\d{1,8})\$([A-Za-z0-9./]*)\$([A-Za-z0-9./]+)$/;
const SSHA = /^\{(SSHA|SSHA256|SSHA512)\}([A-Za-z0-9+/]+={0,2})$/i;

const SSHA_DIGESTS = { SSHA: ['sha1', 20], SSHA256: ['sha256', 32], SSHA512: ['sha512', 64] } as const;
const DIGEST_LENGTH = { sha1: 20, sha256: 32, sha512: 64 } as const;

/** passlib's "adapted base64": `.` for `+`, no padding. */
function ab64(text: string): Buffer {
  return Buffer.from(text.replace(/\./g, '+'), 'base64');
}

/** Which scheme a stored hash uses, or null when it is none Passerelle can verify. */
export function hashScheme(hash: string): HashScheme | null {
  if (BCRYPT.test(hash)) return 'bcrypt';
  if (ARGON2.test(hash)) return 'argon2';
  const django = DJANGO.exec(hash);
  if (django) {
    const iterations = Number(django[2]);
    const digest = django[1] as 'sha256' | 'sha1';
    return iterations >= 1 && iterations <= MAX_ITERATIONS && Buffer.from(django[4]!, 'base64').length === DIGEST_LENGTH[digest] ? 'pbkdf2-django' : null;
  }
  const passlib = PASSLIB.exec(hash);
  if (passlib) {
    const iterations = Number(passlib[2]);
    return iterations >= 1 && iterations <= MAX_ITERATIONS && ab64(passlib[4]!).length >= 16 ? 'pbkdf2-passlib' : null;
  }
  const ssha = SSHA.exec(hash);
  if (ssha) {
    const [, length] = SSHA_DIGESTS[ssha[1]!.toUpperCase() as keyof typeof SSHA_DIGESTS];
    return Buffer.from(ssha[2]!, 'base64').length > length ? 'ssha' : null;
  }
  return null;
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Checks a password against a legacy hash. Unknown or malformed hashes never match. */
export async function verifyLegacyHash(hash: string, password: string): Promise<boolean> {
  switch (hashScheme(hash)) {
    case 'bcrypt':
      return bcryptCompare(password, hash).catch(() => false);
    case 'argon2':
      return argon2Verify(hash, password).catch(() => false);
    case 'pbkdf2-django': {
      const [, digest, iterations, salt, expected] = DJANGO.exec(hash)!;
      const want = Buffer.from(expected!, 'base64');
      const got = await pbkdf2Async(password, salt!, Number(iterations), want.length, digest!);
      return same(got, want);
    }
    case 'pbkdf2-passlib': {
      const [, variant, iterations, salt, expected] = PASSLIB.exec(hash)!;
      const want = ab64(expected!);
      const got = await pbkdf2Async(password, ab64(salt!), Number(iterations), want.length, variant ? variant.slice(1) : 'sha1');
      return same(got, want);
    }
    case 'ssha': {
      const [, scheme, encoded] = SSHA.exec(hash)!;
      const [digest, length] = SSHA_DIGESTS[scheme!.toUpperCase() as keyof typeof SSHA_DIGESTS];
      const raw = Buffer.from(encoded!, 'base64');
      const salt = raw.subarray(length);
      const got = createHash(digest).update(Buffer.from(password, 'utf8')).update(salt).digest();
      return same(got, raw.subarray(0, length));
    }
    default:
      return false;
  }
}
