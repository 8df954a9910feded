/**
 * Where rendered mails go: an SMTP server (nodemailer) when SMTP_URL is set, otherwise `.eml`
 * files in <dataDir>/mail (development: open them with any mail client). Both build the same
 * MIME message.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import type { MailAttachment } from './types.ts';

/** Loaded on first mail: a serving process that never sends one does not carry nodemailer (~4 MB). */
let nodemailerModule: Promise<typeof import('nodemailer')> | null = null;
function loadNodemailer(): Promise<typeof import('nodemailer')> {
  return (nodemailerModule ??= import('nodemailer'));
}

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
}

export interface MailTransport {
  readonly kind: 'smtp' | 'files';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

// Well under the worker's lease, so a hung server cannot make two workers send one mail.
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000, dnsTimeout: 15_000 };

function message(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
  };
}

class SmtpTransport implements MailTransport {
  readonly kind = 'smtp' as const;
  #mailer: Transporter | null = null;
  constructor(private readonly url: string) {}
  async send(mail: OutgoingMail): Promise<void> {
    this.#mailer ??= (await loadNodemailer()).default.createTransport({ url: this.url, ...SMTP_TIMEOUTS });
    await this.#mailer.sendMail(message(mail));
  }
  close(): void {
    this.#mailer?.close();
  }
}

class FileTransport implements MailTransport {
  readonly kind = 'files' as const;
  readonly #dir: string;
  #composer: Transporter | null = null;
  constructor(dataDir: string) {
    this.#dir = mailDir(dataDir);
  }
  async send(mail: OutgoingMail): Promise<void> {
    this.#composer ??= (await loadNodemailer()).default.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const info = await this.#composer.sendMail(message(mail));
    if (!Buffer.isBuffer(info.message)) throw new Error('mail composer returned a stream');
    // Mails hold passwords: readable by the service account only. Written whole, then renamed,
    // so a reader never sees half a message.
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}`;
    const tmp = path.join(this.#dir, `.${name}.tmp`);
    try {
      await writeFile(tmp, info.message, { mode: 0o600, flag: 'wx' });
      await rename(tmp, path.join(this.#dir, `${name}.eml`));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }
  close(): void {
    this.#composer?.close();
  }
}

export function createTransport(options: { smtpUrl: string | null; dataDir: string }): MailTransport {
  return options.smtpUrl ? new SmtpTransport(options.smtpUrl) : new FileTransport(options.dataDir);
}

/** The directory the file transport writes to. */
export function mailDir(dataDir: string): string {
  return path.join(dataDir, 'mail');
}
