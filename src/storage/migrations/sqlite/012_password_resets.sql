-- Forgotten password (issue 9): the mail carries a single-use link instead of a new provisional
-- password, so asking for one cuts nobody off. Only a SHA-256 of the link's 256 random bits is
-- kept; the link is spent once (used_at set by a compare-and-swap) and lives one hour. Issuing a
-- new link spends the older unused ones of the same account.
CREATE TABLE password_resets (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  created_ip TEXT
);
CREATE UNIQUE INDEX password_resets_hash ON password_resets (token_hash);
CREATE INDEX password_resets_user ON password_resets (user_id, used_at);
CREATE INDEX password_resets_expiry ON password_resets (expires_at);
