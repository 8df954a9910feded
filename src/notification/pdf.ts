/**
 * The withdrawal document (DESIGN journey 5): a PDF encrypted with AES-256 (PDF 1.7
 * extension level 3) holding the withdrawal link, identifier and one-time code. Its password
 * travels in a separate mail. A random owner password nobody knows leaves printing as the
 * only permission.
 */
import { randomBytes } from 'node:crypto';
import { formatDateTime, frenchTypography } from './format.ts';
import type { MailLang } from './types.ts';

export interface WithdrawalPdfInput {
  lang: MailLang;
  platformName: string;
  holderName: string;
  label: string;
  withdrawalUrl: string;
  withdrawalIdentifier: string;
  code: string;
  expiresAt: number;
  password: string;
  /** A shared workstation's certificate: addressed to the establishment's referent, names no person. */
  collective?: boolean;
}

interface PdfWording {
  title: string;
  /** The collective variant of the texts that differ (the rest is shared). */
  collective: Pick<PdfWording, 'title' | 'warning' | 'holder' | 'intro' | 'notPassword'>;
  warning: string;
  holder: string;
  workstation: string;
  intro: string;
  steps: (url: string) => string[];
  identifier: string;
  code: string;
  expiry: (date: string) => string;
  notPassword: string;
}

const WORDING: Record<MailLang, PdfWording> = {
  fr: {
    title: 'Retrait de votre certificat',
    collective: {
      title: 'Retrait du certificat collectif d’un poste partagé',
      warning: 'Attention : ce document confidentiel est destiné au référent de l’établissement mentionné ci-dessous. Ne le transmettez qu’à la personne chargée d’installer le certificat sur le poste partagé.',
      holder: 'Établissement',
      intro:
        "La demande de certificat collectif pour ce poste partagé a été validée. Ce certificat identifie le poste et l'établissement, jamais une personne : chaque professionnel qui utilise ce poste se connecte ensuite aux applications avec son propre identifiant et son propre mot de passe. Le retrait se fait sur le poste partagé lui-même, avec le navigateur qui sera utilisé (Firefox, Chrome, Edge, Safari…). Il prend moins de deux minutes.",
      notPassword:
        "L'identifiant de retrait (poste-…) et le code de retrait ne servent qu'à retirer le certificat : ce ne sont ni un identifiant ni un mot de passe de connexion.",
    },
    warning: 'Attention : ce document confidentiel ne doit en aucun cas être transmis à une autre personne que celle mentionnée ci-dessous.',
    holder: 'Titulaire',
    workstation: 'Poste de travail',
    intro:
      "Votre demande de certificat a été validée. Ce certificat vous permet d'accéder aux applications de la plateforme depuis ce poste de travail. Le retrait doit se faire à partir du poste sur lequel le certificat doit être installé, avec le navigateur que vous allez utiliser (Firefox, Chrome, Edge, Safari…). Il prend moins de deux minutes.",
    steps: (url) => [
      `Sur ce poste, ouvrez l'adresse suivante : ${url}`,
      'Cliquez sur « J\'ai reçu un code de retrait ».',
      'Après la vérification de la compatibilité de votre navigateur, continuez.',
      "Saisissez l'identifiant de retrait et le code de retrait ci-dessous.",
      'Choisissez un mot de passe pour le fichier du certificat, téléchargez-le et installez-le en suivant les instructions affichées.',
      "Si le retrait est interrompu (onglet fermé, panne), rouvrez la même adresse dans le même navigateur : il reprend là où il s'était arrêté, sans nouveau code.",
    ],
    identifier: 'Identifiant de retrait',
    code: 'Code de retrait',
    expiry: (date) => `Ce code ne sert qu'une seule fois et expire le ${date}. Il est bloqué après plusieurs essais erronés : la cellule de coordination peut alors vous en remettre un nouveau.`,
    notPassword:
      "Le code de retrait n'est pas votre mot de passe de connexion. Votre identifiant de connexion est la partie de l'identifiant de retrait placée avant « @ ».",
  },
  en: {
    title: 'Collecting your certificate',
    collective: {
      title: 'Collecting the collective certificate of a shared workstation',
      warning: 'Warning: this confidential document is meant for the referent of the establishment named below. Pass it on only to the person who installs the certificate on the shared workstation.',
      holder: 'Establishment',
      intro:
        'The collective certificate request for this shared workstation has been approved. The certificate identifies the workstation and the establishment, never a person: each professional using this workstation then signs in to the applications with their own identifier and password. Collect it on the shared workstation itself, in the browser that will be used (Firefox, Chrome, Edge, Safari…). It takes less than two minutes.',
      notPassword: 'The withdrawal identifier (poste-…) and the withdrawal code only serve to collect the certificate: they are neither a sign-in identifier nor a password.',
    },
    warning: 'Warning: this confidential document must not be passed on to anyone other than the person named below.',
    holder: 'Holder',
    workstation: 'Workstation',
    intro:
      'Your certificate request has been approved. The certificate gives you access to the platform’s applications from this workstation. Collect it from the workstation where it must be installed, in the browser you will use (Firefox, Chrome, Edge, Safari…). It takes less than two minutes.',
    steps: (url) => [
      `On that workstation, open the following address: ${url}`,
      'Click "I was given a withdrawal code".',
      'Once your browser has been checked for compatibility, continue.',
      'Type the withdrawal identifier and the withdrawal code below.',
      'Choose a password for the certificate file, download it and install it by following the instructions shown.',
      'If the pickup is interrupted (tab closed, crash), reopen the same address in the same browser: it resumes where it stopped, without a new code.',
    ],
    identifier: 'Withdrawal identifier',
    code: 'Withdrawal code',
    expiry: (date) => `This code works once and expires on ${date}. It is locked after several wrong attempts: the coordination team can then give you a new one.`,
    notPassword: 'The withdrawal code is not your sign-in password. Your sign-in identifier is the part of the withdrawal identifier before "@".',
  },
};

