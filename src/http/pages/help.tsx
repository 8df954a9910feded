import { t, type Lang } from '../i18n/index.ts';
import { Layout, type PageProps } from './layout.tsx';
import { safeUrl, tRich } from './rich.tsx';
import { currentSite } from '../site.ts';
import { Faq, SupportBlock } from './site-info.tsx';

export const CRL_PATH = '/crl/passerelle.crl';
export const JWKS_PATH = '/.well-known/jwks.json';

export interface HelpApplication {
  name: string;
  host: string;
}

export interface HelpPageProps extends PageProps {
  publicUrl: string;
  applications: HelpApplication[];
  gatewayPort: number;
}

const GET_STEPS = ['help.get.step1', 'help.get.step2', 'help.get.step3', 'help.get.step4', 'help.get.step5'] as const;

export function applicationUrl(host: string, port: number): string {
  return `https://${host}${port === 443 ? '' : `:${port}`}/`;
}

function Applications({ lang, applications, port }: { lang: Lang; applications: HelpApplication[]; port: number }) {
  if (applications.length === 0) return <p>{t(lang, 'help.apps.none')}</p>;
  return (
    <ul class="applications">
      {applications.map(({ name, host }) => {
        const url = applicationUrl(host, port);
        return (
          <li key={host}>
            <a href={safeUrl(url)}>{name}</a> <span class="muted">{url}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** Home of the public listener: what Passerelle is and how to get a certificate. */
export function HelpPage(props: HelpPageProps) {
  // Rendered as a component so that the site (platform name, support) is read at render time, in sendPage.
  return <HelpBody {...props} />;
}

function HelpBody({ lang, assetBase = '/assets', publicUrl, applications, gatewayPort }: HelpPageProps) {
  const portal = <a href={safeUrl(publicUrl)}>{publicUrl}</a>;
  const platform = currentSite().platformName;
  return (
    <Layout lang={lang} assetBase={assetBase} title={t(lang, 'help.title', { platform })} page="help">
      <p class="lead">{t(lang, 'help.intro', { platform })}</p>
      <section aria-labelledby="kinds-title">
        <h2 id="kinds-title">{t(lang, 'help.kinds.title')}</h2>
        <ul>
          <li>{t(lang, 'help.kinds.personal')}</li>
          <li>{t(lang, 'help.kinds.collective')}</li>
        </ul>
      </section>
      <section aria-labelledby="get-title">
        <h2 id="get-title">{t(lang, 'help.get.title')}</h2>
        <ol class="steps">
          {GET_STEPS.map((key) => (
            <li key={key}>{tRich(lang, key, { portal })}</li>
          ))}
        </ol>
      </section>
      <Faq lang={lang} />
      <SupportBlock lang={lang} />
      <section aria-labelledby="apps-title">
        <h2 id="apps-title">{t(lang, 'help.apps.title')}</h2>
        <Applications lang={lang} applications={applications} port={gatewayPort} />
      </section>
      <section aria-labelledby="tech-title">
        <h2 id="tech-title">{t(lang, 'help.tech.title')}</h2>
        <ul>
          <li>
            <a href={CRL_PATH}>{t(lang, 'help.tech.crl')}</a>
          </li>
          <li>
            <a href={JWKS_PATH}>{t(lang, 'help.tech.jwks')}</a>
          </li>
        </ul>
      </section>
    </Layout>
  );
}
