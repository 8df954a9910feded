import type { ComponentChildren } from 'preact';
import { t, type Lang, type MessageKey } from '../../i18n/index.ts';
import { Layout } from '../layout.tsx';

/** Sections of the console, in the navigation's order. */
export const CONSOLE_NAV: ReadonlyArray<{ href: string; key: MessageKey; section: string }> = [
  { href: '/', key: 'console.nav.dashboard', section: 'dashboard' },
  { href: '/inscriptions', key: 'console.nav.registrations', section: 'registrations' },
  { href: '/demandes-certificats', key: 'console.nav.certificateRequests', section: 'certificate-requests' },
  { href: '/demandes-acces', key: 'console.nav.accessRequests', section: 'access-requests' },
  { href: '/personnes', key: 'console.nav.people', section: 'people' },
  { href: '/etablissements', key: 'console.nav.establishments', section: 'establishments' },
  { href: '/certificats', key: 'console.nav.certificates', section: 'certificates' },
  { href: '/applications', key: 'console.nav.applications', section: 'applications' },
  { href: '/migration', key: 'console.nav.migration', section: 'migration' },
  { href: '/journal', key: 'console.nav.audit', section: 'audit' },
  { href: '/courriels', key: 'console.nav.outbox', section: 'outbox' },
  { href: '/jetons', key: 'console.nav.tokens', section: 'tokens' },
];

export interface ConsolePageProps {
  lang: Lang;
  title: string;
  /** Stable page name (`data-page`). */
  page: string;
  /** Which navigation entry is current. */
  section: string;
  /** The signed-in coordinator, shown with the logout button. */
  coordinator: { identifier: string };
  csrfToken: string;
  /** A short confirmation after a redirect, announced politely. */
  notice?: string | null;
  /**
   * Before the second factor is passed: no navigation (every section would send back here),
   * only the logout button.
   */
  minimal?: boolean;
  /** The sections to offer (an establishment administrator's console has its own); default CONSOLE_NAV. */
  nav?: ReadonlyArray<{ href: string; key: MessageKey; section: string }>;
  children: ComponentChildren;
}

/** Console shell on the console host: assets under /.passerelle/assets, logout through the gateway. */
export function ConsoleLayout(props: ConsolePageProps) {
  const { lang } = props;
  return (
    <Layout lang={lang} title={props.title} page={props.page}>
      <nav class="console-nav" aria-label={t(lang, 'console.nav.label')}>
        {props.minimal ? null : (
          <ul>
            {(props.nav ?? CONSOLE_NAV).map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={item.section === props.section ? 'page' : undefined}>
                  {t(lang, item.key)}
                </a>
              </li>
            ))}
          </ul>
        )}
        <form class="console-logout" method="post" action="/.passerelle/logout">
          <span>{t(lang, 'console.signedInAs', { identifier: props.coordinator.identifier })}</span>
          {props.minimal || props.nav ? null : (
            <a href="/securite" aria-current={props.section === 'security' ? 'page' : undefined}>
              {t(lang, 'console.security.link')}
            </a>
          )}
          <input type="hidden" name="csrf" value={props.csrfToken} />
          <button class="button button-secondary" type="submit">
            {t(lang, 'console.logout')}
          </button>
        </form>
      </nav>
      {props.notice ? (
        <p class="alert alert-success" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.children}
    </Layout>
  );
}
