import { issueWithdrawalCode, withdrawalIdentifier } from '../enrollment/withdrawal-codes.ts';
import { enqueueMail } from '../notification/outbox.ts';
import { renderWithdrawalPdf } from '../notification/pdf.ts';
import { READABLE_ALPHABET } from '../shared/random.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { Repositories } from '../storage/index.ts';
import type { CertificateRequest, Establishment, User } from '../model/index.ts';
import { mailDeps, type ApprovalDeps } from './deps.ts';

const PDF_PASSWORD_LENGTH = 16;
const PASSWORD_MAIL_DELAY_MS = 2_000;

/** Who a certificate request is for, and where its mails go. */
export interface Holder {
  user: User | null;
  establishment: Establishment | null;
  /** The person, or the establishment for a collective certificate. */
  name: string;
  /** The person; for a collective certificate, the establishment's referent. */
  email: string;
  lang: 'fr' | 'en';
  /** What audit rows name: the identifier, or `establishment:<id>`. */
  subject: string;
}

export async function holderOf(repos: Pick<Repositories, 'users' | 'establishments'>, request: CertificateRequest): Promise<Holder> {
  if (request.kind === 'personal') {
    const user = request.userId ? await repos.users.findById(request.userId) : undefined;
    if (!user) throw new NotFoundError('user_not_found', `the account of certificate request ${request.id} no longer exists`);
    return { user, establishment: null, name: `${user.givenName} ${user.familyName}`, email: user.email, lang: user.lang, subject: user.identifier };
  }
  const establishment = request.establishmentId ? await repos.establishments.findById(request.establishmentId) : undefined;
  if (!establishment) throw new NotFoundError('establishment_not_found', `the establishment of certificate request ${request.id} no longer exists`);
  // Establishments carry no language: the referent gets French, the platform's language.
  return { user: null, establishment, name: establishment.name, email: establishment.referentEmail, lang: 'fr', subject: `establishment:${establishment.id}` };
}

export interface WithdrawalDocuments {
  withdrawalIdentifier: string;
  expiresAt: number;
  mailedTo: string;
}

/**
 * A new withdrawal code (earlier ones superseded) and the two mails that carry it, inside the
 * caller's transaction: the first holds the password-protected PDF with the link, the
 * withdrawal identifier and the code; the second holds the PDF's password. The code exists
 * in clear only inside the encrypted PDF.
 */
export async function queueWithdrawalDocuments(repos: Repositories, deps: ApprovalDeps, request: CertificateRequest, holder: Holder): Promise<WithdrawalDocuments> {
  const { config } = deps;
  const { code, expiresAt } = await issueWithdrawalCode(repos, { clock: deps.clock, random: deps.random, validityMs: config.withdrawal.codeValidityDays * 86_400_000 }, request.id);
  const identifier = withdrawalIdentifier(request, holder.user ? { identifier: holder.user.identifier } : null, config.platformDomain);
  const pdfPassword = deps.random.string(PDF_PASSWORD_LENGTH, READABLE_ALPHABET);
  const withdrawalUrl = new URL('/retrait', config.publicUrl).toString();
  const pdf = await renderWithdrawalPdf({
    lang: holder.lang,
    // The configured platform name (branding), then the certificate issuer when it says something more.
    platformName: config.branding.platformName === config.pki.organization ? config.pki.organization : `${config.branding.platformName} — ${config.pki.organization}`,
    holderName: holder.name,
    label: request.label,
    withdrawalUrl,
    withdrawalIdentifier: identifier,
    code,
    expiresAt,
    password: pdfPassword,
    collective: request.kind === 'collective',
  });
  const collective = request.kind === 'collective';
  await enqueueMail(repos, mailDeps(deps), {
    to: holder.email,
    template: 'withdrawal.document',
    lang: holder.lang,
    data: { holderName: holder.name, label: request.label, pdfBase64: pdf.toString('base64'), withdrawalUrl, expiresAt, collective },
  });
  await enqueueMail(repos, mailDeps(deps), {
    to: holder.email,
    template: 'withdrawal.password',
    lang: holder.lang,
    data: { holderName: holder.name, label: request.label, pdfPassword },
    // Never in the same batch as the document: the password follows it.
    delayMs: PASSWORD_MAIL_DELAY_MS,
  });
  return { withdrawalIdentifier: identifier, expiresAt, mailedTo: holder.email };
}