const INK = '#1e1e1e';
const MUTED = '#555555';
const ACCENT = '#b34700';

/** Renders the encrypted document. pdfkit's standard fonts cover French (WinAnsi). */
export async function renderWithdrawalPdf(input: WithdrawalPdfInput): Promise<Buffer> {
  const base = WORDING[input.lang];
  const w = input.collective ? { ...base, ...base.collective } : base;
  const typo = input.lang === 'fr' ? frenchTypography : (s: string) => s;
  // Loaded on first use: pdfkit and its fonts weigh ~10 MB a serving process that never renders a document should not carry.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    pdfVersion: '1.7ext3',
    userPassword: input.password,
    ownerPassword: randomBytes(32).toString('base64url'),
    permissions: { printing: 'highResolution' },
    size: 'A4',
    margin: 56,
    lang: input.lang,
    info: { Title: w.title, Author: input.platformName },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;

  doc.font('Helvetica').fontSize(10).fillColor(MUTED).text(input.platformName);
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(22).fillColor(INK).text(w.title);
  doc.moveDown(0.6);

  // The confidentiality warning, in a bordered box.
  const warningTop = doc.y;
  doc.font('Helvetica-Bold').fontSize(10.5).fillColor(ACCENT).text(typo(w.warning), left + 10, warningTop + 8, { width: width - 20 });
  const warningBottom = doc.y + 8;
  doc.lineWidth(1.2).strokeColor(ACCENT).rect(left, warningTop, width, warningBottom - warningTop).stroke();
  doc.x = left;
  doc.y = warningBottom + 14;

  doc.font('Helvetica').fontSize(11).fillColor(INK);
  doc.text(typo(`${w.holder} : `), { continued: true }).font('Helvetica-Bold').text(input.holderName);
  doc.font('Helvetica').text(typo(`${w.workstation} : `), { continued: true }).font('Helvetica-Bold').text(input.label);
  doc.moveDown(0.8).font('Helvetica').fontSize(11).text(typo(w.intro), { align: 'left', lineGap: 2 });
  doc.moveDown(0.6);

  w.steps(input.withdrawalUrl).forEach((step, i) => {
    const text = typo(step);
    doc.font('Helvetica-Bold').text(`${i + 1}. `, left, doc.y, { continued: true, lineGap: 2 });
    if (i === 0) {
      const at = text.lastIndexOf(input.withdrawalUrl);
      doc.font('Helvetica').text(text.slice(0, at), { continued: true });
      doc.fillColor('#0b4f9c').text(input.withdrawalUrl, { link: input.withdrawalUrl, underline: true }).fillColor(INK);
    } else {
      doc.font('Helvetica').text(text);
    }
    doc.moveDown(0.3);
  });
  doc.moveDown(0.6);

  // Identifier and code: large monospace, to be typed from paper.
  const boxTop = doc.y;
  doc.x = left + 14;
  doc.y = boxTop + 12;
  doc.font('Helvetica').fontSize(10).fillColor(MUTED).text(w.identifier);
  doc.font('Courier-Bold').fontSize(16).fillColor(INK).text(input.withdrawalIdentifier, { width: width - 28 });
  doc.moveDown(0.6).font('Helvetica').fontSize(10).fillColor(MUTED).text(w.code);
  doc.font('Courier-Bold').fontSize(30).fillColor(INK).text(input.code, { characterSpacing: 4 });
  const boxBottom = doc.y + 10;
  doc.lineWidth(1).strokeColor('#8a99ad').fillColor(INK).rect(left, boxTop, width, boxBottom - boxTop).stroke();
  doc.x = left;
  doc.y = boxBottom + 14;

  doc.font('Helvetica').fontSize(11).fillColor(INK).text(typo(w.expiry(formatDateTime(input.expiresAt, input.lang))), { lineGap: 2 });
  doc.moveDown(0.6).fontSize(10).fillColor(MUTED).text(typo(w.notPassword), { lineGap: 2 });

  doc.end();
  return done;
}
