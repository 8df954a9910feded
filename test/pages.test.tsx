import { readFileSync } from 'node:fs';
import type { VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import type { DenialReason as AuthDenialReason } from '../src/authentication/denials.ts';
import { en } from '../src/http/i18n/en.ts';
import { fr } from '../src/http/i18n/fr.ts';
import { LANGUAGES, pickLanguage, t, type Lang } from '../src/http/i18n/index.ts';
import {
  DENIAL_REASONS,
  DeniedPage,
  ErrorPage,
  FormExpiredPage,
  HelpPage,
  LoggedOutPage,
  LoginPage,
  renderPage,
  UpstreamErrorPage,
  type DenialReason,
  type LoginPageProps,
} from '../src/http/pages/index.ts';
import { safeUrl } from '../src/http/pages/rich.tsx';

const XSS = '<script>alert(1)</script>';
// Preact escapes `<`, `&` and `"`; a lone `>` is inert in text and quoted attributes.
const ESCAPED = '&lt;script>alert(1)&lt;/script>';

// The page's copy of the union and the authentication layer's must not drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameReasons: Same<AuthDenialReason, DenialReason> = true;
void sameReasons;

/** The opening tag of the element with this id. */
function tag(html: string, id: string): string {
  const match = new RegExp(`<[a-z]+\\b[^>]*\\bid="${id}"[^>]*>`).exec(html);
  if (!match) throw new Error(`no element #${id}`);
  return match[0];
}
const h1 = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];
const attr = (html: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(html)?.[1];
const hasBool = (openingTag: string, name: string) => new RegExp(`\\s${name}(?=[\\s/>])`).test(openingTag);

function login(overrides: Partial<LoginPageProps> = {}): string {
  return renderPage(
    LoginPage({
      lang: 'fr',
      application: { name: 'OpenDRP' },
      mode: 'personal',
      identifier: 'helene.lefevre',
      csrfToken: 'tok',
      action: '/.passerelle/login',
      next: '/patients',
      ...overrides,
    }),
  );
}

function denied(lang: Lang, reason: DenialReason, details = {}): string {
  return renderPage(
    DeniedPage({
      lang,
      reason,
      status: 403,
      supportContact: 'support@esante.example',
      publicUrl: 'https://portail.esante.example',
      details,
    }),
  );
}

/** One of every page, in both languages, with hostile values wherever a caller could pass them. */
function allPages(): string[] {
  const pages: VNode[] = [];
  for (const lang of LANGUAGES) {
    pages.push(
      LoginPage({ lang, application: { name: XSS }, mode: 'personal', identifier: XSS, csrfToken: XSS, action: '/l', next: XSS, error: 'invalid_credentials', remainingAttempts: 2, establishmentName: XSS, machineLabel: XSS, forgotPasswordUrl: 'javascript:alert(1)' }),
      LoginPage({ lang, application: { name: 'OpenDRP' }, mode: 'collective', csrfToken: 't', action: '/l', next: '/', error: 'session_expired' }),
      ...DENIAL_REASONS.map((reason) =>
        DeniedPage({ lang, reason, status: 403, supportContact: XSS, publicUrl: 'https://p.example', details: { identifier: XSS, applicationName: XSS, serial: XSS, expiredOn: XSS } }),
      ),
      UpstreamErrorPage({ lang, applicationName: XSS, status: 502 }),
      UpstreamErrorPage({ lang, applicationName: 'OpenDRP', status: 504 }),
      LoggedOutPage({ lang, applicationName: XSS, loginUrl: '/.passerelle/login' }),
      LoggedOutPage({ lang, applicationName: 'OpenDRP', loginUrl: '/l', confirm: { action: '/.passerelle/logout', csrfToken: XSS } }),
      ErrorPage({ lang, status: 400, code: 'invalid_body', message: XSS }),
      ErrorPage({ lang, status: 500, code: 'internal_error', message: 'db exploded' }),
      FormExpiredPage({ lang, back: XSS }),
      HelpPage({ lang, publicUrl: 'https://p.example', applications: [{ name: XSS, host: 'rehab.localhost' }], gatewayPort: 9443 }),
    );
  }
  return pages.map(renderPage);
}

describe('DeniedPage', () => {
  for (const lang of LANGUAGES) {
    it(`gives each reason its own title and data-error-code (${lang})`, () => {
      const titles = DENIAL_REASONS.map((reason) => {
        const html = denied(lang, reason);
        expect(html.startsWith('<!doctype html><html lang="' + lang + '">')).toBe(true);
        expect(tag(html, 'main')).toContain(`data-error-code="${reason}"`);
        expect(html).toContain(`<title>${h1(html)} · Passerelle</title>`);
        return h1(html);
      });
      expect(new Set(titles).size).toBe(DENIAL_REASONS.length);
    });
  }

  it('is written differently in French and English', () => {
    for (const reason of DENIAL_REASONS) expect(h1(denied('fr', reason))).not.toBe(h1(denied('en', reason)));
  });

  it('explains a missing certificate and links to the portal', () => {
    const html = denied('fr', 'no_certificate');
    expect(html).toContain('Aucun certificat présenté');
    expect(html).toContain('référent de votre établissement');
    expect(html).toContain('<a href="https://portail.esante.example">https://portail.esante.example</a>');
  });

  it('tells a locked person whom to contact, and names the application for no_access', () => {
    const locked = denied('fr', 'account_locked');
    expect(locked).toContain('Après 5 tentatives');
    expect(locked).toContain('<a href="mailto:support@esante.example">support@esante.example</a>');
    expect(denied('fr', 'account_locked', { maxFailures: 3 })).toContain('Après 3 tentatives');
    expect(denied('en', 'no_access', { applicationName: 'OpenDRP' })).toContain('Request access to OpenDRP');
    expect(denied('fr', 'no_access')).toContain('accès à cette application');
  });

  it('escapes every detail', () => {
    const html = denied('en', 'certificate_revoked', { identifier: XSS, serial: XSS, applicationName: XSS, expiredOn: XSS });
    expect(html).toContain(ESCAPED);
    expect(html).not.toContain(XSS);
  });
});

describe('LoginPage', () => {
  it('personal: identifier fixed (read-only and shown as text), password autofocused', () => {
    const html = login();
    const identifier = tag(html, 'identifier');
    const password = tag(html, 'password');
    expect(identifier).toContain('value="helene.lefevre"');
    expect(hasBool(identifier, 'readonly')).toBe(true);
    expect(hasBool(identifier, 'autofocus')).toBe(false);
    expect(attr(identifier, 'autocomplete')).toBe('username');
    expect(html).toContain('<strong class="identifier">helene.lefevre</strong>');
    expect(hasBool(password, 'autofocus')).toBe(true);
    expect(attr(password, 'autocomplete')).toBe('current-password');
    expect(attr(password, 'type')).toBe('password');
  });

  it('collective: identifier editable and focused first', () => {
    const html = login({ mode: 'collective', identifier: undefined, establishmentName: 'CH de Dijon', machineLabel: 'Accueil 2' });
    const identifier = tag(html, 'identifier');
    expect(hasBool(identifier, 'readonly')).toBe(false);
    expect(hasBool(identifier, 'autofocus')).toBe(true);
    expect(hasBool(tag(html, 'password'), 'autofocus')).toBe(false);
    expect(html).toContain('CH de Dijon');
    expect(html).toContain('Accueil 2');
  });

  it('collective after a failure: identifier kept, error announced and linked, password focused', () => {
    const html = login({ mode: 'collective', identifier: 'jean.martin', error: 'invalid_credentials', remainingAttempts: 2, lockoutThreshold: 5 });
    expect(tag(html, 'login-error')).toContain('role="alert"');
    expect(html).toContain('Identifiant ou mot de passe incorrect.');
    // A typed identifier gets the portal's wording: the general rule, no per-account count (issue 11, point 7).
    expect(html).not.toContain('il vous reste');
    expect(html).toContain('Après 5 échecs consécutifs, le compte est verrouillé.');
    const identifier = tag(html, 'identifier');
    const password = tag(html, 'password');
    expect(identifier).toContain('value="jean.martin"');
    expect(attr(identifier, 'aria-describedby')?.split(' ')).toContain('login-error');
    expect(attr(password, 'aria-describedby')).toBe('login-error');
    expect(attr(password, 'aria-invalid')).toBe('true');
    expect(hasBool(password, 'autofocus')).toBe(true);
  });

  it('labels every visible input and carries the hidden fields the handler reads', () => {
    const html = login({ mode: 'collective', identifier: undefined });
    for (const id of ['identifier', 'password']) expect(html).toContain(`<label for="${id}">`);
    expect(html).toContain('<input type="hidden" name="csrf" value="tok"/>');
    expect(html).toContain('<input type="hidden" name="next" value="/patients"/>');
    expect(html).toContain('action="/.passerelle/login"');
    expect(html).toContain('method="post"');
  });

  it('personal: only the password can be wrong, and the tries left are counted', () => {
    const html = login({ error: 'invalid_credentials', remainingAttempts: 2 });
    expect(html).toContain('Mot de passe incorrect.');
    expect(html).not.toContain('Identifiant ou mot de passe');
    expect(html).toContain('il vous reste 2 tentatives');
    expect(login({ cpsCard: true })).toContain('Identifiant associé à votre carte CPS');
    expect(login({ cpsCard: true })).not.toContain('certificat de ce poste');
  });

  it('names the console with its article, and elides "de" before a vowel', () => {
    const fr = login({ application: { name: 'Console de coordination' } });
    expect(fr).toContain('<h1>Connexion à la console de coordination</h1>');
    expect(login({ lang: 'en', application: { name: 'Console de coordination' } })).toContain('<h1>Sign in to the coordination console</h1>');
    expect(t('fr', 'logout.title', { application: 'OpenDRP' })).toBe('Se déconnecter d’OpenDRP\u202f?');
    expect(t('fr', 'logout.title', { application: 'Labo' })).toBe('Se déconnecter de Labo\u202f?');
  });

  it('warns on the last attempt and explains an expired session', () => {
    expect(login({ lang: 'en', error: 'invalid_credentials', remainingAttempts: 1 })).toContain('one attempt left');
    expect(login({ error: 'session_expired' })).toContain('Votre session a expiré');
  });

  it('escapes the identifier and the hidden fields', () => {
    for (const mode of ['personal', 'collective'] as const) {
      const html = login({ mode, identifier: XSS, next: `"><script>x</script>`, csrfToken: XSS });
      expect(html).toContain(ESCAPED);
      expect(html).not.toContain('<script');
    }
  });
});

describe('other pages', () => {
  it('upstream errors reassure about the session and carry a stable code', () => {
    const html = renderPage(UpstreamErrorPage({ lang: 'fr', applicationName: 'OpenDRP', status: 502 }));
    expect(h1(html)).toBe('OpenDRP ne répond pas');
    expect(html).toContain('Votre session n’est pas en cause');
    expect(tag(html, 'main')).toContain('data-error-code="upstream_unavailable"');
    const timeout = renderPage(UpstreamErrorPage({ lang: 'en', applicationName: 'OpenDRP', status: 504 }));
    expect(tag(timeout, 'main')).toContain('data-error-code="upstream_timeout"');
  });

  it('logged out page links back to the login; the confirmation posts with a token', () => {
    const out = renderPage(LoggedOutPage({ lang: 'en', applicationName: 'OpenDRP', loginUrl: '/.passerelle/login' }));
    expect(out).toContain('href="/.passerelle/login"');
    const confirm = renderPage(
      LoggedOutPage({ lang: 'fr', applicationName: 'OpenDRP', loginUrl: '/l', confirm: { action: '/.passerelle/logout', csrfToken: 'tok' } }),
    );
    expect(confirm).toContain('action="/.passerelle/logout"');
    expect(confirm).toContain('name="csrf" value="tok"');
  });

  it('error pages show 4xx messages and hide 5xx ones', () => {
    const notFound = renderPage(ErrorPage({ lang: 'fr', status: 404, code: 'not_found', message: 'No such page' }));
    expect(h1(notFound)).toBe('Page introuvable');
    expect(notFound).toContain('No such page');
    expect(tag(notFound, 'main')).toContain('data-error-code="not_found"');
    const crash = renderPage(ErrorPage({ lang: 'en', status: 500, code: 'internal_error', message: 'SQLITE_BUSY at db.ts:42' }));
    expect(crash).not.toContain('SQLITE_BUSY');
    expect(h1(crash)).toBe('Internal error');
    expect(h1(renderPage(ErrorPage({ lang: 'en', status: 418, code: 'teapot' })))).toBe('The request could not be completed');
  });

  it('help page lists applications and links to the CRL and JWKS, with the public asset base', () => {
    const html = renderPage(
      HelpPage({ lang: 'fr', publicUrl: 'https://portail.localhost:8443', applications: [{ name: 'OpenDRP', host: 'rehab.localhost' }], gatewayPort: 9443 }),
    );
    expect(html).toContain('<a href="https://rehab.localhost:9443/">OpenDRP</a>');
    expect(html).toContain('href="/crl/passerelle.crl"');
    expect(html).toContain('href="/.well-known/jwks.json"');
    expect(html).toContain('href="/assets/passerelle.css"');
  });
});

describe('layout', () => {
  it('has the accessibility landmarks, the language switcher and the asset base', () => {
    const html = login({ lang: 'en' });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta charset="utf-8"/>');
    expect(html).toContain('name="viewport"');
    expect(html).toContain('<a class="skip-link" href="#main">Skip to main content</a>');
    expect(tag(html, 'main')).toContain('tabindex="-1"');
    expect(html).toContain('<a href="?lang=fr" lang="fr" hreflang="fr">Français</a>');
    expect(html).toContain('<a href="?lang=en" lang="en" hreflang="en" aria-current="true">English</a>');
    expect(html).toContain('href="/.passerelle/assets/passerelle.css"');
    expect(renderPage(ErrorPage({ lang: 'fr', status: 404, code: 'x', assetBase: '/assets/' }))).toContain('href="/assets/passerelle.css"');
  });

  it('never emits a script, an inline style or an unescaped value', () => {
    for (const html of allPages()) {
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<style|\sstyle=/i);
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(html).not.toContain('javascript:');
      expect(html).not.toContain('db exploded');
    }
  });
});

