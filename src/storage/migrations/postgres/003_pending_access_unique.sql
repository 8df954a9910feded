-- One pending access request per person and application, even when two arrive together.
CREATE UNIQUE INDEX access_requests_pending ON access_requests (user_id, application_id) WHERE status = 'pending';
