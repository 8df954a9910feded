import { t, type Lang } from '../../i18n/index.ts';
import { SupportContact, safeUrl, tRich } from '../rich.tsx';
import { PortalLayout, type PortalPageProps } from '../portal/shell.tsx';

/** Portal login refusals that come from a legacy identifier. */
export type LegacyPortalError = 'legacy_cut_over' | 'legacy_locked' | 'legacy_unavailable';

export function isLegacyPortalError(error: string | null | undefined): error is LegacyPortalError {
  return error === 'legacy_cut_over' || error === 'legacy_locked' || error === 'legacy_unavailable';
}

/** The alert text on the portal login page; the cut-over refusal names the person's identifier. */
export function LegacyPortalLoginMessage({ lang, error, identifier, applicationName, supportContact }: { lang: Lang; error: LegacyPortalError; identifier?: string | undefined; applicationName?: string | undefined; supportContact: string }) {
  return (
    <p>
      {tRich(lang, `legacy.portal.error.${error}`, {
        identifier: <strong class="identifier">{identifier ?? ''}</strong>,
        application: applicationName ?? '',
        support: <SupportContact contact={supportContact} />,
      })}
    </p>
  );
}

export interface LegacyPortalWelcomeProps extends PortalPageProps {
  applicationName: string;
  legacyUsername: string;
  identifier: string;
  next: string;
}

/** After a portal login with legacy credentials (migration period): "your identifier is now …". */
export function LegacyPortalWelcomePage(props: LegacyPortalWelcomeProps) {
  const { lang } = props;
  const strong = (text: string) => <strong class="identifier">{text}</strong>;
  return (
    <PortalLayout lang={lang} user={props.user} csrfToken={props.csrfToken} title={t(lang, 'legacy.portal.welcome.title')} page="legacy-portal-welcome">
      <p class="lead">{tRich(lang, 'legacy.portal.welcome.lead', { application: props.applicationName, legacy: strong(props.legacyUsername) })}</p>
      <div class="alert alert-success" role="status">
        <p>{tRich(lang, 'legacy.portal.welcome.identifier', { identifier: strong(props.identifier) })}</p>
      </div>
      <p>{t(lang, 'legacy.portal.welcome.advice')}</p>
      <p>
        <a class="button" href={safeUrl(props.next)}>
          {t(lang, 'legacy.portal.welcome.continue')}
        </a>
      </p>
    </PortalLayout>
  );
}
