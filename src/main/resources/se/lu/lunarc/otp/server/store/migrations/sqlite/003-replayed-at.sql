-- When a code of a token was last presented twice: the user is told on the Tokens tab (ASVS 2.8.5).
ALTER TABLE tokens ADD COLUMN replayed_at INTEGER;
