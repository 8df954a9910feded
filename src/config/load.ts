import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { configSchema, crossFieldProblems, REQUIRED_SECRETS, type Config, type RequiredSecret } from './schema.ts';

const DEFAULT_FILE = fileURLToPath(new URL('../../config/default.yaml', import.meta.url));

/** Thrown with every problem found, each with its path, so operators fix them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge where arrays and scalars of `over` replace those of `base`. */
export function mergeTrees(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isTree(current) && isTree(value) ? mergeTrees(current, value) : value;
  }
  return out;
}

function readYaml(file: string, problems: string[]): Tree {
  try {
    const value: unknown = parse(readFileSync(file, 'utf8'));
    if (value == null) return {};
    if (!isTree(value)) {
      problems.push(`${file}: must be a YAML mapping`);
      return {};
    }
    return value;
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message.split('\n')[0]}`);
    return {};
  }
}

/** The environment variables of the public contract, mapped onto config paths. */
const ENV_PATHS: Array<[string, string[]]> = [
  ['PASSERELLE_MODE', ['mode']],
  ['PASSERELLE_DATA_DIR', ['dataDir']],
  ['PASSERELLE_PUBLIC_URL', ['publicUrl']],
  ['PASSERELLE_PUBLIC_PORT', ['listeners', 'public', 'port']],
  ['PASSERELLE_GATEWAY_PORT', ['listeners', 'gateway', 'port']],
  ['PASSERELLE_ADMIN_PORT', ['listeners', 'admin', 'port']],
  ['PASSERELLE_LOG_LEVEL', ['log', 'level']],
  ['PASSERELLE_WORKERS', ['workers']],
  ['DATABASE_URL', ['database', 'url']],
  ['REDIS_URL', ['redis', 'url']],
  ['SMTP_URL', ['smtp', 'url']],
  ['PASSERELLE_PKI_PASSPHRASE', ['pki', 'passphrase']],
  ['PASSERELLE_SESSION_SECRET', ['session', 'secret']],
  ['PASSERELLE_TOTP_ENCRYPTION_KEY', ['console', 'totpEncryptionKey']],
  ['PASSERELLE_PSC_CLIENT_SECRET', ['psc', 'clientSecret']],
];

/**
 * Variables that carry a credential: each may instead be given as `<NAME>_FILE`, a path to a file holding
 * the value (Docker/Kubernetes secrets, systemd credentials), so the secret stays out of the environment.
 */
export const SECRET_ENV = ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'PASSERELLE_PKI_PASSPHRASE', 'PASSERELLE_SESSION_SECRET', 'PASSERELLE_TOTP_ENCRYPTION_KEY', 'PASSERELLE_PSC_CLIENT_SECRET'] as const;

/** The value of `name`, or the content of the file named by `name_FILE` (one trailing newline dropped). */
function envValue(env: Env, name: string, problems: string[]): string | undefined {
  const direct = env[name];
  const file = (SECRET_ENV as readonly string[]).includes(name) ? env[`${name}_FILE`] : undefined;
  if (file === undefined || file === '') return direct === '' ? undefined : direct;
  if (direct !== undefined && direct !== '') {
    problems.push(`${name}: set either ${name} or ${name}_FILE, not both`);
    return undefined;
  }
  try {
    const value = readFileSync(path.resolve(file), 'utf8').replace(/\r?\n$/, '');
    if (value === '') problems.push(`${name}_FILE: ${file} is empty`);
    return value === '' ? undefined : value;
  } catch (error) {
    // The message names the file, never its content.
    problems.push(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

/**
 * `PASSERELLE_SESSION_SECRET` may hold several secrets, separated by commas or new lines: the first signs
 * new cookies, the others (previous ones, newest first) still verify cookies issued before a rotation.
 */
function sessionSecretTree(value: string): Tree {
  const [secret, ...previousSecrets] = value.split(/[\s,]+/).filter(Boolean);
  return { session: { secret, ...(previousSecrets.length > 0 ? { previousSecrets } : {}) } };
}

function envOverrides(env: Env, problems: string[]): Tree {
  let tree: Tree = {};
  for (const [name, keys] of ENV_PATHS) {
    const value = envValue(env, name, problems);
    if (value === undefined) continue;
    if (name === 'PASSERELLE_SESSION_SECRET') {
      tree = mergeTrees(tree, sessionSecretTree(value));
      continue;
    }
    const leaf = keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
    tree = mergeTrees(tree, leaf as Tree);
  }
  return tree;
}

/** Without an explicit public URL, the public listener on localhost. */
function withDefaultPublicUrl(tree: Tree): Tree {
  if (tree.publicUrl != null) return tree;
  const listeners = isTree(tree.listeners) ? tree.listeners : {};
  const configured = Number(isTree(listeners.public) ? listeners.public.port : 8443);
  const port = Number.isInteger(configured) && configured > 0 ? configured : 8443;
  return { ...tree, publicUrl: port === 443 ? 'https://localhost' : `https://localhost:${port}` };
}

export interface LoadOptions {
  env?: Env;
  /** Extra tree merged last (tests, `npm start` demo switches). */
  overrides?: Tree;
  /**
   * Secrets that production must have for what is about to run (default: all, as `serve` needs).
   * CLI commands that only read (lists, `config`, `audit`…) ask for none: they need no CA passphrase.
   */
  requireSecrets?: readonly RequiredSecret[];
}

/** Reads defaults, the PASSERELLE_CONFIG file and the environment once; validates all of it. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  let tree = readYaml(DEFAULT_FILE, problems);
  const file = env.PASSERELLE_CONFIG;
  if (file) tree = mergeTrees(tree, readYaml(path.resolve(file), problems));
  tree = mergeTrees(tree, envOverrides(env, problems));
  if (env.NODE_ENV === 'production' && !env.PASSERELLE_MODE) tree = mergeTrees(tree, { mode: 'production' });
  if (options.overrides) tree = mergeTrees(tree, options.overrides);
  tree = withDefaultPublicUrl(tree);

  const parsed = configSchema.safeParse(tree);
  problems.push(...crossFieldProblems(tree, options.requireSecrets ?? REQUIRED_SECRETS));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const config = parsed.data;
  config.dataDir = path.resolve(config.dataDir);
  if (config.pki.dir) config.pki.dir = path.resolve(config.pki.dir);
  for (const listener of [config.listeners.public, config.listeners.gateway]) {
    if (listener.tls) listener.tls = { certFile: path.resolve(listener.tls.certFile), keyFile: path.resolve(listener.tls.keyFile) };
  }
  return config;
}

export function pkiDir(config: Config): string {
  return config.pki.dir ?? path.join(config.dataDir, 'pki');
}
