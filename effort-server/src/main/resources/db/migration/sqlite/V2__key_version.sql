-- One counter that every change to api_keys bumps, in the changing statement's own transaction
-- (triggers, so even a change made by hand or by an older build counts). Each gateway node keeps
-- its keys in memory and reads this one row every quarter second: a new value means reload.

CREATE TABLE api_keys_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
) STRICT;

INSERT INTO api_keys_version (id, version) VALUES (1, 0);

CREATE TRIGGER api_keys_inserted AFTER INSERT ON api_keys
BEGIN
  UPDATE api_keys_version SET version = version + 1;
END;

CREATE TRIGGER api_keys_updated AFTER UPDATE ON api_keys
BEGIN
  UPDATE api_keys_version SET version = version + 1;
END;

CREATE TRIGGER api_keys_deleted AFTER DELETE ON api_keys
BEGIN
  UPDATE api_keys_version SET version = version + 1;
END;
