import { parse } from 'cookie';
import { unsign } from 'cookie-signature';

/** The session id from express-session's signed cookie (`s:<id>.<sig>`), or null. */
export function unsignSessionId(cookieHeader: string | undefined, name: string, secret: string): string | null {
  const raw = parse(cookieHeader ?? '')[name];
  if (!raw?.startsWith('s:')) return null;
  const id = unsign(raw.slice(2), secret);
  return id === false ? null : id;
}
