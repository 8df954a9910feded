import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What one request carries through every await: its id (access log, audit rows, upstream
 * `X-Request-Id`) and, once an assertion is signed for it, the assertion's `jti`. Set at the
 * listeners' front (src/http/server.ts); read by the auditor and the access log.
 */
export interface RequestContext {
  readonly id: string;
  jti: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** A fresh context: the id is always ours (a client-sent X-Request-Id is not trusted). */
export function newRequestContext(): RequestContext {
  return { id: randomUUID(), jti: null };
}

/** Runs `fn` (and everything it awaits) inside `context`. */
export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request's context, or undefined outside a request (jobs, CLI). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The current request's id (for `X-Request-Id` upstream), or null outside a request. */
export function currentRequestId(): string | null {
  return storage.getStore()?.id ?? null;
}

/** Records the signed assertion's `jti` on the current request: the access line carries it. */
export function setRequestJti(jti: string): void {
  const context = storage.getStore();
  if (context) context.jti = jti;
}
