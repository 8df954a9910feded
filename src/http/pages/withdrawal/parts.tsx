import type { ComponentChildren } from 'preact';
import { t, type Lang, type MessageKey } from '../../i18n/index.ts';
import { tRich } from '../rich.tsx';
import { CHECKS, IDS, SCRIPT_MESSAGES, type RootData } from '../../../browser/dom.ts';

/** Minimum length of the .p12 password the person chooses. */
export const P12_PASSWORD_MIN = 8;

/** The page's data-* attributes for the script (see src/browser/dom.ts). */
export function rootData(data: RootData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value !== undefined) out[`data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] = String(value);
  }
  return out;
}

/** One step of the journey; only the current one is shown. Its heading takes the focus when it appears. */
export function Step({ id, title, hidden = true, children }: { id: string; title: string; hidden?: boolean; children: ComponentChildren }) {
  return (
    <section id={id} class="step" hidden={hidden} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Texts the script shows, rendered by the server in the page's language (no dictionary in the bundle). */
export function ScriptMessages({ lang }: { lang: Lang }) {
  return (
    <div id={IDS.messages} hidden>
      {SCRIPT_MESSAGES.map((key) => (
        <span key={key} data-key={key}>
          {t(lang, `withdrawal.script.${key}` as MessageKey, { min: P12_PASSWORD_MIN })}
        </span>
      ))}
    </div>
  );
}

export function NoScript({ lang }: { lang: Lang }) {
  return (
    <div id={IDS.noscript} class="alert alert-error">
      <p>{t(lang, 'withdrawal.noscript')}</p>
    </div>
  );
}

/** Progress and results announced to screen readers. */
export function Progress() {
  return <p id={IDS.progress} class="lead" role="status" aria-live="polite"></p>;
}

export function ErrorBox({ id }: { id: string }) {
  return <div id={id} class="alert alert-error" role="alert" hidden></div>;
}

export function CompatibilityStep({ lang }: { lang: Lang }) {
  return (
    <Step id={IDS.stepCheck} title={t(lang, 'withdrawal.check.heading')}>
      <p>{t(lang, 'withdrawal.check.lead')}</p>
      <dl id={IDS.checks} class="details">
        {CHECKS.map((check) => (
          <div key={check} data-check={check}>
            <dt>{t(lang, `withdrawal.check.${check}`)}</dt>
            <dd data-result>{t(lang, 'withdrawal.check.pending')}</dd>
          </div>
        ))}
      </dl>
      <p id={IDS.checkResult} role="status"></p>
      <ErrorBox id={IDS.checkError} />
      <p id={IDS.continueAction} hidden>
        <button id={IDS.continueButton} class="button" type="button">
          {t(lang, 'withdrawal.continue')}
        </button>
      </p>
    </Step>
  );
}

export function PasswordStep({ lang }: { lang: Lang }) {
  return (
    <Step id={IDS.stepPassword} title={t(lang, 'withdrawal.password.heading')}>
      <p>{t(lang, 'withdrawal.password.lead')}</p>
      <ErrorBox id={IDS.passwordError} />
      <form id={IDS.passwordForm} class="form" novalidate>
        <div class="field">
          <label for={IDS.password}>{t(lang, 'withdrawal.password.password')}</label>
          <p class="field-hint" id={`${IDS.password}-hint`}>
            {t(lang, 'withdrawal.password.hint', { min: P12_PASSWORD_MIN })}
          </p>
          <input id={IDS.password} name="password" type="password" autocomplete="new-password" required minLength={P12_PASSWORD_MIN} aria-describedby={`${IDS.password}-hint`} />
        </div>
        <div class="field">
          <label for={IDS.passwordConfirm}>{t(lang, 'withdrawal.password.confirm')}</label>
          <input id={IDS.passwordConfirm} name="confirm" type="password" autocomplete="new-password" required minLength={P12_PASSWORD_MIN} />
        </div>
        <button class="button" type="submit">
          {t(lang, 'withdrawal.password.submit')}
        </button>
      </form>
    </Step>
  );
}

const PLATFORMS = [
  { id: 'firefox', steps: 4 },
  { id: 'windows', steps: 3 },
  { id: 'mac', steps: 2 },
  { id: 'linux', steps: 3 },
] as const;

/** Per browser/OS instructions; the script opens the one that matches this browser. */
/**
 * `rootUrl`: where our root certificate is served when a listener uses the PKI's own server
 * certificate (the browser must trust it), null when both use the operator's (any public CA),
 * undefined to say nothing (renewal: that browser already reaches the platform).
 */
export function InstallStep({ lang, children, rootUrl }: { lang: Lang; children?: ComponentChildren; rootUrl?: string | null }) {
  // The script writes the file name into every [data-file-name].
  const file = () => <strong class="identifier" data-file-name></strong>;
  return (
    <Step id={IDS.stepInstall} title={t(lang, 'withdrawal.install.heading')}>
      <p class="lead">{tRich(lang, 'withdrawal.install.lead', { file: file() })}</p>
      {children}
      <p>
        <button id={IDS.downloadAgain} class="button" type="button">
          {t(lang, 'withdrawal.install.again')}
        </button>
      </p>
      <p>{t(lang, 'withdrawal.install.choose')}</p>
      {PLATFORMS.map(({ id, steps }) => (
        <details key={id} data-platform={id}>
          <summary>{t(lang, `withdrawal.install.${id}.title`)}</summary>
          <ol>
            {Array.from({ length: steps }, (_, i) => (
              <li key={i}>{tRich(lang, `withdrawal.install.${id}.step${i + 1}` as MessageKey, { file: file() })}</li>
            ))}
          </ol>
        </details>
      ))}
      {rootUrl === undefined ? null : rootUrl === null ? (
        <p data-root="none">{t(lang, 'withdrawal.install.noRoot')}</p>
      ) : (
        <p data-root="trust">
          {tRich(lang, 'withdrawal.install.root', {
            link: (
              <a href={rootUrl} download>
                {t(lang, 'withdrawal.install.rootLink')}
              </a>
            ),
          })}
        </p>
      )}
      <p>{t(lang, 'withdrawal.install.restart')}</p>
      <p>{t(lang, 'withdrawal.install.delete')}</p>
      <p class="lead">
        <strong>{t(lang, 'withdrawal.install.done')}</strong>
      </p>
    </Step>
  );
}
