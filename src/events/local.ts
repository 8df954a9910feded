import type { EventChannel, Invalidation } from './channel.ts';

/** Subscribers of one process; used alone with one process, and under the Redis channel. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(value: T): void {
    for (const listener of this.set) listener(value);
  }
}

/** One process, no other: always healthy. */
export function localChannel(): EventChannel {
  const listeners = new Listeners<Invalidation>();
  return {
    kind: 'local',
    healthy: true,
    publish: (event) => listeners.emit(event),
    subscribe: (listener) => listeners.add(listener),
    onHealthChange: () => () => undefined,
    close: () => Promise.resolve(),
  };
}
