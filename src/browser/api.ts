import { API_ERRORS, type ApiError } from './dom.ts';

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** POST JSON, answer JSON; every failure becomes one of the codes the page has a sentence for. */
export async function postJson<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: 'network' };
  }
  let data: unknown = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok && data !== null) return { ok: true, data: data as T };
  const code = (data as { error?: unknown } | null)?.error;
  if (typeof code === 'string' && (API_ERRORS as readonly string[]).includes(code)) return { ok: false, error: code as ApiError };
  if (response.status === 429) return { ok: false, error: 'rate_limited' };
  if (response.status === 400 || response.status === 413) return { ok: false, error: 'invalid_request' };
  return { ok: false, error: 'internal_error' };
}

export interface IssuedCertificate {
  certificate: string;
  chain: string[];
  serial: string;
  label?: string;
}
