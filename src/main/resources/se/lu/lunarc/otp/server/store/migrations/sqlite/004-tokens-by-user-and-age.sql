-- A user's tokens in the order they are listed, straight from the index instead of a sort.
DROP INDEX tokens_by_user;
CREATE INDEX tokens_by_user ON tokens (username, created);
