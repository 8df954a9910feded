import { verifyPassword } from '../authentication/password.ts';
import type { LegacyRepository } from '../storage/index.ts';
import { verifyLegacyHash } from './hashes.ts';
import type { CredentialCheck, LegacyApplication, LegacySettings } from './types.ts';

type HttpSettings = Extract<LegacySettings, { mode: 'http' }>;

/** Statuses that clearly mean "wrong identifier or password"; anything else unexpected is "could not check". */
const REFUSED = new Set([400, 401, 403, 422]);

/**
 * http mode: POST the credentials to the application's endpoint. Nothing here logs or audits
 * them; failures carry only a reason (`timeout`, `network`, `status_503`…).
 */
async function checkOverHttp(settings: HttpSettings, username: string, password: string): Promise<CredentialCheck> {
  const fields = { [settings.usernameField]: username, [settings.passwordField]: password };
  const json = settings.encoding === 'json';
  let status: number;
  try {
    const response = await fetch(settings.url, {
      method: 'POST',
      headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', accept: 'application/json, text/plain;q=0.9, */*;q=0.1' },
      body: json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    status = response.status;
    await response.body?.cancel().catch(() => undefined);
  } catch (error) {
    const name = (error as Error).name;
    return { verdict: 'unavailable', reason: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network' };
  }
  if (settings.successStatus.includes(status)) return { verdict: 'valid', username };
  if (REFUSED.has(status)) return { verdict: 'invalid' };
  return { verdict: 'unavailable', reason: `status_${status}` };
}

/** directory mode: the imported account's hash. An unknown identifier costs the same time as a known one. */
async function checkDirectory(legacy: LegacyRepository, app: LegacyApplication, username: string, password: string): Promise<CredentialCheck> {
  const account = await legacy.account(app.id, username);
  if (!account) {
    await verifyPassword(undefined, password);
    return { verdict: 'invalid' };
  }
  return (await verifyLegacyHash(account.passwordHash, password)) ? { verdict: 'valid', username: account.username } : { verdict: 'invalid' };
}

/** Legacy identifier + password, checked the way the application's settings say. */
export function checkLegacyCredentials(legacy: LegacyRepository, app: LegacyApplication, username: string, password: string): Promise<CredentialCheck> {
  return app.legacy.mode === 'http' ? checkOverHttp(app.legacy, username, password) : checkDirectory(legacy, app, username, password);
}
