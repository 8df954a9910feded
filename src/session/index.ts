export { createSessionBackend, redactRedisUrl, DEFAULT_SESSION_PREFIX, type SessionBackend, type SessionBackendOptions } from './backend.ts';
export { getSession, setSession, destroySession } from './promises.ts';
