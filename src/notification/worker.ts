/**
 * Sends what the outbox holds. Each message is claimed with a compare-and-swap and a lease
 * (several replicas can run a worker; a crashed one's claims come back when the lease runs
 * out), rendered, sent, then marked sent (payload scrubbed) or put back with a backoff.
 * After `maxAttempts` a message is 'failed': kept, listed by the console, retryable.
 */
import type { Config } from '../config/index.ts';
import type { Clock } from '../shared/clock.ts';
import { logger } from '../shared/logger.ts';
import type { Storage } from '../storage/index.ts';
import type { OutboxMessage } from '../model/index.ts';
import { isMailTemplateName, renderMail, type MailBrand } from './templates.ts';
import { DEFAULT_MAIL_BRAND } from './body.tsx';
import { createTransport, type MailTransport } from './transport.ts';
import type { MailTemplates } from './types.ts';

export interface MailWorkerDeps {
  storage: Storage;
  clock: Clock;
  transport: MailTransport;
  from: string;
  maxAttempts: number;
  /** How long a claim holds before another worker may take the message over. */
  leaseMs?: number;
  /** Delay before attempt `attempt + 1`, after `attempt` failed (1-based). */
  backoffMs?: (attempt: number) => number;
  /** Platform name and support contact in subjects and footers. */
  brand?: MailBrand;
}

export interface MailRunResult {
  sent: number;
  retried: number;
  failed: number;
}

export const DEFAULT_LEASE_MS = 5 * 60_000;
const BATCH = 10;
const MAX_BATCHES = 10;

/** 30 s, 1 min, 2 min, 4 min… capped at one hour. */
export function defaultBackoffMs(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

/** What is stored and logged about a failure: the SMTP code and message, never the mail. */
export function describeMailError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const e = error as Error & { code?: unknown; responseCode?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'error';
  const response = typeof e.responseCode === 'number' ? ` ${e.responseCode}` : '';
  // A connection URL in a message would carry the SMTP credentials.
  const message = e.message.replace(/\/\/[^\s/@]+@/g, '//***@').replace(/\s+/g, ' ');
  return `${code}${response}: ${message}`.slice(0, 500);
}

export class MailWorker {
  readonly #deps: Required<MailWorkerDeps>;
  #timer: NodeJS.Timeout | null = null;
  #current: Promise<unknown> | null = null;
  #stopped = false;
  #onStop: (() => void) | null = null;

  constructor(deps: MailWorkerDeps) {
    this.#deps = { leaseMs: DEFAULT_LEASE_MS, backoffMs: defaultBackoffMs, brand: DEFAULT_MAIL_BRAND, ...deps };
  }

  #now(): number {
    return this.#deps.clock.now().getTime();
  }

  /** Sends every message due now (up to a bounded number per run). */
  async runOnce(): Promise<MailRunResult> {
    const result: MailRunResult = { sent: 0, retried: 0, failed: 0 };
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const claimed = await this.#deps.storage.outbox.claimDue(this.#now(), BATCH, this.#deps.leaseMs);
      for (const message of claimed) result[await this.#deliver(message)] += 1;
      if (claimed.length < BATCH) break;
    }
    return result;
  }

  async #deliver(message: OutboxMessage): Promise<keyof MailRunResult> {
    const { storage, transport, from, maxAttempts, backoffMs } = this.#deps;
    const fields = { id: message.id, template: message.template, attempt: message.attempts };
    let rendered;
    try {
      if (!isMailTemplateName(message.template)) throw new Error(`unknown template ${message.template}`);
      rendered = renderMail(message.template, message.lang, JSON.parse(message.payload) as MailTemplates[typeof message.template], this.#deps.brand);
    } catch (error) {
      // Bad data does not get better with time: failed at once, for a person to look at.
      const reason = `render: ${error instanceof Error ? error.message : 'unknown error'}`.slice(0, 500);
      await storage.outbox.markRetry(message.id, message.attempts, reason, this.#now(), true);
      logger.error('mail failed', { ...fields, error: reason });
      return 'failed';
    }
    try {
      await transport.send({ from, to: message.recipient, ...rendered });
    } catch (error) {
      const reason = describeMailError(error);
      const failed = message.attempts >= maxAttempts;
      const nextAttemptAt = failed ? this.#now() : this.#now() + backoffMs(message.attempts);
      await storage.outbox.markRetry(message.id, message.attempts, reason, nextAttemptAt, failed);
      if (failed) logger.error('mail failed', { ...fields, error: reason });
      else logger.warn('mail not sent, will retry', { ...fields, error: reason, nextAttemptAt: new Date(nextAttemptAt).toISOString() });
      return failed ? 'failed' : 'retried';
    }
    // False when the lease ran out and another worker claimed the message: its outcome stands.
    if (!(await storage.outbox.markSent(message.id, message.attempts, this.#now()))) logger.warn('mail sent after its claim was taken over', fields);
    else logger.info('mail sent', { ...fields, transport: transport.kind });
    return 'sent';
  }

  /** Runs every `pollMs` after the previous run ended: runs never overlap, errors are logged. */
  start(pollMs: number): void {
    if (this.#timer || this.#current || this.#stopped) return;
    const tick = async (): Promise<void> => {
      this.#timer = null;
      this.#current = this.runOnce().catch((error: unknown) => logger.error('mail worker run failed', { error: error instanceof Error ? error.message : String(error) }));
      await this.#current;
      this.#current = null;
      if (!this.#stopped) {
        this.#timer = setTimeout(() => void tick(), pollMs);
        this.#timer.unref();
      }
    };
    this.#timer = setTimeout(() => void tick(), 0);
    this.#timer.unref();
  }

  /** Stops the loop and waits for the run in progress, if any. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#current;
    this.#onStop?.();
    this.#onStop = null;
  }

  /** @internal startMailWorker hands its transport over so stop() closes it. */
  closeOnStop(fn: () => void): void {
    this.#onStop = fn;
  }
}

/** The worker of a running Passerelle: transport and settings from the configuration. */
export function startMailWorker(runtime: { config: Config; storage: Storage; clock: Clock }): MailWorker {
  const { config } = runtime;
  const transport = createTransport({ smtpUrl: config.smtp.url, dataDir: config.dataDir });
  const brand = { platformName: config.branding.platformName, supportEmail: config.support.email, supportPhone: config.support.phone };
  const worker = new MailWorker({ storage: runtime.storage, clock: runtime.clock, transport, from: config.smtp.from, maxAttempts: config.mail.maxAttempts, brand });
  worker.closeOnStop(() => transport.close());
  worker.start(config.mail.pollSeconds * 1000);
  logger.info('mail worker started', { transport: transport.kind, pollSeconds: config.mail.pollSeconds });
  return worker;
}
