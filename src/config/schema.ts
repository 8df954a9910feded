import { isIP } from 'node:net';
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

/** The ways into an application: the three certificate kinds, and Pro Santé Connect (src/psc). */
export const SIGN_IN_METHODS = ['personal-certificate', 'collective-certificate', 'cps-card', 'pro-sante-connect'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

export const applicationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, - or _'),
    name: z.string().min(1),
    host: hostname,
    upstream: z.url({ protocol: /^https?$/ }),
    headers: headerNames,
    /** A CPS card (IGC-Santé certificate on a smart card, unlocked by its PIN) opens this application without the password. */
    passwordlessCps: z.boolean().default(false),
    /** The assertion carries a `services` claim (the person's services of their establishment: codes, else names) for applications that map them to roles. */
    sendServices: z.boolean().default(false),
    /**
     * Which sign-in methods open this application (issue 12). The default keeps the certificate
     * methods only; `pro-sante-connect` also needs `psc.enabled`. `passwordAfterPsc`: ask the
     * account password after a Pro Santé Connect sign-in (default no: PSC is already strong).
     */
    signIn: z
      .object({
        methods: z.array(z.enum(SIGN_IN_METHODS)).min(1).default(['personal-certificate', 'collective-certificate', 'cps-card']),
        passwordAfterPsc: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /**
     * Legacy identifiers (src/legacy): how the application's existing accounts are checked on
     * first use — `directory` (accounts imported with `passerelle legacy import`) or `http`
     * (credentials POSTed to the application's own endpoint). `cutOver: true` ends the
     * migration period for the whole application (the console can also do it).
     */
    legacy: z
      .discriminatedUnion('mode', [
        z.object({ mode: z.literal('directory'), cutOver: z.boolean().default(false) }).strict(),
        z
          .object({
            mode: z.literal('http'),
            cutOver: z.boolean().default(false),
            url: z.url({ protocol: /^https?$/ }),
            usernameField: z.string().min(1).max(100).default('username'),
            passwordField: z.string().min(1).max(100).default('password'),
            encoding: z.enum(['form', 'json']).default('form'),
            successStatus: z.array(z.number().int().min(200).max(299)).min(1).default([200, 204]),
            timeoutMs: z.number().int().min(100).max(60_000).default(5000),
          })
          .strict(),
      ])
      .optional(),
  })
  .strict();

/**
 * CPS cards: external trust anchors shaped like IGC-Santé. `anchors` lists the roots AND the
 * CAs that issue the cards (a card is recognised by its direct issuer); each entry is a PEM
 * file path or inline PEM. `crlFiles` are those CAs' CRLs (DER or PEM), reloaded on change.
 */
const cpsSchema = z
  .object({
    enabled: z.boolean(),
    anchors: z.array(z.string().min(1)),
    crlFiles: z.array(z.string().min(1)),
    /** On the gateway listener: reads the card and sends its holder to the public registration form, prefilled. */
    registrationHost: hostname,
    /** Lifetime of the prefill token carried from the registration host to /inscription. */
    prefillTtlSeconds: z.number().int().min(30).max(3600),
  })
  .strict();

/**
 * Pro Santé Connect (the ANS's OpenID Connect provider for health professionals), off by
 * default. `issuer`: the provider's issuer URL (discovery at /.well-known/openid-configuration).
 * Client authentication: `client_secret_basic`/`client_secret_post` with `clientSecret`
 * (PASSERELLE_PSC_CLIENT_SECRET), or `private_key_jwt` with `privateKeyFile` (PEM, PKCS#8).
 * `caFile`: extra trust anchors for the provider's TLS (test platforms); null = the system's.
 */
const pscSchema = z
  .object({
    enabled: z.boolean().default(false),
    issuer: z.url({ protocol: /^https$/ }).nullable().default(null),
    clientId: z.string().min(1).nullable().default(null),
    clientAuth: z.enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt']).default('client_secret_basic'),
    clientSecret: z.string().min(1).nullable().default(null),
    privateKeyFile: z.string().min(1).nullable().default(null),
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/)).min(1).default(['openid', 'scope_all']),
    /** Space-separated, sent as `acr_values`; the ID token's `acr` must be one of them. */
    acrValues: z.string().min(1).default('eidas1'),
    caFile: z.string().min(1).nullable().default(null),
    /** Lifetime of a pending sign-in (state, nonce, PKCE verifier kept in the session). */
    flowTtlSeconds: z.number().int().min(60).max(3600).default(600),
  })
  .strict()
  .prefault({});

/** Console actions the four-eyes rule can apply to (src/console/actions.ts runs them). */
export const CONSOLE_FOUR_EYES_ACTIONS = [
  'registration.approve',
  'registration.reject',
  'certificate-request.approve',
  'certificate-request.reject',
  'certificate-request.new-code',
  'access-request.approve',
  'access-request.reject',
] as const;
export type ConsoleFourEyesAction = (typeof CONSOLE_FOUR_EYES_ACTIONS)[number];
/**
 * An establishment administrator's actions the rule can apply to (src/services/four-eyes.ts):
 * another administrator of the same establishment, or the cell, confirms. The cell's own
 * actions on people and services stay direct.
 */
