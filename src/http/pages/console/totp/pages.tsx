import { t } from '../../../i18n/index.ts';
import { ConsoleLayout, type ConsolePageProps } from '../layout.tsx';
import { Csrf } from '../queues/parts.tsx';
import { QrCode } from './qr.tsx';

type Shell = Omit<ConsolePageProps, 'title' | 'page' | 'section' | 'children'>;

/** Why the last code was refused: wrong code or wrong password, with attempts left (a stale form gets the HTTP kit's page). */
export type CodeProblem = { kind: 'invalid'; remaining: number } | { kind: 'wrong_password'; remaining: number } | null;

function Problem({ lang, problem }: { lang: Shell['lang']; problem: CodeProblem | undefined }) {
  if (!problem) return null;
  return (
    <div class="alert alert-error" role="alert" id="code-error" data-error-code={problem.kind}>
      <p>{t(lang, problem.kind === 'invalid' ? 'console.totp.invalid' : 'console.totp.wrongPassword')}</p>
      <p>{t(lang, 'console.totp.remaining', { count: problem.remaining })}</p>
    </div>
  );
}

function CodeField({ lang, invalid, recovery = true }: { lang: Shell['lang']; invalid: boolean; recovery?: boolean }) {
  return (
    <div class="field">
      <label for="totp-code">{t(lang, 'console.totp.code')}</label>
      <p class="field-hint" id="totp-code-hint">
        {t(lang, recovery ? 'console.totp.codeHint' : 'console.totp.enrolCodeHint')}
      </p>
      <input
        id="totp-code"
        name="code"
        type="text"
        autocomplete="one-time-code"
        spellcheck={false}
        autoCapitalize="none"
        maxLength={20}
        required
        autoFocus={recovery}
        aria-describedby={invalid ? 'totp-code-hint code-error' : 'totp-code-hint'}
        aria-invalid={invalid ? 'true' : undefined}
      />
    </div>
  );
}

export interface ChallengePageProps extends Shell {
  next: string;
  problem?: CodeProblem;
}

/** After the gateway password: the TOTP code (or a recovery code) before anything else. */
export function ChallengePage(props: ChallengePageProps) {
  const { lang } = props;
  return (
    <ConsoleLayout {...props} minimal title={t(lang, 'console.totp.challengeTitle')} page="console-second-factor" section="security">
      <p class="lead">{t(lang, 'console.totp.challengeLead')}</p>
      <Problem lang={lang} problem={props.problem} />
      <form method="post" action="/second-facteur" class="form">
        <Csrf token={props.csrfToken} />
        <input type="hidden" name="next" value={props.next} />
        <CodeField lang={lang} invalid={Boolean(props.problem)} />
        <button class="button" type="submit">
          {t(lang, 'console.totp.verify')}
        </button>
      </form>
      <p class="muted">{t(lang, 'console.totp.lostPhone')}</p>
    </ConsoleLayout>
  );
}

export interface EnrolPageProps extends Shell {
  identifier: string;
  secret: string;
  uri: string;
  /** The cell requires a second factor and this coordinator has none yet. */
  required: boolean;
  next: string;
  problem?: CodeProblem;
}

/** Enrolment: the seed as a server-drawn QR code and as text, then a first code to confirm. */
export function EnrolPage(props: EnrolPageProps) {
  const { lang } = props;
  return (
    <ConsoleLayout {...props} minimal={props.required} title={t(lang, 'console.totp.enrolTitle')} page="console-totp-enrol" section="security">
      {props.required && (
        <div class="alert alert-info" role="status">
          <p>{t(lang, 'console.totp.enrolRequired')}</p>
        </div>
      )}
      <p class="lead">{t(lang, 'console.totp.enrolLead')}</p>
      <Problem lang={lang} problem={props.problem} />
      <ol class="console-steps">
        <li>
          <p>{t(lang, 'console.totp.step1')}</p>
          <QrCode text={props.uri} label={t(lang, 'console.totp.qrLabel', { identifier: props.identifier })} />
        </li>
        <li>
          <p>{t(lang, 'console.totp.step2')}</p>
          <p class="identifier console-secret" data-testid="totp-secret">
            {props.secret.match(/.{1,4}/g)?.join(' ')}
          </p>
          <details>
            <summary>{t(lang, 'console.totp.uri')}</summary>
            <p class="identifier" data-testid="totp-uri">
              {props.uri}
            </p>
          </details>
        </li>
        <li>
          <p>{t(lang, 'console.totp.step3')}</p>
          <form method="post" action="/second-facteur/activation" class="form">
            <Csrf token={props.csrfToken} />
            <input type="hidden" name="next" value={props.next} />
            <CodeField lang={lang} invalid={Boolean(props.problem)} recovery={false} />
            <button class="button" type="submit">
              {t(lang, 'console.totp.activate')}
            </button>
          </form>
        </li>
      </ol>
    </ConsoleLayout>
  );
}

