import { EventEmitter } from 'node:events';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { createSecureContext, type SecureContextOptions, type Server } from 'node:tls';
import { PasserelleError } from '../shared/errors.ts';

export interface CertificateFiles {
  certFile: string;
  keyFile: string;
}

export interface KeyPair {
  key: string;
  cert: string;
}

/** Reads and checks a PEM certificate (chain) and its key; the error names the listener and the files. */
export function readKeyPair(listener: string, files: CertificateFiles, base: SecureContextOptions): KeyPair {
  let pair: KeyPair;
  try {
    pair = { cert: readFileSync(files.certFile, 'utf8'), key: readFileSync(files.keyFile, 'utf8') };
    // Builds a context once: a key that does not match the certificate, or no PEM at all, fails here.
    createSecureContext({ ...base, ...pair });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PasserelleError(500, 'server_certificate_invalid', `${listener} listener: server certificate ${files.certFile} / key ${files.keyFile} unusable: ${reason}`);
  }
  return pair;
}

/**
 * A listener's server certificate read from files, swapped in with `setSecureContext` when
 * `reload()` is called (SIGHUP) or the files change: connections already open keep the
 * context they were made with, new handshakes get the new one. A half-written pair (key
 * replaced before the certificate) fails its check and the previous certificate stays.
 * Events: `reloaded` (listener name), `failed` (listener name, error).
 */
export class ReloadableCertificate extends EventEmitter {
  readonly #watchers: FSWatcher[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(
    readonly listener: string,
    readonly files: CertificateFiles,
    private readonly server: Server,
    private readonly base: SecureContextOptions,
  ) {
    super();
  }

  reload(): boolean {
    try {
      const pair = readKeyPair(this.listener, this.files, this.base);
      this.server.setSecureContext({ ...this.base, ...pair });
      this.emit('reloaded', this.listener);
      return true;
    } catch (error) {
      this.emit('failed', this.listener, error);
      return false;
    }
  }

  /**
   * Watches the files' directories, not the files: certbot and most deploy tools replace a file
   * (rename, new symlink target), which ends a watch on the old inode.
   */
  watch(): void {
    const wanted = new Set([this.files.certFile, this.files.keyFile].map((f) => path.basename(f)));
    for (const dir of new Set([path.dirname(this.files.certFile), path.dirname(this.files.keyFile)])) {
      const watcher = watch(dir, (_event, name) => {
        if (name === null || wanted.has(name.toString())) this.#soon();
      });
      watcher.on('error', (error) => this.emit('failed', this.listener, error));
      watcher.unref();
      this.#watchers.push(watcher);
    }
  }

  /** A replacement is several writes (certificate, key): reload once they have settled. */
  #soon(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.reload();
    }, 200);
    this.#timer.unref();
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    for (const watcher of this.#watchers) watcher.close();
  }
}

/** The key pair a listener starts with: its files when configured (checked now: a bad pair stops the start), else the PKI's own. */
export function serverKeyPair(listener: string, files: CertificateFiles | null, base: SecureContextOptions, own: KeyPair): KeyPair {
  return files ? readKeyPair(listener, files, base) : own;
}

export interface CertificateListener {
  listener: string;
  files: CertificateFiles | null;
  server: Server;
  base: SecureContextOptions;
}

/** Every listener whose certificate comes from files: reloaded together on SIGHUP, each on its own file change. */
export class ServerCertificates extends EventEmitter {
  readonly #reloadable: ReloadableCertificate[];
  readonly #onHangup = () => this.reload();

  constructor(listeners: CertificateListener[]) {
    super();
    this.#reloadable = listeners.flatMap(({ listener, files, server, base }) => (files ? [new ReloadableCertificate(listener, files, server, base)] : []));
    for (const one of this.#reloadable) {
      one.on('reloaded', (name: string) => this.emit('reloaded', name));
      one.on('failed', (name: string, error: unknown) => this.emit('failed', name, error));
      one.watch();
    }
    // Only when there is something to reload: otherwise SIGHUP keeps its default meaning.
    if (this.#reloadable.length > 0) process.on('SIGHUP', this.#onHangup);
  }

  /** Rereads every file-based certificate; true when all were swapped in. */
  reload(): boolean {
    return this.#reloadable.map((one) => one.reload()).every(Boolean);
  }

  close(): void {
    process.off('SIGHUP', this.#onHangup);
    for (const one of this.#reloadable) one.close();
  }
}
