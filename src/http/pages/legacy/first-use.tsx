import { t, type Lang } from '../../i18n/index.ts';
import { tPlural } from '../../i18n/plural.ts';
import { Layout, type PageProps } from '../layout.tsx';
import { SupportContact, safeUrl, tRich } from '../rich.tsx';

/** Form fields the first-use handler reads. */
export const LEGACY_FIELDS = { username: 'legacyUsername', password: 'legacyPassword', csrf: 'csrf', next: 'next' } as const;

export type FirstUseError = 'invalid' | 'locked' | 'unavailable' | 'conflict' | 'legacy_cut_over' | 'missing';

export interface FirstUsePageProps extends PageProps {
  applicationName: string;
  /** The signed-in person's platform identifier. */
  identifier: string;
  /** choice: both options; linked: a mapping exists; closed: the application is cut over. */
  state: 'choice' | 'linked' | 'closed';
  csrfToken: string;
  signInAction: string;
  newUserAction: string;
  next: string;
  supportContact: string;
  maxFailures: number;
  error?: FirstUseError | null | undefined;
  remainingAttempts?: number | null | undefined;
  /** Prefill after a failed attempt; the linked identifier in the `linked` state. */
  legacyUsername?: string | undefined;
}

const ALERT_ID = 'legacy-error';

function ErrorAlert({ lang, props }: { lang: Lang; props: FirstUsePageProps }) {
  const { error } = props;
  if (!error) return null;
  const application = props.applicationName;
  const support = <SupportContact contact={props.supportContact} />;
  const remaining = error === 'invalid' && props.remainingAttempts != null && props.remainingAttempts > 0 ? props.remainingAttempts : null;
  return (
    <div class="alert alert-error" role="alert" id={ALERT_ID}>
      <p>{tRich(lang, `legacy.firstUse.error.${error}`, { application, support, max: String(props.maxFailures) })}</p>
      {remaining !== null && <p>{tPlural(lang, 'legacy.firstUse.error.remaining', remaining)}</p>}
    </div>
  );
}

function ContinueLink({ lang, next, application }: { lang: Lang; next: string; application: string }) {
  return (
    <p>
      <a class="button" href={safeUrl(next)}>
        {t(lang, 'legacy.firstUse.continue', { application })}
      </a>
    </p>
  );
}

/**
 * Journey 9 on an application host: the application does not know the person yet. "Already
 * a user? sign in once with your previous identifier" or "New? continue".
 */
export function LegacyFirstUsePage(props: FirstUsePageProps) {
  const { lang, applicationName: application, identifier, state } = props;
  const strong = (text: string) => <strong class="identifier">{text}</strong>;
  if (state === 'linked') {
    return (
      <Layout lang={lang} assetBase={props.assetBase} title={t(lang, 'legacy.firstUse.linked.title')} page="legacy-linked">
        <p class="lead">{tRich(lang, 'legacy.firstUse.linked.text', { legacy: strong(props.legacyUsername ?? ''), identifier: strong(identifier), application })}</p>
        <ContinueLink lang={lang} next={props.next} application={application} />
      </Layout>
    );
  }
  if (state === 'closed') {
    return (
      <Layout lang={lang} assetBase={props.assetBase} title={t(lang, 'legacy.firstUse.closed.title', { application })} page="legacy-closed" errorCode="application_cut_over">
        <p class="lead">{tRich(lang, 'legacy.firstUse.closed.text', { identifier: strong(identifier), application })}</p>
        <ContinueLink lang={lang} next={props.next} application={application} />
      </Layout>
    );
  }
  const invalid = props.error === 'invalid' || props.error === 'missing';
  const describe = (...ids: Array<string | false>) => ids.filter(Boolean).join(' ') || undefined;
  return (
    <Layout lang={lang} assetBase={props.assetBase} title={t(lang, 'legacy.firstUse.title', { application })} page="legacy-first-use" errorCode={props.error ?? undefined}>
      <p class="lead">{tRich(lang, 'legacy.firstUse.lead', { application, identifier: strong(identifier) })}</p>
      <ErrorAlert lang={lang} props={props} />
      <section aria-labelledby="legacy-existing">
        <h2 id="legacy-existing">{t(lang, 'legacy.firstUse.existing.title', { application })}</h2>
        <p>{t(lang, 'legacy.firstUse.existing.text', { application })}</p>
        <form class="form" method="post" action={safeUrl(props.signInAction)}>
          <input type="hidden" name={LEGACY_FIELDS.csrf} value={props.csrfToken} />
          <input type="hidden" name={LEGACY_FIELDS.next} value={props.next} />
          <div class="field">
            <label for="legacy-username">{t(lang, 'legacy.firstUse.username', { application })}</label>
            <p class="field-hint" id="legacy-username-hint">
              {t(lang, 'legacy.firstUse.usernameHint', { application })}
            </p>
            <input
              id="legacy-username"
              name={LEGACY_FIELDS.username}
              type="text"
              value={props.legacyUsername ?? ''}
              autocomplete="off"
              autocapitalize="none"
              spellcheck={false}
              required
              maxLength={200}
              aria-invalid={invalid ? 'true' : undefined}
              aria-describedby={describe('legacy-username-hint', invalid && ALERT_ID)}
            />
          </div>
          <div class="field">
            <label for="legacy-password">{t(lang, 'legacy.firstUse.password', { application })}</label>
            <input
              id="legacy-password"
              name={LEGACY_FIELDS.password}
              type="password"
              autocomplete="off"
              required
              aria-invalid={invalid ? 'true' : undefined}
              aria-describedby={describe(invalid && ALERT_ID)}
            />
          </div>
          <p class="field-hint">{t(lang, 'legacy.firstUse.privacy')}</p>
          <button class="button" type="submit">
            {t(lang, 'legacy.firstUse.submit')}
          </button>
        </form>
      </section>
      <section aria-labelledby="legacy-new">
        <h2 id="legacy-new">{t(lang, 'legacy.firstUse.new.title', { application })}</h2>
        <p>{tRich(lang, 'legacy.firstUse.new.text', { application, identifier: strong(identifier) })}</p>
        <form method="post" action={safeUrl(props.newUserAction)}>
          <input type="hidden" name={LEGACY_FIELDS.csrf} value={props.csrfToken} />
          <input type="hidden" name={LEGACY_FIELDS.next} value={props.next} />
          <button class="button button-secondary" type="submit">
            {t(lang, 'legacy.firstUse.new.submit')}
          </button>
        </form>
      </section>
      <p class="muted">{tRich(lang, 'legacy.firstUse.help', { support: <SupportContact contact={props.supportContact} /> })}</p>
    </Layout>
  );
}
