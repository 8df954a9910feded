-- The audit trail is append-only: TRUNCATE is refused too (UPDATE and DELETE already are).
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
