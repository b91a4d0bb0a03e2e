-- Tokens and wrong codes per user and source, as on SQLite at its migration 4.
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  username TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled', 'revoked')),
  secret BYTEA,
  created BIGINT NOT NULL,
  activate_before BIGINT,
  activated BIGINT,
  expires BIGINT,
  last_used BIGINT,
  last_step BIGINT NOT NULL DEFAULT -1,
  drift_steps BIGINT NOT NULL DEFAULT 0,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  replayed_at BIGINT
);
CREATE INDEX tokens_by_user ON tokens (username, created, seq);
CREATE UNIQUE INDEX tokens_unique_name ON tokens (username, lower(name)) WHERE status <> 'revoked';
CREATE TABLE code_failures (
  username TEXT NOT NULL,
  source TEXT NOT NULL,
  failures BIGINT NOT NULL DEFAULT 0,
  next_try BIGINT NOT NULL DEFAULT 0,
  last_success BIGINT,
  PRIMARY KEY (username, source)
);
