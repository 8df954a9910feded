export { EVERYTHING, type EventChannel, type Invalidation } from './channel.ts';
export { localChannel, Listeners } from './local.ts';
export { redisChannel, EVENTS_CHANNEL } from './redis.ts';
export { watchStore, type StoreWatch } from './store-watch.ts';
