import https from 'node:https';
import { readFileSync } from 'node:fs';

/** What openid-client and jose hand to a custom fetch: a URL and a plain options bag. */
export interface FetchOptions {
  method?: string;
  headers?: Record<string, string> | Headers;
  body?: unknown;
  signal?: AbortSignal | null;
}

export type FetchLike = (url: string, options?: FetchOptions) => Promise<Response>;

/**
 * A fetch over node:https that trusts `caPem` (and only it): a PSC test platform (or a
 * test provider) may serve TLS from a private CA, and Node's global fetch takes no per-call CA.
 * Only https: the provider is never reached in clear. Redirects are not followed (openid-client
 * asks for `redirect: 'manual'`).
 */
export function fetchTrusting(caPem: string, timeoutMs = 10_000): FetchLike {
  return (url, options = {}) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'https:') {
        reject(new TypeError('the provider is reached over https only'));
        return;
      }
      const headers: Record<string, string> = {};
      if (options.headers instanceof Headers) options.headers.forEach((value, name) => (headers[name] = value));
      else Object.assign(headers, options.headers);
      const body = bodyBytes(options.body);
      if (body) headers['content-length'] = String(body.length);
      const req = https.request(target, { method: options.method ?? 'GET', headers, ca: caPem, timeout: timeoutMs, signal: options.signal ?? undefined }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (Array.isArray(value)) value.forEach((v) => responseHeaders.append(name, v));
            else if (value !== undefined) responseHeaders.set(name, value);
          }
          const status = res.statusCode ?? 502;
          const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, statusText: res.statusMessage ?? '', headers: responseHeaders }));
        });
      });
      req.on('timeout', () => req.destroy(new Error(`the provider did not answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
}

function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError('unsupported request body for the provider');
}

/** `caFile` of the PSC config → a fetch trusting it, or the global fetch (system trust). */
export function providerFetch(caFile: string | null): FetchLike {
  if (!caFile) return (url, options) => fetch(url, options as RequestInit);
  // Read at first use (then kept): the gateway starts even while the file is being provisioned.
  let trusting: FetchLike | null = null;
  return (url, options) => (trusting ??= fetchTrusting(readFileSync(caFile, 'utf8')))(url, options);
}
