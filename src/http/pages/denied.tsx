import type { ComponentChild } from 'preact';
import { t, type Lang, type MessageKey } from '../i18n/index.ts';
import { Layout, type PageProps } from './layout.tsx';
import { safeUrl, SupportContact, tRich } from './rich.tsx';
import { applicationLabel } from './application-label.ts';
import { formatDate } from '../../shared/time.ts';

export const DENIAL_REASONS = [
  'no_certificate',
  'untrusted_certificate',
  'certificate_expired',
  'certificate_not_yet_valid',
  'certificate_revoked',
  'certificate_unknown',
  'account_locked',
  'account_deactivated',
  'account_provisional',
  'no_access',
  'unknown_application',
  'not_member_of_establishment',
  'not_coordinator',
  'method_not_allowed',
] as const;
/** Same union as src/authentication/denials.ts (the test checks both ways). */
export type DenialReason = (typeof DENIAL_REASONS)[number];

/** What to do next, in order. Each message may use {portal}, {support} and {application}. */
const STEPS: Record<DenialReason, readonly MessageKey[]> = {
  method_not_allowed: ['denied.method_not_allowed.step1'],
  no_certificate: ['denied.no_certificate.step1', 'denied.no_certificate.step2', 'denied.no_certificate.step3'],
  untrusted_certificate: [
    'denied.untrusted_certificate.step1',
    'denied.untrusted_certificate.step2',
    'denied.untrusted_certificate.step3',
  ],
  certificate_expired: [
    'denied.certificate_expired.step1',
    'denied.certificate_expired.step2',
    'denied.certificate_expired.step3',
  ],
  certificate_not_yet_valid: ['denied.certificate_not_yet_valid.step1', 'denied.certificate_not_yet_valid.step2'],
  certificate_revoked: [
    'denied.certificate_revoked.step1',
    'denied.certificate_revoked.step2',
    'denied.certificate_revoked.step3',
  ],
  certificate_unknown: ['denied.certificate_unknown.step1', 'denied.certificate_unknown.step2'],
  account_locked: ['denied.account_locked.step1', 'denied.account_locked.step2'],
  account_deactivated: ['denied.account_deactivated.step1'],
  account_provisional: [
    'denied.account_provisional.step1',
    'denied.account_provisional.step2',
    'denied.account_provisional.step3',
  ],
  no_access: ['denied.no_access.step1', 'denied.no_access.step2', 'denied.no_access.step3'],
  unknown_application: ['denied.unknown_application.step1', 'denied.unknown_application.step2'],
  not_member_of_establishment: [
    'denied.not_member_of_establishment.step1',
    'denied.not_member_of_establishment.step2',
  ],
  not_coordinator: ['denied.not_coordinator.step1', 'denied.not_coordinator.step2'],
};

export interface DenialDetails {
  identifier?: string | undefined;
  applicationName?: string | undefined;
  serial?: string | undefined;
  expiredOn?: string | undefined;
  /** Lockout threshold from configuration (`lockout.maxFailures`); 5 when absent. */
  maxFailures?: number | undefined;
  /** A CPS card that opens nothing (src/cps/types.ts CpsDenial). */
  cps?: { nationalId: string | null; problem: 'no_national_id' | 'unknown_holder' | 'ambiguous_holder' | 'crl_stale' | null } | undefined;
}

export interface DeniedPageProps extends PageProps {
  reason: DenialReason;
  status: number;
  supportContact: string;
  publicUrl: string;
  /** The public registration form (where a CPS card can prefill it). */
  registrationUrl?: string | undefined;
  details?: DenialDetails | undefined;
}

/** Serials read better in groups, as browsers show them: 3F:A2:… */
function groupSerial(serial: string): string {
  return (serial.toUpperCase().match(/.{1,2}/g) ?? [serial]).join(':');
}

/** "12 mars 2027" / "12 March 2027" (Paris time); anything unparseable shown as given. */
export function formatDay(lang: Lang, value: string): string {
  return formatDate(lang, value, false) || value;
}

function DetailList({ lang, details }: { lang: Lang; details: DenialDetails }) {
  const rows: [MessageKey, string | undefined][] = [
    ['denied.detail.identifier', details.identifier],
    ['denied.detail.application', details.applicationName],
    ['denied.detail.serial', details.serial ? groupSerial(details.serial) : undefined],
    ['denied.detail.nationalId', details.cps?.nationalId ?? undefined],
    ['denied.detail.expiredOn', details.expiredOn ? formatDay(lang, details.expiredOn) : undefined],
  ];
  const shown = rows.filter((row): row is [MessageKey, string] => Boolean(row[1]));
  if (shown.length === 0) return null;
  return (
    <section aria-labelledby="details-title">
      <h2 id="details-title">{t(lang, 'denied.details')}</h2>
      <dl class="details">
        {shown.map(([label, value]) => (
          <div key={label}>
            <dt>{t(lang, label)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** What a CPS card holder should know, when the card itself is the problem. */
function CpsHint({ lang, problem, slots }: { lang: Lang; problem: NonNullable<DenialDetails['cps']>['problem']; slots: Record<string, ComponentChild> }) {
  if (!problem) return null;
  return (
    <p class="alert" data-cps-hint={problem}>
      {tRich(lang, `denied.cps.${problem}`, slots)}
    </p>
  );
}

/** Why the gateway refused, and what the person can do about it (journeys 8 and 11). */
export function DeniedPage({ lang, assetBase, reason, status, supportContact, publicUrl, registrationUrl, details = {} }: DeniedPageProps) {
  const application = details.applicationName ? applicationLabel(lang, details.applicationName) : t(lang, 'denied.thisApplication');
  const slots: Record<string, ComponentChild> = {
    portal: <a href={safeUrl(publicUrl)}>{publicUrl}</a>,
    support: <SupportContact contact={supportContact} />,
    application,
    registration: <a href={safeUrl(registrationUrl ?? publicUrl)}>{registrationUrl ?? publicUrl}</a>,
  };
  return (
    <Layout lang={lang} assetBase={assetBase} title={t(lang, `denied.${reason}.title`)} page="denied" errorCode={reason}>
      <p class="lead">{t(lang, `denied.${reason}.lead`, { application, max: details.maxFailures ?? 5 })}</p>
      {details.cps && <CpsHint lang={lang} problem={details.cps.problem} slots={slots} />}
      <section aria-labelledby="next-title">
        <h2 id="next-title">{t(lang, 'denied.whatNext')}</h2>
        <ol class="steps">
          {STEPS[reason].map((key) => (
            <li key={key}>{tRich(lang, key, slots)}</li>
          ))}
        </ol>
      </section>
      <DetailList lang={lang} details={details} />
      <p class="help">{tRich(lang, 'denied.help', { support: slots.support })}</p>
      <p class="reference">{t(lang, 'denied.reference', { code: reason, status })}</p>
    </Layout>
  );
}