export const ESTABLISHMENT_FOUR_EYES_ACTIONS = ['establishment.person.deactivate', 'establishment.person.reactivate', 'establishment.service.grant'] as const;
export type EstablishmentFourEyesAction = (typeof ESTABLISHMENT_FOUR_EYES_ACTIONS)[number];
export const FOUR_EYES_ACTIONS = [...CONSOLE_FOUR_EYES_ACTIONS, ...ESTABLISHMENT_FOUR_EYES_ACTIONS] as const;
export type FourEyesAction = (typeof FOUR_EYES_ACTIONS)[number];

/** #rgb or #rrggbb: written into a stylesheet, so nothing else gets through. */
const cssColor = z.string().regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/);

/**
 * The listener's server certificate from files (PEM; any CA, e.g. ACME), reloaded on SIGHUP or
 * file change. null: the PKI's own server certificate. Client certificates are still checked
 * against our CA.
 */
const listenerTls = z
  .object({ certFile: z.string().min(1), keyFile: z.string().min(1) })
  .strict()
  .nullable()
  .default(null);

/** `10.0.0.5`, `10.0.0.0/8`, `fd00::/8`. */
function isCidr(value: string): boolean {
  const [address, prefix, extra] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export const configSchema = z
  .object({
    mode: z.enum(['development', 'production']),
    dataDir: z.string().min(1),
    publicUrl: z.url({ protocol: /^https$/ }),
    platformDomain: hostname,
    support: z
      .object({
        /** How texts name the support when no e-mail/phone is given ("la cellule de coordination (…)"). */
        contact: z.string().min(1),
        name: z.string().min(1).default('la cellule de coordination'),
        email: z.email().nullable().default(null),
        phone: z.string().regex(/^\+?[0-9 .()-]{6,25}$/).nullable().default(null),
      })
      .strict(),
    /** What every page, mail and PDF is called and looks like (src/http/site.ts). */
    branding: z
      .object({
        platformName: z.string().min(1).max(80).default('Passerelle'),
        /** PNG or SVG file (path relative to the config file's directory or absolute), served as …/assets/logo. */
        logo: z.string().min(1).nullable().default(null),
        colors: z
          .object({ primary: cssColor.nullable().default(null), primaryHover: cssColor.nullable().default(null), link: cssColor.nullable().default(null) })
          .strict()
          .default({ primary: null, primaryHover: null, link: null }),
        /** Legal notice: who publishes the platform, and who hosts it. */
        publisher: z.string().min(1).default('Groupement régional d’appui au développement de la e-santé (à compléter)'),
        host: z.string().min(1).default('Hébergeur de données de santé certifié HDS (à compléter)'),
        /** RGPD art. 13: data protection officer contact. */
        dpoEmail: z.email().nullable().default(null),
      })
      .strict()
      .default({ platformName: 'Passerelle', logo: null, colors: { primary: null, primaryHover: null, link: null }, publisher: 'Groupement régional d’appui au développement de la e-santé (à compléter)', host: 'Hébergeur de données de santé certifié HDS (à compléter)', dpoEmail: null }),
    listeners: z
      .object({
        public: z.object({ host: z.string().min(1), port, tls: listenerTls }).strict(),
        gateway: z.object({ host: z.string().min(1), port, tls: listenerTls }).strict(),
        /** Plain HTTP, loopback by default: /livez, /readyz, /metrics (src/http/admin). Never expose it. */
        admin: z
          .object({ enabled: z.boolean().default(true), host: z.string().min(1).default('127.0.0.1'), port: port.default(9464) })
          .strict()
          .prefault({}),
      })
      .strict(),
    /** JSON lines on stderr (pino) at this level and above. */
    log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).strict().prefault({}),
    /** Processes serving the listeners on this machine (node:cluster): a number, or `auto` (one per core). More than one needs Redis. */
    workers: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(256)]).default(1),
    /** On SIGTERM/SIGINT: how long in-flight requests and WebSockets may take to finish before they are cut. */
    /**
     * `delaySeconds`: after the stop signal, keep accepting (while /readyz says 503) this long, so a balancer's health
     * check takes the replica out before its listeners close — set it above the balancer's detection time.
     */
    shutdown: z.object({ graceSeconds: z.number().min(0).max(3600).default(25), delaySeconds: z.number().min(0).max(300).default(0) }).strict().prefault({}),
    /** At start, how long to keep retrying an unreachable database or Redis (not ready meanwhile) before exiting 69; 0: forever. */
    startup: z.object({ waitSeconds: z.number().min(0).max(86_400).default(300) }).strict().prefault({}),
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
        /** Secrets used before a rotation, newest first: they still verify cookies, never sign new ones. */
        previousSecrets: z.array(z.string().min(32, 'must be at least 32 characters')).max(10).default([]),
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
    console: z
      .object({
        host: hostname,
        /** Every coordinator must enrol a TOTP second factor before using the console. */
        requireTotp: z.boolean(),
        /** Key material for the TOTP secrets at rest; null: derived from session.secret (rotating it then means re-enrolling). */
        totpEncryptionKey: z.string().min(32, 'must be at least 32 characters').nullable(),
        /** Actions that a second, different coordinator must confirm before they run. */
        fourEyes: z.object({ enabled: z.boolean(), actions: z.array(z.enum(FOUR_EYES_ACTIONS)) }).strict(),
      })
      .strict(),
    assertion: z.object({ ttlSeconds: z.number().int().min(5).max(60) }).strict(),
    applications: z.array(applicationSchema),
    cps: cpsSchema,
    psc: pscSchema,
    /**
     * PROXY protocol (v1/v2) on both listeners, from these balancer addresses only (CIDRs or
     * addresses); they must send it, nobody else may. Empty: off (the peer's address is the client's).
     */
    proxyProtocol: z
      .object({
        trustedAddresses: z
          .array(z.string().refine(isCidr, 'must be an IPv4/IPv6 address or CIDR (e.g. 10.0.0.0/8)'))
          .default([]),
      })
      .strict()
      .prefault({}),
    demo: z.object({ enabled: z.boolean(), port }).strict(),
  })
  .strict()
  .strict();

