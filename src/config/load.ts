import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { configSchema, crossFieldProblems, type Config } from './schema.ts';

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
  ['DATABASE_URL', ['database', 'url']],
  ['REDIS_URL', ['redis', 'url']],
  ['SMTP_URL', ['smtp', 'url']],
  ['PASSERELLE_PKI_PASSPHRASE', ['pki', 'passphrase']],
  ['PASSERELLE_SESSION_SECRET', ['session', 'secret']],
];

function envOverrides(env: Env): Tree {
  let tree: Tree = {};
  for (const [name, keys] of ENV_PATHS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
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
}

/** Reads defaults, the PASSERELLE_CONFIG file and the environment once; validates all of it. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  let tree = readYaml(DEFAULT_FILE, problems);
  const file = env.PASSERELLE_CONFIG;
  if (file) tree = mergeTrees(tree, readYaml(path.resolve(file), problems));
  tree = mergeTrees(tree, envOverrides(env));
  if (env.NODE_ENV === 'production' && !env.PASSERELLE_MODE) tree = mergeTrees(tree, { mode: 'production' });
  if (options.overrides) tree = mergeTrees(tree, options.overrides);
  tree = withDefaultPublicUrl(tree);

  const parsed = configSchema.safeParse(tree);
  problems.push(...crossFieldProblems(tree));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const config = parsed.data;
  config.dataDir = path.resolve(config.dataDir);
  if (config.pki.dir) config.pki.dir = path.resolve(config.pki.dir);
  return config;
}

export function pkiDir(config: Config): string {
  return config.pki.dir ?? path.join(config.dataDir, 'pki');
}