describe('i18n', () => {
  it('pickLanguage: query beats cookie beats Accept-Language; French by default', () => {
    expect(pickLanguage({})).toBe('fr');
    expect(pickLanguage({ acceptLanguage: 'en-GB,en;q=0.9' })).toBe('en');
    expect(pickLanguage({ acceptLanguage: 'de-DE, en;q=0.5, fr;q=0.8' })).toBe('fr');
    expect(pickLanguage({ acceptLanguage: 'de, it' })).toBe('fr');
    expect(pickLanguage({ acceptLanguage: 'en;q=0, fr;q=0.1' })).toBe('fr');
    expect(pickLanguage({ cookie: 'en', acceptLanguage: 'fr' })).toBe('en');
    expect(pickLanguage({ query: 'fr', cookie: 'en', acceptLanguage: 'en' })).toBe('fr');
    expect(pickLanguage({ query: 'EN ', cookie: 'fr' })).toBe('en');
    expect(pickLanguage({ query: 'de', cookie: 'en' })).toBe('en');
    expect(pickLanguage({ query: '', cookie: 'xx', acceptLanguage: 'en-US' })).toBe('en');
  });

  it('fr and en have the same keys and the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]));
      expect(en[key].trim(), key).not.toBe('');
    }
  });

  it('t interpolates and applies French spacing', () => {
    expect(t('en', 'login.title', { application: 'OpenDRP' })).toBe('Sign in to OpenDRP');
    expect(t('fr', 'login.establishment', { name: 'CHU' })).toBe('Établissement\u00a0: CHU');
    expect(t('fr', 'login.forgotPassword')).toBe('Mot de passe oublié\u202f?');
    expect(t('fr', 'login.title')).toBe('Connexion à {application}');
  });
});

