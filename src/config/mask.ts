/**
 * What `passerelle config` prints: the validated configuration with every credential replaced by `***`.
 * Masking walks the whole tree rather than naming fields one by one, so a credential added to the schema
 * later is masked too: values under secret-looking keys, and the password (or token) inside any URL.
 */
const MASK = '***';

/** Keys whose string values are credentials: secret, previousSecrets, passphrase, totpEncryptionKey, password… */
const SECRET_KEY = /(secret|passphrase|password|passwd|token|encryptionkey|apikey|privatekey)s?$/i;
/** Query parameters that carry credentials in connection URLs (e.g. `?password=` for libpq). */
const SECRET_PARAM = /^(password|passwd|pass|secret|token|sslpassword|auth)$/i;

/** A URL with its user-info password and secret query parameters masked; other strings unchanged. */
export function maskUrl(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not parseable: mask anything between "://user:" and "@" the simple way.
    return value.replace(/(:\/\/[^:/@]*:)[^@/]*@/, `$1${MASK}@`);
  }
  let changed = false;
  if (url.password) {
    url.password = MASK;
    changed = true;
  } else if (url.username && !url.password && /^rediss?:$/.test(url.protocol)) {
    // redis://secret@host: a bare user-info is the password for Redis (AUTH without ACL user).
    url.username = MASK;
    changed = true;
  }
  for (const key of [...url.searchParams.keys()]) {
    if (SECRET_PARAM.test(key)) {
      url.searchParams.set(key, MASK);
      changed = true;
    }
  }
  return changed ? url.toString() : value;
}

function maskValue(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') return SECRET_KEY.test(key) ? MASK : maskUrl(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(key, item));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskValue(k, v)]));
  }
  return value;
}

/** A deep copy of `config` with every credential masked. */
export function maskSecrets<T>(config: T): T {
  return maskValue('', config) as T;
}
