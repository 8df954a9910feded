/** The coordination cell's registry: establishments, certificates, applications, audit trail, mail outbox, API tokens. */
export type { RegistryDeps, CoordinatorActor } from './deps.ts';
export type { Page } from './cursor.ts';
export {
  searchEstablishments,
  getEstablishment,
  createEstablishment,
  updateEstablishment,
  requestCollectiveCertificate,
  deleteEstablishment,
  isEstablishmentInUse,
  requireEstablishment,
  PEOPLE_SHOWN,
  SEARCH_LIMIT,
  type EstablishmentView,
  type EstablishmentListItem,
  type EstablishmentDetail,
  type EstablishmentInput,
} from './establishments.ts';
export {
  listCertificates,
  getCertificate,
  revokeCertificate,
  parseCertificateQuery,
  parseReason,
  normalizeSerial,
  OFFERED_REVOCATION_REASONS,
  type CertificateView,
  type CertificateQueryInput,
  type OfferedReason,
  type Revocation,
} from './certificates.ts';
export { listApplications, getApplication, parseHoldersQuery, type ApplicationView, type ApplicationDetail, type GrantHolderView, type PendingAccessView } from './applications.ts';
export { listAudit, exportAuditCsv, exportFileName, parseAuditFilter, parseAuditPage, CSV_COLUMNS, type AuditEventView, type AuditFilterInput, type AuditPageInput } from './audit.ts';
export { listOutbox, retryMessage, parseOutboxQuery, type OutboxMessageView } from './outbox.ts';
export { ownTokens, createOwnToken, findOwnToken, revokeOwnToken } from './tokens.ts';
export { csvCell, csvLine } from './csv.ts';
export { parseBound, parisMidnight, TIME_ZONE } from './time.ts';
