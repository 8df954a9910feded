/** Establishment services (departments) and delegated administration (issue 15). */

export interface Service {
  id: string;
  establishmentId: string;
  name: string;
  /** A short code applications may map to roles (e.g. `PNEUMO`), or null. */
  code: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A service with its member count and the applications granted to it. */
export interface ServiceSummary extends Service {
  members: number;
  applications: string[];
}

/** One person's membership of one service. */
export interface ServiceMembership {
  serviceId: string;
  serviceName: string;
  serviceCode: string | null;
  establishmentId: string;
  since: number;
}

/** A member as a service's page lists them. */
export interface ServiceMember {
  userId: string;
  identifier: string;
  givenName: string;
  familyName: string;
  status: string;
  since: number;
}

/** An application reaching a person through a service (the person page's "where access comes from"). */
export interface ServiceAccess {
  applicationId: string;
  serviceId: string;
  serviceName: string;
}

/** A person an establishment administrator sees in their list. */
export interface EstablishmentPerson {
  id: string;
  identifier: string;
  givenName: string;
  familyName: string;
  email: string;
  profession: string | null;
  status: string;
  establishmentId: string;
  termsAcceptedAt: number | null;
  invitedAt: number | null;
  provisionalExpiresAt: number | null;
}
