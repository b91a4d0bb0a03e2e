-- Bucket4j's PostgreSQL backend: one row per rate-limit bucket, shared by every node.
CREATE TABLE rate_buckets (
  id TEXT PRIMARY KEY,
  state BYTEA,
  expires_at BIGINT
);
CREATE INDEX rate_buckets_expiry ON rate_buckets (expires_at);
