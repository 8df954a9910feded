-- Legacy identifiers (issue 5): one per person and application, carried to the application
-- from first use; `cut_over` once the cell has ended the migration period for it.
CREATE TABLE legacy_mappings (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  application_id TEXT NOT NULL,
  legacy_username TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('mapped', 'cut_over')),
  created_at INTEGER NOT NULL,
  cut_over_at INTEGER,
  cut_over_by TEXT
);
-- One legacy identifier → at most one person (case-insensitive); one mapping per person and application.
CREATE UNIQUE INDEX legacy_mappings_legacy ON legacy_mappings (application_id, lower(legacy_username));
CREATE UNIQUE INDEX legacy_mappings_user ON legacy_mappings (user_id, application_id);
CREATE INDEX legacy_mappings_username ON legacy_mappings (lower(legacy_username));
CREATE INDEX legacy_mappings_status ON legacy_mappings (application_id, status);

-- Directory mode: the application's existing accounts, imported with `passerelle legacy import`.
CREATE TABLE legacy_accounts (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL,
  username TEXT NOT NULL,
  display_name TEXT,
  email TEXT,
  password_hash TEXT NOT NULL,
  imported_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX legacy_accounts_username ON legacy_accounts (application_id, lower(username));

-- Consecutive wrong passwords per legacy identifier (key: lower-cased), shared by the
-- first-use page and the portal; locked at config.lockout.maxFailures until the cell unlocks.
CREATE TABLE legacy_failures (
  application_id TEXT NOT NULL,
  username_key TEXT NOT NULL,
  failures INTEGER NOT NULL,
  locked_at INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (application_id, username_key)
);

-- "New to the application": the person said they had no legacy account (the page is not shown again).
CREATE TABLE legacy_declines (
  user_id TEXT NOT NULL REFERENCES users(id),
  application_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, application_id)
);

-- Applications the cell cut over from the console, API or CLI (config `legacy.cutOver` is the other way).
CREATE TABLE legacy_applications (
  application_id TEXT PRIMARY KEY,
  cut_over_at INTEGER NOT NULL,
  cut_over_by TEXT NOT NULL
);

-- Valid legacy credentials whose identifier is already mapped to someone else: left to the cell.
CREATE TABLE legacy_conflicts (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL,
  legacy_username TEXT NOT NULL,
  claimant_user_id TEXT NOT NULL REFERENCES users(id),
  holder_user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  resolved_at INTEGER,
  resolved_by TEXT,
  resolution TEXT CHECK (resolution IN ('dismissed', 'reassigned'))
);
CREATE INDEX legacy_conflicts_open ON legacy_conflicts (resolved_at, created_at);
