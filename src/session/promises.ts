import type { SessionData, Store } from 'express-session';

/*
 * Promise wrappers over express-session's callback Store API, for code that reads sessions
 * without express (the gateway's WebSocket upgrade). Each store's own expiry rules apply:
 * an expired session reads as null.
 */

export function getSession(store: Store, sid: string): Promise<SessionData | null> {
  return new Promise((resolve, reject) => {
    store.get(sid, (error: unknown, data?: SessionData | null) => {
      if (error) reject(asError(error));
      else resolve(data ?? null);
    });
  });
}

export function setSession(store: Store, sid: string, data: SessionData): Promise<void> {
  return new Promise((resolve, reject) => {
    store.set(sid, data, (error?: unknown) => {
      if (error) reject(asError(error));
      else resolve();
    });
  });
}

export function destroySession(store: Store, sid: string): Promise<void> {
  return new Promise((resolve, reject) => {
    store.destroy(sid, (error?: unknown) => {
      if (error) reject(asError(error));
      else resolve();
    });
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
