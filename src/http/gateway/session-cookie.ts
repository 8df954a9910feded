import { parse } from 'cookie';
import { unsign } from 'cookie-signature';

/** The session id from express-session's signed cookie (`s:<id>.<sig>`), or null. Any of the secrets may have signed it (rotation). */
export function unsignSessionId(cookieHeader: string | undefined, name: string, secret: string | readonly string[]): string | null {
  const raw = parse(cookieHeader ?? '')[name];
  if (!raw?.startsWith('s:')) return null;
  for (const candidate of typeof secret === 'string' ? [secret] : secret) {
    const id = unsign(raw.slice(2), candidate);
    if (id !== false) return id;
  }
  return null;
}
