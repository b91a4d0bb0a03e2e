-- What proves that a node holds the key the secrets were sealed with.
CREATE TABLE store_key (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  check_value BLOB NOT NULL
);
