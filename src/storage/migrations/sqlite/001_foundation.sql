CREATE TABLE establishments (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  finess TEXT UNIQUE,
  referent_email TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  identifier TEXT NOT NULL UNIQUE,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  email TEXT NOT NULL,
  establishment_id TEXT REFERENCES establishments(id),
  role TEXT NOT NULL CHECK (role IN ('clinician', 'coordinator')),
  status TEXT NOT NULL CHECK (status IN ('provisional', 'active', 'locked', 'deactivated')),
  password_hash TEXT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_at INTEGER,
  last_login_at INTEGER,
  last_login_ip TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX users_email ON users (email);
CREATE INDEX users_establishment ON users (establishment_id);

CREATE TABLE certificates (
  serial TEXT PRIMARY KEY,
  fingerprint_sha256 TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('personal', 'collective')),
  user_id TEXT REFERENCES users(id),
  establishment_id TEXT REFERENCES establishments(id),
  label TEXT NOT NULL,
  subject TEXT NOT NULL,
  not_before INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('valid', 'revoked')),
  revoked_at INTEGER,
  revocation_reason TEXT,
  pem TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  CHECK ((kind = 'personal' AND user_id IS NOT NULL) OR (kind = 'collective' AND establishment_id IS NOT NULL AND user_id IS NULL))
);
CREATE INDEX certificates_user ON certificates (user_id);
CREATE INDEX certificates_establishment ON certificates (establishment_id);
CREATE INDEX certificates_revoked ON certificates (status, revoked_at);

CREATE TABLE grants (
  user_id TEXT NOT NULL REFERENCES users(id),
  application_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('granted', 'revoked')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, application_id)
);

CREATE TABLE crls (
  number INTEGER PRIMARY KEY,
  der BLOB NOT NULL,
  this_update INTEGER NOT NULL,
  next_update INTEGER NOT NULL
);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'info')),
  reason TEXT,
  actor TEXT,
  ip TEXT,
  certificate_serial TEXT,
  application_id TEXT,
  subject TEXT,
  details TEXT
);
CREATE INDEX audit_at ON audit_events (at);
CREATE INDEX audit_action ON audit_events (action, at);
CREATE INDEX audit_subject ON audit_events (subject, at);

-- The audit trail is append-only.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
