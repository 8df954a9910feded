import { t } from '../../i18n/index.ts';
import { Layout, type PageProps } from '../layout.tsx';
import { IDS, type KeyAlgorithmName } from '../../../browser/dom.ts';
import { CompatibilityStep, InstallStep, NoScript, P12_PASSWORD_MIN, PasswordStep, Progress, rootData, ScriptMessages, Step } from './parts.tsx';
import { WITHDRAWAL_SCRIPT } from './withdrawal-page.tsx';
import { formatDate } from '../../../shared/time.ts';

export interface RenewalPageProps extends PageProps {
  keyAlgorithm: KeyAlgorithmName;
  csrfToken: string;
  submitUrl: string;
  identifier: string;
  current: { label: string; serial: string; notAfter: number };
  /** Whole days until the current certificate expires. */
  daysLeft: number;
  /** config.renewal.noticeDays: when the reminder mail goes out. */
  noticeDays: number;
}

/**
 * /.passerelle/renouveler (journey 12) on an application host: the same script as /retrait, in renewal
 * mode — no code (the certificate presented is the proof): file password, then key, CSR and .p12. The
 * current certificate stays valid until the new one is first used on the gateway (or until it expires).
 */
export function RenewalPage(props: RenewalPageProps) {
  const { lang, current } = props;
  const assetBase = (props.assetBase ?? '/.passerelle/assets').replace(/\/+$/, '');
  const due = props.daysLeft <= props.noticeDays;
  return (
    <Layout lang={lang} assetBase={assetBase} title={t(lang, 'withdrawal.renewal.title')} page="renewal">
      <div
        id={IDS.root}
        {...rootData({
          mode: 'renewal',
          keyAlgorithm: props.keyAlgorithm,
          submitUrl: props.submitUrl,
          csrf: props.csrfToken,
          identifier: props.identifier,
          passwordMin: String(P12_PASSWORD_MIN),
        })}
      >
        <NoScript lang={lang} />
        <Step id={IDS.stepStart} title={t(lang, 'withdrawal.renewal.current')} hidden={false}>
          <p class="lead">{t(lang, 'withdrawal.renewal.lead')}</p>
          <dl class="details">
            <div>
              <dt>{t(lang, 'withdrawal.renewal.identifier')}</dt>
              <dd class="identifier">{props.identifier}</dd>
            </div>
            <div>
              <dt>{t(lang, 'withdrawal.renewal.label')}</dt>
              <dd>{current.label}</dd>
            </div>
            <div>
              <dt>{t(lang, 'withdrawal.renewal.serial')}</dt>
              <dd class="reference">{current.serial}</dd>
            </div>
            <div>
              <dt>{t(lang, 'withdrawal.renewal.notAfter')}</dt>
              <dd>{formatDate(lang, current.notAfter, false)}</dd>
            </div>
          </dl>
          <p>
            {due
              ? t(lang, 'withdrawal.renewal.dueSoon', { days: props.daysLeft })
              : t(lang, 'withdrawal.renewal.early', { days: props.daysLeft, notice: props.noticeDays })}
          </p>
          <p>{t(lang, 'withdrawal.renewal.how')}</p>
          <p id={IDS.startAction} hidden>
            <button id={IDS.startButton} class="button" type="button">
              {t(lang, 'withdrawal.renewal.button')}
            </button>
          </p>
        </Step>
        <CompatibilityStep lang={lang} />
        <PasswordStep lang={lang} />
        <InstallStep lang={lang}>
          <div id="renewal-old" class="alert" role="status">
            <p>{t(lang, 'withdrawal.renewal.done', { serial: current.serial, date: formatDate(lang, current.notAfter, false) })}</p>
            <p>{t(lang, 'withdrawal.renewal.removeOld')}</p>
            <ul>
              <li>{t(lang, 'withdrawal.renewal.removeOld.firefox')}</li>
              <li>{t(lang, 'withdrawal.renewal.removeOld.windows')}</li>
              <li>{t(lang, 'withdrawal.renewal.removeOld.mac')}</li>
              <li>{t(lang, 'withdrawal.renewal.removeOld.linux')}</li>
            </ul>
          </div>
        </InstallStep>
        <Progress />
        <ScriptMessages lang={lang} />
      </div>
      <script src={`${assetBase}/${WITHDRAWAL_SCRIPT}`} defer></script>
    </Layout>
  );
}

/** A shared workstation's certificate: explained, not renewed (the referent asks the cell). */
export function RenewalCollectivePage({ lang, assetBase }: PageProps) {
  return (
    <Layout lang={lang} assetBase={assetBase} title={t(lang, 'withdrawal.renewal.collective.title')} page="renewal" errorCode="renewal_collective">
      <p class="lead">{t(lang, 'withdrawal.renewal.collective.lead')}</p>
    </Layout>
  );
}
