/**
 * What the gateway's caches listen to. `store`: rows that decide access changed (revocation,
 * lockout, deactivation, grant…); `session`: a session was saved or destroyed (logout).
 * Every process publishes what it changes; every serving process applies what it hears.
 */
export type Invalidation = { kind: 'store'; tables: string[] } | { kind: 'session'; sid: string };

export interface EventChannel {
  readonly kind: 'local' | 'redis';
  /** Delivered to this process's subscribers at once, and to the other processes when the channel spans them. */
  publish(event: Invalidation): void;
  subscribe(listener: (event: Invalidation) => void): () => void;
  /**
   * False while events from other processes may be missed (Redis connection lost): caches must
   * then check the store on every request. After a loss, a `store` event for every table is
   * delivered when the channel is back, so everything cached before is forgotten.
   */
  readonly healthy: boolean;
  onHealthChange(listener: (healthy: boolean) => void): () => void;
  close(): Promise<void>;
}

export const EVERYTHING: Invalidation = { kind: 'store', tables: ['*'] };
