/** Mail: templates, the transactional outbox, transports, the sending worker and the withdrawal PDF. */
export { renderMail, isMailTemplateName, WITHDRAWAL_PDF_FILENAME, SUBJECT_PREFIX } from './templates.ts';
export type { MailTemplates, MailTemplateName, MailLang, RenderedMail, MailAttachment } from './types.ts';
export { enqueueMail, isMailAddress, type MailToQueue } from './outbox.ts';
export { renderWithdrawalPdf, type WithdrawalPdfInput } from './pdf.ts';
export { createTransport, mailDir, type MailTransport, type OutgoingMail } from './transport.ts';
export { MailWorker, startMailWorker, defaultBackoffMs, describeMailError, DEFAULT_LEASE_MS, type MailWorkerDeps, type MailRunResult } from './worker.ts';
