/** Decisions of the coordination cell: registrations, certificate requests, application access. */
export type { ApprovalDeps, Actor } from './deps.ts';
export type { Duplicate, DuplicateField } from './duplicates.ts';
export { listRegistrations, getRegistration, approveRegistration, rejectRegistration, type RegistrationView, type ApprovedRegistration } from './registrations.ts';
export {
  listCertificateRequests,
  getCertificateRequest,
  approveCertificateRequest,
  reissueWithdrawalCode,
  rejectCertificateRequest,
  createCollectiveRequest,
  type CertificateRequestView,
  type ApprovedCertificateRequest,
  type CreatedCollectiveRequest,
} from './certificate-requests.ts';
export { listAccessRequests, getAccessRequest, approveAccessRequest, rejectAccessRequest, applicationUrl, type AccessRequestView } from './access-requests.ts';
