/**
 * Reading PDFs in tests with poppler-utils (Debian `poppler-utils`: pdftotext, pdfinfo) and
 * qpdf when present. The PDF goes through a temporary file: poppler wants a path.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function withFile<T>(pdf: Buffer, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'passerelle-pdf-'));
  const file = path.join(dir, 'document.pdf');
  try {
    await writeFile(file, pdf, { mode: 0o600 });
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text of an encrypted PDF opened with `password`; rejects when the password is wrong. */
export function readPdfText(pdf: Buffer, password: string): Promise<string> {
  return withFile(pdf, async (file) => (await run('pdftotext', ['-layout', '-enc', 'UTF-8', '-upw', password, file, '-'])).stdout);
}

/** The /Encrypt dictionary, read from the file itself (it is never encrypted): "V5 R5 AESV3 256-bit". */
function rawEncryption(pdf: Buffer): string | null {
  const text = pdf.toString('latin1');
  const ref = /\/Encrypt\s+(\d+)\s+(\d+)\s+R/.exec(text);
  if (!ref) return null;
  const object = new RegExp(`(?:^|\\s)${ref[1]}\\s+${ref[2]}\\s+obj([\\s\\S]*?)endobj`).exec(text)?.[1] ?? '';
  const v = /\/V\s+(\d+)/.exec(object)?.[1];
  const r = /\/R\s+(\d+)/.exec(object)?.[1];
  const cfm = /\/CFM\s+\/(\w+)/.exec(object)?.[1] ?? 'none';
  const bits = /\/Length\s+(\d+)/.exec(object)?.[1];
  return `V${v} R${r} ${cfm}${bits ? ` ${bits}-bit` : ''}`;
}

/**
 * How the PDF is encrypted. With the password, as poppler's pdfinfo says it, e.g.
 * "yes (print:yes copy:no change:no addNotes:no algorithm:AES-256)". Without (pdfinfo cannot
 * open the file then), from the /Encrypt dictionary: "yes (V5 R5 AESV3 256-bit)". "no" when
 * the document is not encrypted.
 */
export function pdfEncryption(pdf: Buffer, password?: string): Promise<string> {
  if (password === undefined) {
    const raw = rawEncryption(pdf);
    return Promise.resolve(raw ? `yes (${raw})` : 'no');
  }
  return withFile(pdf, async (file) => {
    const { stdout } = await run('pdfinfo', ['-upw', password, file]);
    const line = /^Encrypted:\s*(.+)$/m.exec(stdout)?.[1];
    if (!line) throw new Error(`pdfinfo said nothing about encryption:\n${stdout}`);
    return line.trim();
  });
}
