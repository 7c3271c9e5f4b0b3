-- PostgreSQL flavour of V2: one counter that every change to api_keys bumps, in the changing
-- statement's own transaction (a trigger, so even a change made by hand or by an older build
-- counts). Each gateway node keeps its keys in memory and reads this one row every quarter
-- second: a new value means reload.

CREATE TABLE api_keys_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT  NOT NULL
);

INSERT INTO api_keys_version (id, version) VALUES (1, 0);

-- The table's own schema, not the caller's search_path: a change made from psql counts too.
CREATE FUNCTION api_keys_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('UPDATE %I.api_keys_version SET version = version + 1', TG_TABLE_SCHEMA);
  RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION api_keys_bump_version();