export interface RecoveryCodesPageProps extends Shell {
  codes: string[];
  next: string;
}

/** Shown once, right after they are made; only their hashes are kept. */
export function RecoveryCodesPage(props: RecoveryCodesPageProps) {
  const { lang } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.totp.codesTitle')} page="console-recovery-codes" section="security">
      <p class="lead">{t(lang, 'console.totp.codesLead')}</p>
      <ol class="console-recovery-codes identifier" data-testid="recovery-codes">
        {props.codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <p>
        <a class="button" href={props.next}>
          {t(lang, 'console.totp.codesContinue')}
        </a>
      </p>
    </ConsoleLayout>
  );
}

export interface SecurityPageProps extends Shell {
  state: 'none' | 'pending' | 'enabled';
  recoveryCodesLeft: number;
  required: boolean;
}

export function SecurityPage(props: SecurityPageProps) {
  const { lang } = props;
  const enabled = props.state === 'enabled';
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.totp.securityTitle')} page="console-security" section="security">
      <p data-second-factor={props.state}>{t(lang, enabled ? 'console.totp.stateEnabled' : 'console.totp.stateDisabled')}</p>
      {enabled ? (
        <>
          <p>{t(lang, 'console.totp.codesLeft', { count: props.recoveryCodesLeft })}</p>
          {props.required && <p class="muted">{t(lang, 'console.totp.requiredNote')}</p>}
          <ul class="secondary-action">
            <li>
              <a href="/securite/codes-de-secours">{t(lang, 'console.totp.regenerate')}</a>
            </li>
            <li>
              <a href="/securite/desactiver">{t(lang, 'console.totp.disable')}</a>
            </li>
          </ul>
        </>
      ) : (
        <p>
          <a class="button" href="/second-facteur/activation">
            {t(lang, 'console.totp.enable')}
          </a>
        </p>
      )}
    </ConsoleLayout>
  );
}

export interface DisablePageProps extends Shell {
  problem?: CodeProblem;
}

/** Turning the second factor off: password and a current code. */
export function DisablePage(props: DisablePageProps) {
  const { lang } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.totp.disableTitle')} page="console-totp-disable" section="security">
      <p>{t(lang, 'console.totp.disableLead')}</p>
      <Problem lang={lang} problem={props.problem} />
      <form method="post" action="/securite/desactiver" class="form">
        <Csrf token={props.csrfToken} />
        <div class="field">
          <label for="totp-password">{t(lang, 'console.totp.password')}</label>
          <input id="totp-password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <CodeField lang={lang} invalid={props.problem?.kind === 'invalid'} />
        <button class="button button-danger" type="submit">
          {t(lang, 'console.totp.disable')}
        </button>{' '}
        <a href="/securite">{t(lang, 'console.queue.back')}</a>
      </form>
    </ConsoleLayout>
  );
}

export interface RegeneratePageProps extends Shell {
  problem?: CodeProblem;
}

export function RegeneratePage(props: RegeneratePageProps) {
  const { lang } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.totp.regenerateTitle')} page="console-totp-regenerate" section="security">
      <p>{t(lang, 'console.totp.regenerateLead')}</p>
      <Problem lang={lang} problem={props.problem} />
      <form method="post" action="/securite/codes-de-secours" class="form">
        <Csrf token={props.csrfToken} />
        <CodeField lang={lang} invalid={Boolean(props.problem)} />
        <button class="button" type="submit">
          {t(lang, 'console.totp.regenerate')}
        </button>{' '}
        <a href="/securite">{t(lang, 'console.queue.back')}</a>
      </form>
    </ConsoleLayout>
  );
}
