/** One single sign-on ticket, as stored (the ticket itself never is: only its SHA-256). */
export interface SsoTicket {
  id: string;
  ticketHash: string;
  userId: string;
  applicationId: string;
  /** When the portal session that asked for the ticket verified the password. */
  authenticatedAt: number;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  createdIp: string | null;
}
