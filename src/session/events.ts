import type { Store } from 'express-session';
import type { EventChannel } from '../events/index.ts';

/**
 * Tells the other workers and replicas (and this process's caches) when a session is saved or
 * destroyed: a logout on one replica ends the session cached by the others at once.
 * Wraps the store's own methods, so every path that ends a session is covered.
 */
const wrapped = new WeakSet<Store>();

export function publishSessionChanges(store: Store, events: EventChannel): void {
  if (wrapped.has(store)) return;
  wrapped.add(store);
  const set = store.set.bind(store);
  const destroy = store.destroy.bind(store);
  store.set = (sid, data, callback) =>
    set(sid, data, (error?: unknown) => {
      if (!error) events.publish({ kind: 'session', sid });
      callback?.(error);
    });
  store.destroy = (sid, callback) =>
    destroy(sid, (error?: unknown) => {
      // Published even on error: a destroy that may have happened must not leave a cached session.
      events.publish({ kind: 'session', sid });
      callback?.(error);
    });
}
