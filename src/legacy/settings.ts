import type { ApplicationConfig, Config } from '../config/index.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { LegacyApplication } from './types.ts';

export function hasLegacy(app: ApplicationConfig): app is LegacyApplication {
  return app.legacy !== undefined;
}

/** Applications with a `legacy` block, in configuration order. */
export function legacyApplications(config: Config): LegacyApplication[] {
  return config.applications.filter(hasLegacy);
}

export function requireLegacyApplication(config: Config, applicationId: string): LegacyApplication {
  const app = config.applications.find((a) => a.id === applicationId);
  if (!app) throw new NotFoundError('application_not_found', `no application ${applicationId} in the configuration`);
  if (!hasLegacy(app)) throw new NotFoundError('legacy_not_configured', `application ${applicationId} has no legacy settings`);
  return app;
}

/** Legacy identifiers compare case-insensitively; the key of counters and lookups. */
export function legacyKey(username: string): string {
  return username.normalize('NFC').trim().toLowerCase();
}

/** The spelling kept: trimmed, NFC, at most 200 characters. */
export function cleanLegacyUsername(username: string): string {
  return username.normalize('NFC').trim().slice(0, 200);
}