describe('safeUrl', () => {
  it('keeps http(s) and same-origin URLs only', () => {
    expect(safeUrl('https://portail.example/x')).toBe('https://portail.example/x');
    expect(safeUrl('/.passerelle/login')).toBe('/.passerelle/login');
    expect(safeUrl('?lang=en')).toBe('?lang=en');
    expect(safeUrl('javascript:alert(1)')).toBe('#');
    expect(safeUrl(' javascript:alert(1)')).toBe('#');
    expect(safeUrl('data:text/html,x')).toBe('#');
  });
});

describe('stylesheet', () => {
  const css = readFileSync(new URL('../src/http/assets/passerelle.css', import.meta.url), 'utf8');
  const vars = Object.fromEntries([...css.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1]!, m[2]!]));

  function luminance(hex: string): number {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function contrast(fg: string, bg: string): number {
    const [a, b] = [luminance(vars[fg]!), luminance(vars[bg]!)].sort((x, y) => y - x) as [number, number];
    return (a + 0.05) / (b + 0.05);
  }

  it('meets WCAG AA contrast for text (4.5:1) and UI parts (3:1)', () => {
    const text: [string, string][] = [
      ['text', 'bg'], ['text', 'surface'], ['muted', 'bg'], ['muted', 'surface'], ['link', 'bg'], ['link', 'surface'],
      ['link', 'error-bg'], ['visited', 'bg'], ['on-primary', 'primary'], ['on-primary', 'primary-hover'],
      ['error-text', 'error-bg'],
    ];
    for (const [fg, bg] of text) expect(contrast(fg, bg), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    for (const [fg, bg] of [['focus', 'bg'], ['focus', 'surface'], ['border', 'bg'], ['error-border', 'error-bg']] as const) {
      expect(contrast(fg, bg), `${fg} on ${bg}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('shows a focus outline', () => {
    expect(css).toMatch(/:focus-visible\s*\{[^}]*outline:\s*3px solid/);
  });
});
