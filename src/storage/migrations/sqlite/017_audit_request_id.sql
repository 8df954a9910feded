-- The id of the HTTP request that caused each audit event (the access log's reqId, sent upstream as X-Request-Id).
ALTER TABLE audit_events ADD COLUMN request_id TEXT;
CREATE INDEX audit_request ON audit_events (request_id);
