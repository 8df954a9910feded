import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const hostname = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'must be a lower-case DNS name');

/** Header names sent to one application; renames serve legacy applications. */
// Renames stay in the X- space: a rename to Cookie or Authorization would let the strip step eat real headers.
const headerName = z.string().regex(/^X-[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/i, 'must be an X-… header name');
const headerNames = z
  .object({
    user: headerName.default('X-Passerelle-User'),
    legacyUser: headerName.default('X-Passerelle-Legacy-User'),
    authMethod: headerName.default('X-Passerelle-Auth-Method'),
    certificateSerial: headerName.default('X-Passerelle-Certificate-Serial'),
    certificateSha256: headerName.default('X-Passerelle-Certificate-Sha256'),
    establishment: headerName.default('X-Passerelle-Establishment'),
    assertion: headerName.default('X-Passerelle-Assertion'),
  })
  .strict()
  .prefault({});

export const applicationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, - or _'),
    name: z.string().min(1),
    host: hostname,
    upstream: z.url({ protocol: /^https?$/ }),
    headers: headerNames,
  })
  .strict();

export const configSchema = z
  .object({
    mode: z.enum(['development', 'production']),
    dataDir: z.string().min(1),
    publicUrl: z.url({ protocol: /^https$/ }),
    platformDomain: hostname,
    support: z.object({ contact: z.string().min(1) }).strict(),
    listeners: z
      .object({
        public: z.object({ host: z.string().min(1), port }).strict(),
        gateway: z.object({ host: z.string().min(1), port }).strict(),
      })
      .strict(),
    database: z.object({ url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').nullable() }).strict(),
    redis: z.object({ url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').nullable() }).strict(),
    smtp: z.object({ url: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// URL').nullable(), from: z.string().min(3) }).strict(),
    pki: z
      .object({
        dir: z.string().nullable(),
        passphrase: z.string().min(12, 'must be at least 12 characters').nullable(),
        autoInit: z.boolean(),
        organization: z.string().min(1),
        country: z.string().length(2),
        serverHosts: z.array(z.string().min(1)),
        validityDays: z
          .object({
            root: z.number().int().positive(),
            issuing: z.number().int().positive(),
            personal: z.number().int().positive(),
            collective: z.number().int().positive(),
            server: z.number().int().positive().max(397),
          })
          .strict(),
        crlValidityHours: z.number().int().positive(),
      })
      .strict(),
    session: z
      .object({
        secret: z.string().min(32, 'must be at least 32 characters').nullable(),
        idleTimeoutMinutes: z.number().int().positive(),
        absoluteTimeoutHours: z.number().int().positive(),
        cookieName: z.string().regex(/^[A-Za-z0-9_-]+$/),
      })
      .strict(),
    lockout: z.object({ maxFailures: z.number().int().min(1).max(100) }).strict(),
    accounts: z
      .object({
        provisionalPasswordDays: z.number().int().min(1).max(365),
        password: z.object({ minLength: z.number().int().min(8).max(128), historySize: z.number().int().min(0).max(24) }).strict(),
        termsUrl: z.url().nullable(),
      })
      .strict(),
    withdrawal: z
      .object({
        codeValidityDays: z.number().int().min(1).max(365),
        maxAttempts: z.number().int().min(1).max(20),
        keyAlgorithm: z.enum(['rsa-2048', 'ec-p256']),
        retryWindowMinutes: z.number().int().min(0).max(1440),
      })
      .strict(),
    renewal: z.object({ noticeDays: z.number().int().min(1).max(365) }).strict(),
    mail: z.object({ maxAttempts: z.number().int().min(1).max(50), pollSeconds: z.number().min(0.05).max(3600) }).strict(),
    console: z.object({ host: hostname }).strict(),
    assertion: z.object({ ttlSeconds: z.number().int().min(5).max(60) }).strict(),
    applications: z.array(applicationSchema),
    demo: z.object({ enabled: z.boolean(), port }).strict(),
  })
  .strict()
  .strict();

/**
 * Checks across fields, run on the raw tree even when the shape is wrong elsewhere, so every
 * problem is reported in one go (zod skips refinements once a field fails).
 */
export function crossFieldProblems(tree: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const apps = Array.isArray(tree.applications) ? (tree.applications as unknown[]) : [];
  for (const key of ['id', 'host'] as const) {
    const seen = new Set<unknown>();
    apps.forEach((app, index) => {
      const value = (app as Record<string, unknown> | null)?.[key];
      if (value === undefined) return;
      if (seen.has(value)) problems.push(`applications.${index}.${key}: duplicate ${key} ${JSON.stringify(value)}`);
      seen.add(value);
    });
  }
  const consoleHost = ((tree.console ?? {}) as Record<string, unknown>).host;
  apps.forEach((app, index) => {
    const a = (app ?? {}) as Record<string, unknown>;
    if (a.id === 'console') problems.push(`applications.${index}.id: "console" is reserved for the coordination console`);
    if (consoleHost !== undefined && a.host === consoleHost) problems.push(`applications.${index}.host: ${JSON.stringify(a.host)} is the console host`);
  });
  if (tree.mode === 'production') {
    const pki = (tree.pki ?? {}) as Record<string, unknown>;
    const session = (tree.session ?? {}) as Record<string, unknown>;
    if (!pki.passphrase) problems.push('pki.passphrase: required in production (PASSERELLE_PKI_PASSPHRASE)');
    if (!session.secret) problems.push('session.secret: required in production (PASSERELLE_SESSION_SECRET)');
  }
  return problems;
}

export type Config = z.infer<typeof configSchema>;
export type ApplicationConfig = z.infer<typeof applicationSchema>;
export type HeaderNames = ApplicationConfig['headers'];
