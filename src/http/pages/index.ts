export { renderPage } from './render.ts';
export { DEFAULT_ASSET_BASE, Layout, type PageProps } from './layout.tsx';
export { LOGIN_FIELDS, LoginPage, type LoginError, type LoginPageProps } from './login.tsx';
export {
  DENIAL_REASONS,
  DeniedPage,
  type DenialDetails,
  type DenialReason,
  type DeniedPageProps,
} from './denied.tsx';
export { UpstreamErrorPage, type UpstreamErrorPageProps } from './upstream-error.tsx';
export { LoggedOutPage, type LoggedOutPageProps } from './logged-out.tsx';
export { ErrorPage, type ErrorPageProps } from './error.tsx';
export { FormExpiredPage } from './form-expired.tsx';
export { CRL_PATH, HelpPage, JWKS_PATH, applicationUrl, type HelpApplication, type HelpPageProps } from './help.tsx';
