/**
 * Where to go after a form: a path on this host only (no scheme, no `//host`, no `/\host`), never
 * back to the sign-in page itself (`loginPath`), at most 2,000 characters. Anything else → "/".
 * One rule for the gateway, the console and the portal.
 */
export function safeNext(value: unknown, loginPath: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.startsWith(loginPath)) return '/';
  return value.slice(0, 2000);
}
