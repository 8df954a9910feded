import type { ComponentChild } from 'preact';
import { t, type Lang, type MessageKey } from '../i18n/index.ts';
import { currentSite, publicLink } from '../site.ts';
import { Layout, type PageProps } from './layout.tsx';
import { tRich } from './rich.tsx';
import { SITE_PATHS } from './site-paths.ts';
import { SiteSupport } from './support.tsx';

/** The support as configured: name, then a clickable e-mail and phone when given, else the contact text. */
export function SupportBlock({ lang }: { lang: Lang }) {
  const { support } = currentSite();
  return (
    <section aria-labelledby="contact-title">
      <h2 id="contact-title">{t(lang, 'site.contact.title')}</h2>
      {support.email || support.phone ? (
        <>
          <p>{t(lang, 'site.contact.lead', { name: support.name })}</p>
          <dl class="details">
            {support.email && (
              <div>
                <dt>{t(lang, 'site.contact.email')}</dt>
                <dd>
                  <a href={`mailto:${support.email}`}>{support.email}</a>
                </dd>
              </div>
            )}
            {support.phone && (
              <div>
                <dt>{t(lang, 'site.contact.phone')}</dt>
                <dd>
                  <a href={`tel:${support.phone.replace(/[^+\d]/g, '')}`}>{support.phone}</a>
                </dd>
              </div>
            )}
          </dl>
        </>
      ) : (
        <p>{tRich(lang, 'site.contact.fallback', { contact: <SiteSupport /> })}</p>
      )}
    </section>
  );
}

export const FAQ = ['noOffer', 'lostPdf', 'locked', 'interrupted', 'newComputer', 'renew', 'password'] as const;

/** The questions people call about, each a native disclosure (keyboard and screen-reader friendly). */
export function Faq({ lang }: { lang: Lang }) {
  return (
    <section aria-labelledby="faq-title">
      <h2 id="faq-title">{t(lang, 'site.faq.title')}</h2>
      {FAQ.map((id) => (
        <details key={id} id={`faq-${id}`}>
          <summary>{t(lang, `site.faq.${id}.q` as MessageKey)}</summary>
          <p>{tRich(lang, `site.faq.${id}.a` as MessageKey, { support: <SiteSupport /> })}</p>
        </details>
      ))}
    </section>
  );
}

function Sections({ lang, keys, slots }: { lang: Lang; keys: readonly string[]; slots: Record<string, ComponentChild> }) {
  return (
    <>
      {keys.map((key) => (
        <section key={key} aria-labelledby={`${key.replace(/\./g, '-')}-title`}>
          <h2 id={`${key.replace(/\./g, '-')}-title`}>{t(lang, `${key}.title` as MessageKey)}</h2>
          <p>{tRich(lang, key as MessageKey, slots)}</p>
        </section>
      ))}
    </>
  );
}

function slotsOf(lang: Lang): Record<string, ComponentChild> {
  const site = currentSite();
  return {
    platform: site.platformName,
    publisher: site.publisher,
    host: site.host,
    support: <SiteSupport />,
    dpo: site.dpoEmail ? <a href={`mailto:${site.dpoEmail}`}>{site.dpoEmail}</a> : <SiteSupport />,
    link: <a href={publicLink(SITE_PATHS.personalData)}>{t(lang, 'site.link.personalData')}</a>,
  };
}

/** RGAA accessibility statement (the legal model's sections). */
export function AccessibilityPage(props: PageProps) {
  return <AccessibilityPageBody {...props} />;
}

function AccessibilityPageBody({ lang, assetBase }: PageProps) {
  const slots = slotsOf(lang);
  return (
    <Layout lang={lang} assetBase={assetBase} title={t(lang, 'site.accessibility.title')} page="accessibility">
      <p class="lead">{tRich(lang, 'site.accessibility.commitment', slots)}</p>
      <Sections
        lang={lang}
        slots={slots}
        keys={['site.accessibility.status', 'site.accessibility.limits', 'site.accessibility.tech', 'site.accessibility.feedback', 'site.accessibility.remedy']}
      />
    </Layout>
  );
}

export function LegalNoticePage(props: PageProps) {
  return <LegalNoticePageBody {...props} />;
}

function LegalNoticePageBody({ lang, assetBase }: PageProps) {
  const slots = slotsOf(lang);
  return (
    <Layout lang={lang} assetBase={assetBase} title={t(lang, 'site.legal.title')} page="legal-notice">
      <Sections lang={lang} slots={slots} keys={['site.legal.publisher', 'site.legal.host', 'site.legal.contact', 'site.legal.cookies']} />
      <p>{tRich(lang, 'site.legal.data', slots)}</p>
    </Layout>
  );
}

/** RGPD article 13: what is collected, why, for whom, how long, and the person's rights. */
export function PersonalDataPage(props: PageProps) {
  return <PersonalDataPageBody {...props} />;
}

function PersonalDataPageBody({ lang, assetBase }: PageProps) {
  const slots = slotsOf(lang);
  return (
    <Layout lang={lang} assetBase={assetBase} title={t(lang, 'site.data.title')} page="personal-data">
      <p class="lead">{tRich(lang, 'site.data.lead', slots)}</p>
      <Sections
        lang={lang}
        slots={slots}
        keys={['site.data.controller', 'site.data.purpose', 'site.data.data', 'site.data.recipients', 'site.data.retention', 'site.data.rights']}
      />
    </Layout>
  );
}

/** Under the registration form: the RGPD art. 13 short notice and its link. */
export function RegistrationDataNotice({ lang }: { lang: Lang }) {
  return <p class="field-hint">{tRich(lang, 'site.registration.notice', { link: <a href={publicLink(SITE_PATHS.personalData)}>{t(lang, 'site.link.personalData')}</a> })}</p>;
}
