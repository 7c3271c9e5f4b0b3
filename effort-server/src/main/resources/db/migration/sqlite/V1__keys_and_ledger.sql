-- SQLite flavour of V1; postgresql/V1__keys_and_ledger.sql has the same tables and columns.
-- Times are epoch milliseconds (UTC) in both engines, so every query is the same SQL on both.
-- STRICT: SQLite then refuses a value of the wrong type instead of storing it silently.

CREATE TABLE api_keys (
  id               INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: an id is never reused
  name             TEXT    NOT NULL,
  prefix           TEXT    NOT NULL,                  -- first characters of the secret, for display
  secret_sha256    BLOB    NOT NULL,                  -- the secret itself is never stored
  budget_usd_day   REAL,
  budget_usd_month REAL,
  max_effort       TEXT,
  default_effort   TEXT,
  rpm              INTEGER,
  tpm              INTEGER,
  agent            INTEGER NOT NULL,
  created_ms       INTEGER NOT NULL,
  revoked_ms       INTEGER
) STRICT;

CREATE UNIQUE INDEX api_keys_secret ON api_keys (secret_sha256);
-- A name is unique among active keys; a revoked key's name can be given to a new key.
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_ms IS NULL;

CREATE TABLE ledger (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  key_id           INTEGER REFERENCES api_keys (id),  -- null when the gateway runs without keys
  time_ms          INTEGER NOT NULL,
  api              TEXT    NOT NULL,
  asked_effort     TEXT,
  applied_effort   TEXT,
  plan             TEXT    NOT NULL,
  models           TEXT    NOT NULL,
  input_tokens     INTEGER NOT NULL,
  output_tokens    INTEGER NOT NULL,
  thinking_tokens  INTEGER NOT NULL,
  cost_usd         REAL    NOT NULL,
  ttft_ms          INTEGER,
  latency_ms       INTEGER NOT NULL,
  status           INTEGER NOT NULL,
  downgrade_reason TEXT,
  error            TEXT
) STRICT;

-- Budgets sum one key's cost since a time on every request.
CREATE INDEX ledger_key_time ON ledger (key_id, time_ms);
