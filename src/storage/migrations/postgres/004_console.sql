-- Coordination console: four-eyes approvals, TOTP second factor, dashboard indexes.

-- An action a coordinator asked for that a SECOND coordinator must confirm before it runs.
-- One open approval (pending or running) per item, whatever the action.
CREATE TABLE console_approvals (
  id TEXT PRIMARY KEY,
  action TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  summary TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
  requested_by TEXT NOT NULL,
  requested_by_user_id TEXT NOT NULL REFERENCES users(id),
  requested_ip TEXT,
  requested_at BIGINT NOT NULL,
  decided_by TEXT,
  decided_by_user_id TEXT REFERENCES users(id),
  decided_ip TEXT,
  decided_at BIGINT,
  error TEXT
);
CREATE INDEX console_approvals_status ON console_approvals (status, requested_at);
CREATE UNIQUE INDEX console_approvals_open ON console_approvals (target_kind, target_id) WHERE status IN ('pending', 'running');

-- A coordinator's TOTP secret (AES-256-GCM, never in clear) and the last time step used,
-- so a code works once. `pending` until the first code confirms the enrolment.
CREATE TABLE console_totp (
  user_id TEXT PRIMARY KEY REFERENCES users(id),
  secret TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'enabled')),
  last_step BIGINT,
  created_at BIGINT NOT NULL,
  enabled_at BIGINT
);

-- Single-use recovery codes: `lookup` (the first group, not secret) finds the row, the whole
-- code is checked against its argon2id hash.
CREATE TABLE console_recovery_codes (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  lookup TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  used_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX console_recovery_codes_lookup ON console_recovery_codes (user_id, lookup);

-- Dashboard counts, one indexed query each. (Locked accounts use 005's people_status_name.)
CREATE INDEX console_certificates_expiry ON certificates (status, not_after);
