import type { Config } from '../config/index.ts';
import { verifyPassword } from '../authentication/password.ts';
import type { UserRepository } from '../storage/index.ts';
import { commonPasswords } from './common-passwords.ts';
import { lowerCaseWithoutAccents } from '../shared/text.ts';

/** Why a new password is refused; each has a message `portal.password.<code>`. */
export type PasswordProblem = 'too_short' | 'too_long' | 'contains_identifier' | 'common' | 'reused' | 'mismatch';

export type PasswordRules = Config['accounts']['password'];

const MAX_LENGTH = 256;
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's', '!': 'i', '€': 'e' };

function unleet(value: string): string {
  return value.replace(/[013457@$!€]/g, (c) => LEET[c] ?? c);
}

/**
 * A known password, or one dressed up: digits or symbols around it (motdepasse2024!),
 * leetspeak (p@ssw0rd), a repeated word (azertyazerty), or hardly any distinct characters.
 */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const p = lowerCaseWithoutAccents(password);
  if (new Set(p).size <= 4) return true;
  const repeated = /^(.+?)\1+$/.exec(p)?.[1];
  if (repeated !== undefined && (repeated.length <= 4 || list.has(repeated))) return true;
  if (list.has(p)) return true;
  // A listed word followed (or preceded) by anything but letters: 123456789012, azertyuiop!!
  for (let i = p.length - 1; i >= 4; i -= 1) {
    if (list.has(p.slice(0, i)) && !/\p{L}/u.test(p.slice(i))) return true;
    if (list.has(p.slice(p.length - i)) && !/\p{L}/u.test(p.slice(0, p.length - i))) return true;
  }
  const core = p.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return core.length >= 4 && (list.has(core) || list.has(unleet(core)) || list.has(unleet(p)));
}

/** The identifier (helene.lefevre) or one of its name parts (lefevre) inside the password. */
export function containsIdentifier(password: string, identifier: string): boolean {
  const p = lowerCaseWithoutAccents(password);
  const id = identifier.toLowerCase();
  if (p.includes(id)) return true;
  return id
    .split(/[.\-_\d]+/)
    .filter((part) => part.length >= 4)
    .some((part) => p.includes(part) || unleet(p).includes(part));
}

/** The checks that need no database: length, identifier, common. */
export function passwordProblems(password: string, identifier: string, rules: PasswordRules): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if ([...password].length < rules.minLength) problems.push('too_short');
  if (password.length > MAX_LENGTH) problems.push('too_long');
  if (containsIdentifier(password, identifier)) problems.push('contains_identifier');
  if (isCommonPassword(password)) problems.push('common');
  return problems;
}

/**
 * One of the last `historySize` passwords (the current one included)? Each stored hash is
 * checked with argon2, so this costs one verification per remembered password.
 */
export async function reusesHistory(users: UserRepository, userId: string, password: string, historySize: number): Promise<boolean> {
  if (historySize <= 0) return false;
  for (const hash of await users.passwordHistory(userId, historySize)) {
    if (await verifyPassword(hash, password)) return true;
  }
  return false;
}

/** Everything a new password must pass, history last (it is the slow one). */
export async function checkNewPassword(
  users: UserRepository,
  user: { id: string; identifier: string },
  password: string,
  confirmation: string,
  rules: PasswordRules,
): Promise<PasswordProblem[]> {
  const problems = passwordProblems(password, user.identifier, rules);
  if (password !== confirmation) problems.push('mismatch');
  if (problems.length === 0 && (await reusesHistory(users, user.id, password, rules.historySize))) problems.push('reused');
  return problems;
}
