-- Pro Santé Connect sessions (issue 12). A PSC sign-in opens a gateway session with no
-- certificate; this row ties it to the provider's session (`sid`, and `sub` for logout tokens
-- without one) so a back-channel or front-channel logout ends it, on every replica: the gateway
-- checks `ended_at` on every request. No session cookie or token is kept here, only our own
-- random id (also held in the session) and the provider's identifiers.
CREATE TABLE psc_sessions (
  id TEXT PRIMARY KEY,
  issuer TEXT NOT NULL,
  psc_sid TEXT,
  psc_sub TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  application_id TEXT NOT NULL,
  acr TEXT,
  created_at BIGINT NOT NULL,
  ended_at BIGINT,
  ended_reason TEXT
);
CREATE INDEX psc_sessions_sid ON psc_sessions (issuer, psc_sid);
CREATE INDEX psc_sessions_sub ON psc_sessions (issuer, psc_sub);
