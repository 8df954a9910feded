/**
 * Reading PDFs in tests with PDF.js (through `unpdf`, a devDependency), so no system package
 * (poppler-utils) is needed: the same decryption a reader does, in this process.
 */
import { getDocumentProxy, getResolvedPDFJS } from 'unpdf';

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/** Opens `pdf` with `password`; a wrong or missing password rejects with "Incorrect password". */
async function open(pdf: Buffer, password: string): Promise<PdfDocument> {
  const { PasswordException } = await getResolvedPDFJS();
  try {
    // A copy: PDF.js transfers (detaches) the buffer it is given.
    return await getDocumentProxy(new Uint8Array(pdf), { password, verbosity: 0 });
  } catch (error) {
    if (error instanceof PasswordException) throw new Error(`Incorrect password (${error.message})`, { cause: error });
    throw error;
  }
}

/**
 * One page's text, a line per baseline; pieces of a line are joined by a space where the gap
 * between them is wider than a third of the font size (letter-spaced text stays one word).
 */
async function pageText(document: PdfDocument, number: number): Promise<string> {
  const page = await document.getPage(number);
  const content = await page.getTextContent();
  const items = content.items.flatMap((item) => ('str' in item && item.str ? [{ text: item.str, x: item.transform[4] as number, y: item.transform[5] as number, width: item.width, size: item.height }] : []));
  items.sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Array<{ y: number; parts: typeof items }> = [];
  for (const item of items) {
    const line = lines.at(-1);
    if (line && Math.abs(line.y - item.y) < 2) line.parts.push(item);
    else lines.push({ y: item.y, parts: [item] });
  }
  return lines
    .map(({ parts }) => {
      parts.sort((a, b) => a.x - b.x);
      return parts.reduce((text, part, i) => {
        const previous = parts[i - 1];
        const gap = previous ? part.x - (previous.x + previous.width) : 0;
        if (!part.text.trim()) return text.endsWith(' ') ? text : `${text} `;
        return text + (previous && gap > part.size / 3 && !text.endsWith(' ') && !part.text.startsWith(' ') ? ' ' : '') + part.text;
      }, '').trim();
    })
    .filter(Boolean)
    .map(joinLetterSpaced)
    .join('\n');
}

/**
 * PDF.js reads letter-spaced text (the withdrawal code is set with 4 pt character spacing) as
 * letters between spaces, "x q v A u x 7 s"; four or more single letters in a row are one word,
 * as a reader (and poppler) sees it.
 */
function joinLetterSpaced(line: string): string {
  return line.replace(/(?<!\S)\S(?: \S){3,}(?!\S)/gu, (run) => run.replaceAll(' ', ''));
}

/** The text of an encrypted PDF opened with `password`; rejects when the password is wrong. */
export async function readPdfText(pdf: Buffer, password: string): Promise<string> {
  const document = await open(pdf, password);
  try {
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number += 1) pages.push(await pageText(document, number));
    return `${pages.join('\n\f')}\n`;
  } finally {
    await document.loadingTask.destroy();
  }
}

/** The /Encrypt dictionary, read from the file itself (it is never encrypted): "V5 R5 AESV3 256-bit". */
function rawEncryption(pdf: Buffer): { v: string; r: string; cfm: string; bits: string | undefined } | null {
  const text = pdf.toString('latin1');
  const ref = /\/Encrypt\s+(\d+)\s+(\d+)\s+R/.exec(text);
  if (!ref) return null;
  const object = new RegExp(`(?:^|\\s)${ref[1]}\\s+${ref[2]}\\s+obj([\\s\\S]*?)endobj`).exec(text)?.[1] ?? '';
  return {
    v: /\/V\s+(\d+)/.exec(object)?.[1] ?? '?',
    r: /\/R\s+(\d+)/.exec(object)?.[1] ?? '?',
    cfm: /\/CFM\s+\/(\w+)/.exec(object)?.[1] ?? 'none',
    bits: /\/Length\s+(\d+)/.exec(object)?.[1],
  };
}

/** The cipher the /Encrypt dictionary names, in poppler's words. */
function algorithm(raw: NonNullable<ReturnType<typeof rawEncryption>>): string {
  if (raw.cfm === 'AESV3') return 'AES-256';
  if (raw.cfm === 'AESV2') return 'AES';
  return 'RC4';
}

/**
 * How the PDF is encrypted. With the password, in the words of poppler's pdfinfo, e.g.
 * "yes (print:yes copy:no change:no addNotes:no algorithm:AES-256)": the document is opened
 * (so the password must be right) and its permissions read by PDF.js. Without, from the
 * /Encrypt dictionary: "yes (V5 R5 AESV3 256-bit)". "no" when the document is not encrypted.
 */
export async function pdfEncryption(pdf: Buffer, password?: string): Promise<string> {
  const raw = rawEncryption(pdf);
  if (password === undefined) return raw ? `yes (V${raw.v} R${raw.r} ${raw.cfm}${raw.bits ? ` ${raw.bits}-bit` : ''})` : 'no';
  const document = await open(pdf, password);
  try {
    if (!raw) return 'no';
    const { PermissionFlag } = await getResolvedPDFJS();
    // null: the document sets no restriction.
    const granted = await document.getPermissions();
    const may = (flag: number) => (granted === null || granted.includes(flag) ? 'yes' : 'no');
    return `yes (print:${may(PermissionFlag.PRINT)} copy:${may(PermissionFlag.COPY)} change:${may(PermissionFlag.MODIFY_CONTENTS)} addNotes:${may(PermissionFlag.MODIFY_ANNOTATIONS)} algorithm:${algorithm(raw)})`;
  } finally {
    await document.loadingTask.destroy();
  }
}
