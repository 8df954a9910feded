import { AsyncLocalStorage } from 'node:async_hooks';
import type { Config } from '../config/index.ts';

/**
 * What every page says about the platform it belongs to: name, logo, colours, support, where the public
 * pages (help, legal notices) live. Set per render by sendPage from the app's settings, so the page
 * components stay pure functions of their props and need no extra prop at each call site.
 */
export interface Site {
  platformName: string;
  /** Whether a logo is configured (served as <assetBase>/logo). */
  logo: boolean;
  /** Whether colours are configured (served as <assetBase>/branding.css). */
  theme: boolean;
  support: { name: string; contact: string; email: string | null; phone: string | null };
  /** Public listener origin; null renders the footer links relative (unit tests). */
  publicUrl: string | null;
  publisher: string;
  host: string;
  dpoEmail: string | null;
  /** config.session.idleTimeoutMinutes: the portal warns a few minutes before. */
  idleMinutes: number;
}

export const DEFAULT_SITE: Site = {
  platformName: 'Passerelle',
  logo: false,
  theme: false,
  support: { name: 'la cellule de coordination', contact: 'la cellule de coordination', email: null, phone: null },
  publicUrl: null,
  publisher: 'Groupement régional d’appui au développement de la e-santé (à compléter)',
  host: 'Hébergeur de données de santé certifié HDS (à compléter)',
  dpoEmail: null,
  idleMinutes: 45,
};

/** The express setting sendPage reads (mounted sub-apps inherit settings). */
export const SITE_SETTING = 'passerelle.site';

const current = new AsyncLocalStorage<Site>();

export function siteOf(config: Config): Site {
  const { branding, support } = config;
  const colors = branding.colors;
  return {
    platformName: branding.platformName,
    logo: branding.logo !== null,
    theme: Boolean(colors.primary || colors.primaryHover || colors.link),
    support: { name: support.name, contact: support.contact, email: support.email, phone: support.phone },
    publicUrl: config.publicUrl.replace(/\/+$/, ''),
    publisher: branding.publisher,
    host: branding.host,
    dpoEmail: branding.dpoEmail,
    idleMinutes: config.session.idleTimeoutMinutes,
  };
}

export function currentSite(): Site {
  return current.getStore() ?? DEFAULT_SITE;
}

export function withSite<T>(site: Site | undefined, render: () => T): T {
  return site ? current.run(site, render) : render();
}

/** A public page's address: absolute when the site is known (pages on application hosts link back). */
export function publicLink(path: string): string {
  const { publicUrl } = currentSite();
  return publicUrl ? `${publicUrl}${path}` : path;
}

/** The stylesheet overriding the colour variables of passerelle.css. Values are schema-checked #hex. */
export function brandingCss(config: Config): string {
  const { primary, primaryHover, link } = config.branding.colors;
  const lines = [primary && `  --primary: ${primary};`, primaryHover && `  --primary-hover: ${primaryHover};`, link && `  --link: ${link};`].filter(Boolean);
  return `:root {\n${lines.join('\n')}\n}\n`;
}
