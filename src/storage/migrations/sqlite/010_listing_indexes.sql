-- Console listings stay fast at 100,000 rows: certificates newest first / soonest to expire,
-- and the audit trail filtered by who acted.
CREATE INDEX certificates_created ON certificates (created_at, serial);
CREATE INDEX certificates_expiry ON certificates (status, not_after, serial);
CREATE INDEX audit_actor ON audit_events (actor, at);
-- Covered by certificates_expiry above.
DROP INDEX IF EXISTS console_certificates_expiry;
