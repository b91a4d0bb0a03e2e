-- Wrong passwords per name and source, as code_failures counts wrong codes, and the name a RADIUS State was asked under.
CREATE TABLE password_failures (
  username TEXT NOT NULL,
  source TEXT NOT NULL,
  failures BIGINT NOT NULL DEFAULT 0,
  next_try BIGINT NOT NULL DEFAULT 0,
  last_success BIGINT,
  PRIMARY KEY (username, source)
);
ALTER TABLE radius_states ADD COLUMN asked_as TEXT;
