import { t } from '../../i18n/index.ts';
import { Layout, type PageProps } from '../layout.tsx';
import { IDS, type KeyAlgorithmName } from '../../../browser/dom.ts';
import { CompatibilityStep, ErrorBox, InstallStep, NoScript, P12_PASSWORD_MIN, PasswordStep, Progress, rootData, ScriptMessages, Step } from './parts.tsx';

export const WITHDRAWAL_SCRIPT = 'withdrawal.bundle.js';

export interface WithdrawalPageProps extends PageProps {
  keyAlgorithm: KeyAlgorithmName;
  platformDomain: string;
  /** POST target of the CSR. */
  apiUrl: string;
  /** POST target of the identifier + code check (nothing spent). */
  checkUrl: string;
  /** config.withdrawal.retryWindowMinutes: how long an interrupted withdrawal can resume. */
  retryWindowMinutes: number;
  /** Our root certificate's URL when browsers must trust it (a listener serves our own server certificate); null: nothing to trust. */
  rootCertificateUrl?: string | null;
}

/**
 * /retrait (journey 6): every step is in the page, the script shows them one at a time, creates the key
 * pair and the CSR in the browser, sends it and builds the password-protected .p12. No inline script.
 */
export function WithdrawalPage(props: WithdrawalPageProps) {
  const { lang, platformDomain } = props;
  const assetBase = (props.assetBase ?? '/assets').replace(/\/+$/, '');
  return (
    <Layout lang={lang} assetBase={assetBase} title={t(lang, 'withdrawal.title')} page="withdrawal">
      <div id={IDS.root} {...rootData({
          mode: 'withdrawal',
          keyAlgorithm: props.keyAlgorithm,
          submitUrl: props.apiUrl,
          checkUrl: props.checkUrl,
          retryWindowMinutes: String(props.retryWindowMinutes),
          passwordMin: String(P12_PASSWORD_MIN),
        })}
      >
        <NoScript lang={lang} />
        <Step id={IDS.stepStart} title={t(lang, 'withdrawal.start.heading')} hidden={false}>
          <p class="lead">{t(lang, 'withdrawal.start.lead')}</p>
          <p>{t(lang, 'withdrawal.start.workstation')}</p>
          <p>{t(lang, 'withdrawal.start.privateKey')}</p>
          <p>{t(lang, 'withdrawal.start.resumable', { minutes: props.retryWindowMinutes })}</p>
          <div id={IDS.resume} class="alert" role="status" hidden>
            <p id={IDS.resumeText}></p>
            <p class="actions">
              <button id={IDS.resumeButton} class="button" type="button">
                {t(lang, 'withdrawal.resume.button')}
              </button>{' '}
              <button id={IDS.resumeDiscard} class="button button-secondary" type="button">
                {t(lang, 'withdrawal.resume.discard')}
              </button>
            </p>
          </div>
          <p id={IDS.startAction} hidden>
            <button id={IDS.startButton} class="button" type="button">
              {t(lang, 'withdrawal.start.button')}
            </button>
          </p>
        </Step>
        <CompatibilityStep lang={lang} />
        <Step id={IDS.stepCode} title={t(lang, 'withdrawal.code.heading')}>
          <p>{t(lang, 'withdrawal.code.lead')}</p>
          <ErrorBox id={IDS.codeError} />
          <form id={IDS.codeForm} class="form" novalidate>
            <div class="field">
              <label for={IDS.identifier}>{t(lang, 'withdrawal.code.identifier')}</label>
              <p class="field-hint" id={`${IDS.identifier}-hint`}>
                {t(lang, 'withdrawal.code.identifierHint', { domain: platformDomain })}
              </p>
              <input id={IDS.identifier} name="identifier" type="text" autocomplete="off" autocapitalize="none" spellcheck={false} required aria-describedby={`${IDS.identifier}-hint`} />
            </div>
            <div class="field">
              <label for={IDS.code}>{t(lang, 'withdrawal.code.code')}</label>
              <p class="field-hint" id={`${IDS.code}-hint`}>
                {t(lang, 'withdrawal.code.codeHint')}
              </p>
              <input id={IDS.code} name="code" type="text" autocomplete="one-time-code" autocapitalize="none" spellcheck={false} required maxLength={32} aria-describedby={`${IDS.code}-hint`} />
            </div>
            <button class="button" type="submit">
              {t(lang, 'withdrawal.code.submit')}
            </button>
          </form>
        </Step>
        <PasswordStep lang={lang} />
        <InstallStep lang={lang} rootUrl={props.rootCertificateUrl} />
        <Progress />
        <ScriptMessages lang={lang} />
      </div>
      <script src={`${assetBase}/${WITHDRAWAL_SCRIPT}`} defer></script>
    </Layout>
  );
}
