import { LOGIN_PATH } from './paths.ts';

/**
 * Where to go after a form: a path on this host only (no scheme, no `//host`, no `/\host`), never
 * back to the sign-in page itself (`loginPath`), at most 2,000 characters. Anything else → "/".
 * One rule for the gateway, the console and the portal.
 */
export function safeNext(value: unknown, loginPath: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.startsWith(loginPath)) return '/';
  return value.slice(0, 2000);
}

/** After the gateway's own sign-in (application hosts and the console host). */
export function safeGatewayNext(value: unknown): string {
  return safeNext(value, LOGIN_PATH);
}
