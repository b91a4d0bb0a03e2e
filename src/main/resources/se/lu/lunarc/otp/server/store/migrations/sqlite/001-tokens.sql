-- Tokens, their states and the failures of /validate (replaced by 002).
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  name TEXT NOT NULL COLLATE NOCASE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled', 'revoked')),
  secret BLOB,
  created INTEGER NOT NULL,
  activate_before INTEGER,
  activated INTEGER,
  expires INTEGER,
  last_used INTEGER,
  last_step INTEGER NOT NULL DEFAULT -1,
  drift_steps INTEGER NOT NULL DEFAULT 0,
  failed_attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_by_user ON tokens (username);
CREATE UNIQUE INDEX tokens_unique_name ON tokens (username, name) WHERE status <> 'revoked';
CREATE TABLE validate_failures (
  username TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  locked_until INTEGER
);
