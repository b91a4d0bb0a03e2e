-- Wrong codes per user and source (the station the user logs in from), so that guesses slow that place down.
DROP TABLE validate_failures;
CREATE TABLE code_failures (
  username TEXT NOT NULL,
  source TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  next_try INTEGER NOT NULL DEFAULT 0,
  last_success INTEGER,
  PRIMARY KEY (username, source)
);
