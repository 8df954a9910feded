export { loadConfig, ConfigError, pkiDir, mergeTrees, SECRET_ENV } from './load.ts';
export { maskSecrets, maskUrl } from './mask.ts';
export { WORKER_INDEX_ENV, workerIndexFromEnv } from './process.ts';
export { REQUIRED_SECRETS, type RequiredSecret } from './schema.ts';
export type { Config, ApplicationConfig, HeaderNames } from './schema.ts';
