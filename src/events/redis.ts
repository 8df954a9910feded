import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { EVERYTHING, type EventChannel, type Invalidation } from './channel.ts';
import { Listeners } from './local.ts';

export const EVENTS_CHANNEL = 'passerelle:events';

export interface RedisChannelOptions {
  url: string;
  /** Redis errors (the channel reconnects by itself). */
  onError?: (error: Error) => void;
}

interface Envelope {
  origin: string;
  event: Invalidation;
}

function parse(message: string): Envelope | null {
  try {
    const value = JSON.parse(message) as Envelope;
    return typeof value.origin === 'string' && typeof value.event === 'object' && value.event !== null ? value : null;
  } catch {
    return null;
  }
}

/**
 * Redis pub/sub between workers and replicas. Healthy only while the subscriber connection is
 * subscribed: between a loss and the re-subscription a message may have been missed, so the
 * channel reports unhealthy (caches bypassed) and, once back, delivers EVERYTHING locally.
 * Publishing is fire-and-forget: a publisher whose Redis is down still delivers locally, and
 * the other processes learn of store changes from the change counter (src/events/store-watch.ts).
 */
export function redisChannel(options: RedisChannelOptions): EventChannel {
  const origin = randomUUID();
  const listeners = new Listeners<Invalidation>();
  const health = new Listeners<boolean>();
  const common = { lazyConnect: false, maxRetriesPerRequest: 1, retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000) };
  // The offline queue keeps what a short-lived process (the CLI's `cert revoke`) publishes before its connection is up; close() waits for it.
  const publisher = new Redis(options.url, { ...common, enableOfflineQueue: true, connectionName: 'passerelle-events-pub' });
  const subscriber = new Redis(options.url, { ...common, connectionName: 'passerelle-events-sub' });
  const onError = (error: Error) => options.onError?.(error);
  publisher.on('error', onError);
  subscriber.on('error', onError);

  let healthy = false;
  let everSubscribed = false;
  const setHealthy = (value: boolean) => {
    if (value === healthy) return;
    healthy = value;
    health.emit(value);
  };
  // ioredis re-subscribes by itself after a reconnection; `ready` comes after that.
  subscriber.on('ready', () => {
    subscriber.subscribe(EVENTS_CHANNEL).then(
      () => {
        if (everSubscribed) listeners.emit(EVERYTHING);
        everSubscribed = true;
        setHealthy(true);
      },
      (error: unknown) => onError(error as Error),
    );
  });
  subscriber.on('close', () => setHealthy(false));
  subscriber.on('end', () => setHealthy(false));
  subscriber.on('message', (_channel: string, message: string) => {
    const envelope = parse(message);
    if (envelope && envelope.origin !== origin) listeners.emit(envelope.event);
  });

  return {
    kind: 'redis',
    get healthy() {
      return healthy;
    },
    publish(event) {
      listeners.emit(event);
      publisher.publish(EVENTS_CHANNEL, JSON.stringify({ origin, event } satisfies Envelope)).catch(onError);
    },
    subscribe: (listener) => listeners.add(listener),
    onHealthChange: (listener) => health.add(listener),
    async close() {
      setHealthy(false);
      subscriber.disconnect();
      // Sends what is queued, then closes; a Redis that is down gets one second, then the connection is dropped.
      const timer = setTimeout(() => publisher.disconnect(), 1000);
      await publisher.quit().catch(() => undefined);
      clearTimeout(timer);
    },
  };
}
