export * from './components.tsx';
export { EstablishmentsPage, EstablishmentFormPage, EstablishmentPage, DeleteEstablishmentPage } from './establishments.tsx';
export { CertificatesPage, CertificatePage, RevokeCertificatePage } from './certificates.tsx';
export { ApplicationsPage, ApplicationPage } from './applications.tsx';
export { AuditPage } from './audit.tsx';
export { OutboxPage } from './outbox.tsx';
export { TokensPage, RevokeTokenPage } from './tokens.tsx';