/**
 * Checks across fields, run on the raw tree even when the shape is wrong elsewhere, so every
 * problem is reported in one go (zod skips refinements once a field fails).
 */
export const REQUIRED_SECRETS = ['pki.passphrase', 'session.secret'] as const;
/** A secret production cannot run without; read-only CLI commands require none of them. */
export type RequiredSecret = (typeof REQUIRED_SECRETS)[number];

export function crossFieldProblems(tree: Record<string, unknown>, requireSecrets: readonly RequiredSecret[] = REQUIRED_SECRETS): string[] {
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
  // The CPS registration host is served by Passerelle itself on the gateway listener.
  const cps = (tree.cps ?? {}) as Record<string, unknown>;
  if (cps.enabled === true && cps.registrationHost !== undefined) {
    if (cps.registrationHost === consoleHost) problems.push(`cps.registrationHost: ${JSON.stringify(cps.registrationHost)} is the console host`);
    apps.forEach((app, index) => {
      if ((app as Record<string, unknown> | null)?.host === cps.registrationHost) problems.push(`applications.${index}.host: ${JSON.stringify(cps.registrationHost)} is the CPS registration host`);
    });
  }
  problems.push(...pscProblems(tree, apps));
  // Workers share sessions, limits and cache invalidations through Redis; in-process state would split.
  if (tree.workers !== undefined && tree.workers !== 1 && tree.workers !== '1' && !((tree.redis ?? {}) as Record<string, unknown>).url) {
    problems.push('workers: more than one worker needs shared sessions: set redis.url (REDIS_URL)');
  }
  if (tree.mode === 'production') {
    const pki = (tree.pki ?? {}) as Record<string, unknown>;
    const session = (tree.session ?? {}) as Record<string, unknown>;
    if (!pki.passphrase && requireSecrets.includes('pki.passphrase')) problems.push('pki.passphrase: required in production (PASSERELLE_PKI_PASSPHRASE)');
    if (!session.secret && requireSecrets.includes('session.secret')) problems.push('session.secret: required in production (PASSERELLE_SESSION_SECRET)');
  }
  return problems;
}

/** PSC on: the provider and the client must be named, with the secret or key its method needs; an application asking for PSC needs it on. */
function pscProblems(tree: Record<string, unknown>, apps: unknown[]): string[] {
  const problems: string[] = [];
  const psc = (tree.psc ?? {}) as Record<string, unknown>;
  if (psc.enabled === true) {
    if (!psc.issuer) problems.push('psc.issuer: required when psc.enabled');
    if (!psc.clientId) problems.push('psc.clientId: required when psc.enabled');
    if (psc.clientAuth === 'private_key_jwt' ? !psc.privateKeyFile : !psc.clientSecret) {
      problems.push(psc.clientAuth === 'private_key_jwt' ? 'psc.privateKeyFile: required with private_key_jwt' : 'psc.clientSecret: required (PASSERELLE_PSC_CLIENT_SECRET)');
    }
  }
  apps.forEach((app, index) => {
    const methods = (((app ?? {}) as Record<string, unknown>).signIn as Record<string, unknown> | undefined)?.methods;
    if (Array.isArray(methods) && methods.includes('pro-sante-connect') && psc.enabled !== true) problems.push(`applications.${index}.signIn.methods: pro-sante-connect needs psc.enabled`);
  });
  return problems;
}

export type Config = z.infer<typeof configSchema>;
export type ApplicationConfig = z.infer<typeof applicationSchema>;
export type HeaderNames = ApplicationConfig['headers'];
export type CpsConfig = Config['cps'];
export type PscConfig = Config['psc'];
