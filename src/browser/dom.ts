/**
 * The contract between the server-rendered withdrawal/renewal pages and the browser script:
 * element ids, data attributes and the keys of the messages the page hands to the script.
 * Imported by both sides, so a renamed id breaks the type check, not the page.
 */
export const IDS = {
  root: 'enrollment',
  messages: 'enrollment-messages',
  progress: 'enrollment-progress',
  noscript: 'enrollment-noscript',
  stepStart: 'step-start',
  stepCheck: 'step-check',
  stepCode: 'step-code',
  stepPassword: 'step-password',
  stepInstall: 'step-install',
  startButton: 'start-button',
  /** Wrappers carry `hidden` (a .button sets its own display, which would override it). */
  startAction: 'start-action',
  continueAction: 'continue-action',
  checks: 'checks',
  checkResult: 'check-result',
  continueButton: 'continue-button',
  codeForm: 'code-form',
  identifier: 'withdrawal-identifier',
  code: 'withdrawal-code',
  codeError: 'code-error',
  checkError: 'check-error',
  passwordForm: 'password-form',
  password: 'p12-password',
  passwordConfirm: 'p12-password-confirm',
  passwordError: 'password-error',
  downloadAgain: 'download-again',
  /** A withdrawal interrupted in this browser (closed tab, crash), offered for resumption. */
  resume: 'resume',
  resumeText: 'resume-text',
  resumeButton: 'resume-button',
  resumeDiscard: 'resume-discard',
} as const;

export type Mode = 'withdrawal' | 'renewal';

/** data-* attributes of the root element (dataset names). */
export interface RootData {
  mode: Mode;
  /** config.withdrawal.keyAlgorithm */
  keyAlgorithm: KeyAlgorithmName;
  /** Where the CSR goes: POST /api/withdrawal or POST /.passerelle/renouveler. */
  submitUrl: string;
  /** Withdrawal: POST {identifier, code} here first — checked, nothing spent — before the file password. */
  checkUrl?: string;
  /** Withdrawal: config.withdrawal.retryWindowMinutes, how long an interrupted withdrawal can resume. */
  retryWindowMinutes?: string;
  /** Renewal: the session's CSRF token, sent as the X-CSRF-Token header. */
  csrf?: string;
  /** Renewal: the identifier, known from the certificate (names the file). */
  identifier?: string;
  /** Minimum length of the .p12 password. */
  passwordMin: string;
}

export type KeyAlgorithmName = 'rsa-2048' | 'ec-p256';

/** Compatibility checks shown on step 2 (data-check on each list item). */
export const CHECKS = ['secure', 'webcrypto', 'download'] as const;
export type CheckName = (typeof CHECKS)[number];

/** Stable error codes the API answers with, which the page has a sentence for. */
export const API_ERRORS = [
  'invalid_code',
  'code_expired',
  'code_used',
  'code_locked',
  'invalid_csr',
  'invalid_request',
  'rate_limited',
  'account_deactivated',
  'account_locked',
  'renewal_collective',
  'renewal_unknown',
  'authentication_required',
  'session_expired',
  'invalid_csrf_token',
  'network',
  'internal_error',
] as const;
export type ApiError = (typeof API_ERRORS)[number];

/** Messages the script shows (data-key of each entry in #enrollment-messages). */
export const SCRIPT_MESSAGES = [
  'progress.generating',
  'progress.sending',
  'progress.received',
  'progress.building',
  'progress.downloaded',
  'check.secure.ok',
  'check.secure.fail',
  'check.webcrypto.ok',
  'check.webcrypto.fail',
  'check.download.ok',
  'check.download.fail',
  'check.ok',
  'check.fail',
  'password.tooShort',
  'password.mismatch',
  'field.required',
  'resume.text',
  'resume.code',
  ...API_ERRORS.map((code) => `error.${code}` as const),
] as const;
export type ScriptMessage = (typeof SCRIPT_MESSAGES)[number];
