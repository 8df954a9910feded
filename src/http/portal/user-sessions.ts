import type { SessionData, Store } from 'express-session';
import { destroySession } from '../../session/index.ts';

type Listed = SessionData & { id?: string };

/** express-session's MemoryStore lists `{ sid: session }`; connect-redis an array with `id`. */
function listSessions(store: Store): Promise<Array<[string, Listed]>> {
  return new Promise((resolve, reject) => {
    if (!store.all) {
      resolve([]);
      return;
    }
    store.all((error: unknown, sessions?: Listed[] | Record<string, Listed> | null) => {
      if (error) reject(error instanceof Error ? error : new Error('session store listing failed', { cause: error }));
      else if (Array.isArray(sessions)) resolve(sessions.filter((s) => typeof s.id === 'string').map((s) => [s.id!, s]));
      else resolve(Object.entries(sessions ?? {}));
    });
  });
}

/**
 * Ends every portal and gateway session of one person (after a password reset: whoever held
 * the old password is out). Sessions are keyed by id, not by person, so the store is listed:
 * rare enough (a used reset link) to afford it. Returns how many were ended.
 */
export async function endSessionsOf(store: Store, userId: string): Promise<number> {
  let ended = 0;
  for (const [sid, data] of await listSessions(store)) {
    if (data.portal?.userId !== userId && data.auth?.userId !== userId) continue;
    await destroySession(store, sid);
    ended += 1;
  }
  return ended;
}
