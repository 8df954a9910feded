/**
 * A real SMTP server for tests (smtp-server on 127.0.0.1, no TLS, any sender accepted) that
 * keeps what it receives, parsed: recipients, subject, text and HTML parts, attachments.
 * The MIME parsing is minimal (what nodemailer writes: multipart, base64, quoted-printable,
 * RFC 2047 words); `raw` keeps the whole message for anything else.
 *
 *   const smtp = await startSmtpServer();   // SMTP_URL = smtp.url
 *   const mail = await smtp.waitFor((m) => m.to.includes('a@b.test'));
 */
import { SMTPServer } from 'smtp-server';

export interface ReceivedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  attachments: ReceivedAttachment[];
  headers: Map<string, string>;
  raw: string;
}

export interface TestSmtpServer {
  port: number;
  url: string;
  messages: ReceivedMail[];
  /** The first message (received or to come) matching `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Answer the next DATA commands with this SMTP error (null: accept again). */
  rejectWith(error: { code: number; message: string } | null): void;
  stop(): Promise<void>;
}

// ---- minimal MIME -------------------------------------------------------------------------

interface Part {
  headers: Map<string, string>;
  body: Buffer;
}

function splitPart(raw: Buffer): Part {
  const text = raw.toString('latin1');
  let cut = text.indexOf('\r\n\r\n');
  let skip = 4;
  if (cut < 0 || (text.indexOf('\n\n') >= 0 && text.indexOf('\n\n') < cut)) {
    cut = text.indexOf('\n\n');
    skip = 2;
  }
  const head = cut < 0 ? text : text.slice(0, cut);
  const body = cut < 0 ? Buffer.alloc(0) : raw.subarray(cut + skip);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'));
  }
  return { headers, body };
}

/** `type/subtype; a=b; c="d"` → value and lower-cased parameters (RFC 2231 `x*=utf-8''…` understood). */
function parameters(header: string | undefined): { value: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  if (!header) return { value: '', params };
  const [value = '', ...rest] = header.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  for (const item of rest) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    let name = item.slice(0, eq).trim().toLowerCase();
    let v = item.slice(eq + 1).trim().replace(/^"(.*)"$/s, '$1');
    if (name.endsWith('*')) {
      name = name.slice(0, -1);
      v = decodeURIComponent(v.replace(/^[^']*'[^']*'/, ''));
    }
    params.set(name, v);
  }
  return { value: value.trim().toLowerCase(), params };
}

function decodeQuotedPrintable(input: string): Buffer {
  const soft = input.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i += 1) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(soft.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?utf-8?B?…?=`, `=?utf-8?Q?…?=`); whitespace between two words goes. */
export function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, _charset: string, encoding: string, text: string) =>
      (encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQuotedPrintable(text.replace(/_/g, ' '))).toString('utf8'),
    );
}

function decodeBody(part: Part): Buffer {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.toString('latin1').replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body.toString('latin1'));
  return part.body;
}

function walk(part: Part, mail: Pick<ReceivedMail, 'text' | 'html' | 'attachments'>): void {
  const type = parameters(part.headers.get('content-type') ?? 'text/plain');
  if (type.value.startsWith('multipart/')) {
    const boundary = type.params.get('boundary');
    if (!boundary) return;
    const body = part.body.toString('latin1');
    const sections = body.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
    // First section is the preamble, last the epilogue.
    for (const section of sections.slice(1, -1)) walk(splitPart(Buffer.from(section, 'latin1')), mail);
    return;
  }
  const disposition = parameters(part.headers.get('content-disposition'));
  const filename = disposition.params.get('filename') ?? type.params.get('name');
  const content = decodeBody(part);
  if (disposition.value === 'attachment' || filename) {
    mail.attachments.push({ filename: decodeWords(filename ?? 'attachment'), contentType: type.value, content });
  } else if (type.value === 'text/html') {
    mail.html += content.toString('utf8');
  } else if (type.value === 'text/plain') {
    mail.text += content.toString('utf8');
  }
}

/** Parses one RFC 5322 message as nodemailer writes it. */
export function parseMail(raw: Buffer, to: string[] = []): ReceivedMail {
  const top = splitPart(raw);
  const mail: ReceivedMail = {
    to,
    from: decodeWords(top.headers.get('from') ?? ''),
    subject: decodeWords(top.headers.get('subject') ?? ''),
    text: '',
    html: '',
    attachments: [],
    headers: top.headers,
    raw: raw.toString('utf8'),
  };
  walk(top, mail);
  return mail;
}

// ---- server -------------------------------------------------------------------------------

export async function startSmtpServer(options: { port?: number } = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let rejection: { code: number; message: string } | null = null;

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (rejection) {
          const error = Object.assign(new Error(rejection.message), { responseCode: rejection.code });
          callback(error);
          return;
        }
        messages.push(parseMail(Buffer.concat(chunks), session.envelope.rcptTo.map((r) => r.address)));
        for (const wake of waiters) wake();
        callback();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('smtp server has no port');
  const port = address.port;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(predicate = () => true, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = messages.find(predicate);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching mail within ${timeoutMs} ms (${messages.length} received: ${messages.map((m) => m.subject).join(' | ')})`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    rejectWith(error) {
      rejection = error;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
