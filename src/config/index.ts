export { loadConfig, ConfigError, pkiDir, mergeTrees } from './load.ts';
export type { Config, ApplicationConfig, HeaderNames } from './schema.ts';
