import type { ComponentChildren } from 'preact';
import { LANGUAGES, t, type Lang } from '../i18n/index.ts';
import { currentSite, publicLink } from '../site.ts';
import { SITE_PAGES } from './site-paths.ts';

export const DEFAULT_ASSET_BASE = '/.passerelle/assets';

/** Props every page accepts. The public listener serves the stylesheet under '/assets'. */
export interface PageProps {
  lang: Lang;
  assetBase?: string | undefined;
}

interface LayoutProps extends PageProps {
  title: string;
  /** Stable page name, for tests and monitoring (`data-page`). */
  page: string;
  /** Stable machine-readable code on error pages (`data-error-code`). */
  errorCode?: string | undefined;
  children: ComponentChildren;
}

const LANGUAGE_NAMES: Record<Lang, string> = { fr: 'Français', en: 'English' };

/** Links to `?lang=xx` only: the handler sets the cookie and the page reloads in that language. */
function LanguageSwitcher({ lang }: { lang: Lang }) {
  return (
    <nav class="lang-switch" aria-label={t(lang, 'layout.languages')}>
      <ul>
        {LANGUAGES.map((code) => (
          <li key={code}>
            <a href={`?lang=${code}`} lang={code} hreflang={code} aria-current={code === lang ? 'true' : undefined}>
              {LANGUAGE_NAMES[code]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Page shell: no inline script or style, so it works under `default-src 'self'`. */
export function Layout({ lang, assetBase = DEFAULT_ASSET_BASE, title, page, errorCode, children }: LayoutProps) {
  const site = currentSite();
  const assets = assetBase.replace(/\/+$/, '');
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${title} · ${site.platformName}`}</title>
        <link rel="stylesheet" href={`${assets}/passerelle.css`} />
        {site.theme && <link rel="stylesheet" href={`${assets}/branding.css`} />}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t(lang, 'layout.skip')}
        </a>
        <header class="site-header">
          <p class="brand">
            {site.logo && <img class="brand-logo" src={`${assets}/logo`} alt="" height={40} />}
            <span class="brand-name">{site.platformName}</span>
            <span class="brand-tagline">{t(lang, 'layout.tagline')}</span>
          </p>
          <LanguageSwitcher lang={lang} />
        </header>
        <main id="main" tabIndex={-1} class="page" data-page={page} data-error-code={errorCode}>
          <h1>{title}</h1>
          {children}
        </main>
        <footer class="site-footer">
          <p>{t(lang, 'layout.footer', { platform: site.platformName })}</p>
          <nav aria-label={t(lang, 'layout.footerNav')}>
            <ul class="footer-links">
              {SITE_PAGES.map(({ path, key }) => (
                <li key={path}>
                  <a href={publicLink(path)}>{t(lang, key)}</a>
                </li>
              ))}
            </ul>
          </nav>
        </footer>
      </body>
    </html>
  );
}
