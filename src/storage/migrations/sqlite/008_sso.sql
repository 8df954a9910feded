-- Portal single sign-on (issue 5): a tile click mints a ticket for one person and one
-- application, carried to the application host in the URL. Only a SHA-256 of its 256 random
-- bits is kept; it is spent once (used_at set by a compare-and-swap) and lives 60 seconds.
CREATE TABLE sso_tickets (
  id TEXT PRIMARY KEY,
  ticket_hash TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  application_id TEXT NOT NULL,
  -- When the portal session that asked for it verified the password: the gateway session keeps it.
  authenticated_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  created_ip TEXT
);
CREATE UNIQUE INDEX sso_tickets_hash ON sso_tickets (ticket_hash);
CREATE INDEX sso_tickets_expiry ON sso_tickets (expires_at);
