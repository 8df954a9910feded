ALTER TABLE users ADD COLUMN profession TEXT;
ALTER TABLE users ADD COLUMN rpps TEXT;
ALTER TABLE users ADD COLUMN provisional_expires_at INTEGER;
ALTER TABLE users ADD COLUMN terms_accepted_at INTEGER;
ALTER TABLE users ADD COLUMN notifications_opt_in INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN previous_login_at INTEGER;
ALTER TABLE users ADD COLUMN previous_login_ip TEXT;
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'fr';
CREATE INDEX users_rpps ON users (rpps);

ALTER TABLE certificates ADD COLUMN renewal_notified_at INTEGER;
ALTER TABLE certificates ADD COLUMN replaces_serial TEXT;

CREATE TABLE registrations (
  id TEXT PRIMARY KEY,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  email TEXT NOT NULL,
  profession TEXT,
  rpps TEXT,
  establishment_id TEXT REFERENCES establishments(id),
  establishment_name TEXT,
  reason TEXT,
  requested_application TEXT,
  lang TEXT NOT NULL DEFAULT 'fr',
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by TEXT,
  decided_at INTEGER,
  decision_reason TEXT,
  user_id TEXT REFERENCES users(id),
  ip TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX registrations_status ON registrations (status, created_at);
CREATE INDEX registrations_email ON registrations (email);

CREATE TABLE certificate_requests (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('personal', 'collective')),
  user_id TEXT REFERENCES users(id),
  establishment_id TEXT REFERENCES establishments(id),
  label TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
  requested_by TEXT NOT NULL,
  decided_by TEXT,
  decided_at INTEGER,
  decision_reason TEXT,
  certificate_serial TEXT,
  created_at INTEGER NOT NULL,
  CHECK ((kind = 'personal' AND user_id IS NOT NULL) OR (kind = 'collective' AND establishment_id IS NOT NULL AND user_id IS NULL))
);
CREATE INDEX certificate_requests_status ON certificate_requests (status, created_at);
CREATE INDEX certificate_requests_user ON certificate_requests (user_id);

CREATE TABLE withdrawal_codes (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES certificate_requests(id),
  code_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('unused', 'used', 'locked', 'superseded')),
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  csr_sha256 TEXT,
  certificate_serial TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX withdrawal_codes_request ON withdrawal_codes (request_id, status);

CREATE TABLE access_requests (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  application_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'rejected')),
  decided_by TEXT,
  decided_at INTEGER,
  decision_reason TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX access_requests_status ON access_requests (status, created_at);
CREATE INDEX access_requests_user ON access_requests (user_id);

CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,
  template TEXT NOT NULL,
  lang TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  locked_until INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);

CREATE TABLE password_history (
  user_id TEXT NOT NULL REFERENCES users(id),
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, created_at);

CREATE TABLE email_changes (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  new_email TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  created_at INTEGER NOT NULL
);
