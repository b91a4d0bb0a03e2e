-- Sign-in state every node sees the same: sessions, sign-ins waiting for their SMS code, spent proofs, RADIUS States and SMS rounds.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  username TEXT NOT NULL,
  created BIGINT NOT NULL,
  last_used BIGINT NOT NULL,
  address TEXT
);
CREATE INDEX sessions_by_user ON sessions (username);
CREATE TABLE pending_logins (
  id_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  mobile TEXT NOT NULL,
  code_hash BLOB NOT NULL,
  code_expires BIGINT NOT NULL,
  last_sent BIGINT NOT NULL,
  tries_left INTEGER NOT NULL,
  resends INTEGER NOT NULL,
  expires BIGINT NOT NULL
);
CREATE INDEX pending_logins_expiry ON pending_logins (expires);
CREATE TABLE spent_proofs (
  signature TEXT PRIMARY KEY,
  expires BIGINT NOT NULL
);
CREATE INDEX spent_proofs_expiry ON spent_proofs (expires);
CREATE TABLE radius_states (
  state_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  nas TEXT NOT NULL,
  expect TEXT NOT NULL,
  notice TEXT,
  expires BIGINT NOT NULL
);
CREATE INDEX radius_states_expiry ON radius_states (expires);
CREATE TABLE radius_sms_rounds (
  username TEXT PRIMARY KEY,
  code_hash BLOB,
  code_expires BIGINT NOT NULL DEFAULT 0,
  last_sent BIGINT,
  tries_left INTEGER NOT NULL DEFAULT 0,
  codes_sent INTEGER NOT NULL DEFAULT 0,
  expires BIGINT NOT NULL
);
