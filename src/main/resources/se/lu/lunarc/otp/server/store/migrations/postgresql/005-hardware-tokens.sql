-- Hardware tokens imported from a vendor's PSKC file, until a user registers one.
CREATE TABLE hardware_tokens (
  serial TEXT PRIMARY KEY,
  manufacturer TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('hotp', 'totp')),
  digits INTEGER NOT NULL,
  period INTEGER NOT NULL,
  counter BIGINT NOT NULL,
  secret BYTEA NOT NULL,
  imported BIGINT NOT NULL,
  assigned_to TEXT,
  token_id TEXT
);
