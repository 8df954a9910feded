import { randomBytes } from 'node:crypto';
import { access, chmod, link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PkiError } from './errors.ts';

/** File layout of the PKI data directory. */
export const PKI_FILES = {
  rootCert: 'root-ca.pem',
  rootKey: 'root-ca.key.pem',
  issuingCert: 'issuing-ca.pem',
  issuingKey: 'issuing-ca.key.pem',
  serverCert: 'server.pem',
  serverKey: 'server.key.pem',
  chain: 'chain.pem',
} as const;

export type PkiFile = keyof typeof PKI_FILES;

/** Keys are private to the owner; certificates are public. */
const MODES: Record<PkiFile, number> = {
  rootCert: 0o644,
  rootKey: 0o600,
  issuingCert: 0o644,
  issuingKey: 0o600,
  serverCert: 0o644,
  serverKey: 0o600,
  chain: 0o644,
};

/** Publication order: the root key first, so a concurrent initialiser loses on the very first file. */
export const WRITE_ORDER: PkiFile[] = ['rootKey', 'rootCert', 'issuingKey', 'issuingCert', 'chain', 'serverKey', 'serverCert'];

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The PKI files present in `dir`. */
export async function presentFiles(dir: string): Promise<string[]> {
  const names = Object.values(PKI_FILES);
  const present = await Promise.all(names.map((name) => exists(join(dir, name))));
  return names.filter((_, i) => present[i]);
}

/** True when any CA material is in `dir` (even partial: initPki must not silently overwrite it). */
export async function pkiExists(dir: string): Promise<boolean> {
  return (await presentFiles(dir)).length > 0;
}

export async function ensurePkiDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

export async function readPkiFiles(dir: string): Promise<Record<PkiFile, string>> {
  const entries = Object.entries(PKI_FILES) as Array<[PkiFile, string]>;
  const contents = await Promise.all(entries.map(([, name]) => readFile(join(dir, name), 'utf8').catch(() => null)));
  const missing = entries.filter((_, i) => contents[i] === null).map(([, name]) => name);
  if (missing.length > 0) {
    const message = missing.length === entries.length ? `no PKI in ${dir}: run \`passerelle pki init\`` : `incomplete PKI in ${dir}: missing ${missing.join(', ')}`;
    throw new PkiError('pki_missing', message, { dir, missing });
  }
  return Object.fromEntries(entries.map(([key], i) => [key, contents[i]])) as Record<PkiFile, string>;
}

/**
 * Writes files through a temporary name then publishes each one atomically. With `exclusive`, publishing
 * is a hard link that fails when the target exists, so two processes initialising at once cannot mix their
 * material: the loser fails on the first file and gets `pki_exists`. Otherwise rename replaces in place.
 */
export async function writePkiFiles(dir: string, files: Partial<Record<PkiFile, string>>, exclusive: boolean): Promise<void> {
  for (const key of WRITE_ORDER) {
    const content = files[key];
    if (content === undefined) continue;
    const target = join(dir, PKI_FILES[key]);
    const temp = join(dir, `.${PKI_FILES[key]}.${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(temp, content, { mode: MODES[key], flag: 'wx' });
    await chmod(temp, MODES[key]);
    try {
      if (exclusive) {
        await link(temp, target).catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'EEXIST') throw new PkiError('pki_exists', `PKI material already exists in ${dir} (${PKI_FILES[key]})`, { dir });
          throw err;
        });
      } else {
        await rename(temp, target);
      }
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }
}
