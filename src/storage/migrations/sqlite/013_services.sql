-- Establishment services and delegated administration (issue 15).
--
-- A service (department) belongs to one establishment; people of that establishment are its
-- members; an application granted to a service reaches its members while they belong to it —
-- and only while the cell allows that application to the establishment
-- (establishment_applications): the access check joins all four, so withdrawing any link
-- takes effect at the next request. Establishment administrators are people the cell names
-- per establishment (establishment_admins).
-- Every table here decides access: src/storage/changes.ts lists them for the gateway's cache.

CREATE TABLE services (
  id TEXT PRIMARY KEY,
  establishment_id TEXT NOT NULL REFERENCES establishments(id),
  name TEXT NOT NULL,
  code TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX services_name ON services (establishment_id, name);
CREATE UNIQUE INDEX services_code ON services (establishment_id, code) WHERE code IS NOT NULL;

CREATE TABLE service_members (
  service_id TEXT NOT NULL REFERENCES services(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (service_id, user_id)
);
CREATE INDEX service_members_user ON service_members (user_id, service_id);

CREATE TABLE service_grants (
  service_id TEXT NOT NULL REFERENCES services(id),
  application_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (service_id, application_id)
);

-- What the cell lets an establishment grant to its services.
CREATE TABLE establishment_applications (
  establishment_id TEXT NOT NULL REFERENCES establishments(id),
  application_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (establishment_id, application_id)
);

CREATE TABLE establishment_admins (
  establishment_id TEXT NOT NULL REFERENCES establishments(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (establishment_id, user_id)
);
CREATE INDEX establishment_admins_user ON establishment_admins (user_id, establishment_id);
