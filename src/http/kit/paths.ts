/** The gateway's own sign-in page on every application host and on the console host. */
export const LOGIN_PATH = '/.passerelle/login';

/** Single sign-on from the portal's tiles lands here on the application host. */
export const SSO_PATH = '/.passerelle/sso';
