import type { ApplicationConfig, Config, SignInMethod } from '../config/schema.ts';

/** Per-application sign-in policy (`applications[].signIn`): which methods open it. */
export function allowsMethod(application: Pick<ApplicationConfig, 'signIn'>, method: SignInMethod): boolean {
  return application.signIn.methods.includes(method);
}

/** Pro Santé Connect opens this application: allowed by its policy and configured on the platform. */
export function allowsPsc(config: Pick<Config, 'psc'>, application: Pick<ApplicationConfig, 'signIn'>): boolean {
  return config.psc.enabled && allowsMethod(application, 'pro-sante-connect');
}

/** At least one certificate method opens it (else a certificate is never asked for). */
export function allowsCertificate(application: Pick<ApplicationConfig, 'signIn'>): boolean {
  return application.signIn.methods.some((m) => m !== 'pro-sante-connect');
}

const CERTIFICATE_METHOD = { personal: 'personal-certificate', collective: 'collective-certificate', cps: 'cps-card' } as const satisfies Record<string, SignInMethod>;

/** Does the application's policy accept this kind of certificate? (Internal hosts without a policy: all three.) */
export function allowsCertificateKind(application: Partial<Pick<ApplicationConfig, 'signIn'>>, kind: keyof typeof CERTIFICATE_METHOD): boolean {
  return application.signIn ? application.signIn.methods.includes(CERTIFICATE_METHOD[kind]) : true;
}
