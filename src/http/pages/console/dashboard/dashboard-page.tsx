import { t, type MessageKey } from '../../../i18n/index.ts';
import type { DashboardCounts } from '../../../../model/console.ts';
import type { ApprovalView, SecondFactorState } from '../../../../console/index.ts';
import { ConsoleLayout, type ConsolePageProps } from '../layout.tsx';
import { ApprovalsTable } from './approvals.tsx';

/** Where each count leads: the list that holds those items. */
export const COUNT_LINKS: ReadonlyArray<{ key: Exclude<keyof DashboardCounts, 'expiringWithinDays'>; href: (c: DashboardCounts) => string }> = [
  { key: 'pendingRegistrations', href: () => '/inscriptions' },
  { key: 'pendingCertificateRequests', href: () => '/demandes-certificats' },
  { key: 'pendingAccessRequests', href: () => '/demandes-acces' },
  { key: 'lockedAccounts', href: () => '/personnes?status=locked' },
  { key: 'expiringCertificates', href: (c) => `/certificats?expiringWithinDays=${c.expiringWithinDays}` },
  { key: 'failedMails', href: () => '/courriels?status=failed' },
  { key: 'pendingSecondApprovals', href: () => '/double-validation' },
];

export interface DashboardPageProps extends Omit<ConsolePageProps, 'title' | 'page' | 'section' | 'children'> {
  counts: DashboardCounts;
  approvals: ApprovalView[];
  /** The signed-in coordinator's id: their own requests are marked. */
  userId: string;
  secondFactor: SecondFactorState;
  /** console.fourEyes.enabled: with the rule off (and nothing left waiting) the "Doubles validations" parts are not shown. */
  fourEyes?: boolean;
}

/** What waits for the cell, each count a link to its list; second approvals to give. */
export function DashboardPage(props: DashboardPageProps) {
  const { lang, counts } = props;
  const showApprovals = props.fourEyes !== false || props.approvals.length > 0 || counts.pendingSecondApprovals > 0;
  const links = showApprovals ? COUNT_LINKS : COUNT_LINKS.filter((l) => l.key !== 'pendingSecondApprovals');
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.dashboard.title')} page="console-dashboard" section="dashboard">
      <p class="lead">{t(lang, 'console.dashboard.lead')}</p>
      <section aria-labelledby="counts-title">
        <h2 id="counts-title">{t(lang, 'console.dashboard.countsTitle')}</h2>
        <ul class="console-counts">
          {links.map(({ key, href }) => (
            <li key={key} data-count={key} data-value={counts[key]} class={counts[key] > 0 ? 'console-count console-count-due' : 'console-count'}>
              <a href={href(counts)}>
                <span class="console-count-value">{counts[key]}</span>{' '}
                <span class="console-count-label">{t(lang, `console.dashboard.count.${key}` as MessageKey, { days: counts.expiringWithinDays })}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      {showApprovals && (
        <section aria-labelledby="approvals-title">
          <h2 id="approvals-title">{t(lang, 'console.dashboard.approvalsTitle')}</h2>
          {props.approvals.length === 0 ? <p>{t(lang, 'console.dashboard.approvalsNone')}</p> : <ApprovalsTable lang={lang} approvals={props.approvals} userId={props.userId} caption={t(lang, 'console.dashboard.approvalsTitle')} />}
          <p>
            <a href="/double-validation?status=all">{t(lang, 'console.dashboard.approvalsAll')}</a>
          </p>
        </section>
      )}
      <section aria-labelledby="security-title">
        <h2 id="security-title">{t(lang, 'console.dashboard.securityTitle')}</h2>
        <p data-second-factor={props.secondFactor}>{t(lang, props.secondFactor === 'enabled' ? 'console.dashboard.securityOn' : 'console.dashboard.securityOff')}</p>
        <p>
          <a href="/securite">{t(lang, 'console.dashboard.securityManage')}</a>
        </p>
      </section>
    </ConsoleLayout>
  );
}
