import pino, { type DestinationStream, type Level, type Logger } from 'pino';

/**
 * One JSON line per event (pino) on stderr. Never pass secrets: fields are written as they are;
 * the redaction below is a second line of defence, not a licence. Callers keep the
 * `(message, fields)` shape; `configureLogger` (serve) sets the level, tests a destination.
 */
type Fields = Record<string, unknown>;
export type LogLevel = Level | 'silent';

// Keys that must never reach a log line, at the top level and one level down.
const SECRET_KEYS = ['password', 'passphrase', 'secret', 'token', 'authorization', 'cookie', 'otp', 'totp', 'withdrawalCode'];
const REDACT = SECRET_KEYS.flatMap((key) => [key, `*.${key}`]);

let level: LogLevel = 'info';
let destination: DestinationStream | null = null;
let silenced = false;
// stderr, written in chunks of 4 KiB (one write per ~15 access lines instead of one per line), at
// least every second, and synchronously on flush (before exit).
type Destination = ReturnType<typeof pino.destination>;
let stderr: Destination | null = null;
let instance: Logger = build(true);
let access: Logger = build(false);

function defaultDestination(): Destination {
  if (!stderr) {
    stderr = pino.destination({ dest: 2, sync: false, minLength: 4096 });
    setInterval(() => stderr?.flush(), 1000).unref();
    // Whatever exits the process (process.exit included) writes the last lines first.
    process.on('exit', flushNow);
  }
  return stderr;
}

/** `redacted`: the second line of defence; the access logger goes without (its fields are fixed and carry no secret). */
function build(redacted: boolean): Logger {
  return pino(
    {
      level: silenced ? 'silent' : level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      ...(redacted ? { redact: { paths: REDACT, censor: '[redacted]' } } : {}),
    },
    destination ?? defaultDestination(),
  );
}

function rebuild(): void {
  flushNow();
  instance = build(true);
  access = build(false);
}

function flushNow(): void {
  if (stderr && !destination) {
    try {
      stderr.flushSync();
    } catch {
      // Nothing buffered or stderr gone: nothing to save.
    }
  } else instance.flush?.();
}

/** Level from configuration (`log.level`); a destination for tests that read the lines. */
export function configureLogger(options: { level?: LogLevel; destination?: DestinationStream | null }): void {
  if (options.level) level = options.level;
  if (options.destination !== undefined) destination = options.destination;
  rebuild();
}

/** The pino instance itself (hot paths that want `isLevelEnabled` or a child logger). */
export function pinoLogger(): Logger {
  return instance;
}

/** The access log's logger: same level and destination, no redaction pass (one line per request). */
export function accessLogger(): Logger {
  return access;
}

const write = (method: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Fields) => {
  if (fields) instance[method](fields, message);
  else instance[method](message);
};

export const logger = {
  debug: (message: string, fields?: Fields) => write('debug', message, fields),
  info: (message: string, fields?: Fields) => write('info', message, fields),
  warn: (message: string, fields?: Fields) => write('warn', message, fields),
  error: (message: string, fields?: Fields) => write('error', message, fields),
  /** Writes what is buffered (before process.exit). */
  flush(): void {
    flushNow();
  },
  /** Tests silence expected errors. */
  silence(value: boolean): void {
    if (silenced === value) return;
    silenced = value;
    rebuild();
  },
};

/**
 * Node's own warnings (DEP0060 and the like) as JSON lines instead of plain text: Node's
 * default printer is removed, ours logs name, code and message (no stack).
 */
export function routeProcessWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    logger.warn('node warning', { name: warning.name, code: warning.code ?? null, warning: warning.message });
  });
}
