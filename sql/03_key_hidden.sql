-- The credentials key is hidden from every role without pg_read_all_settings from the first
-- statement of every session, in every database: the library is preloaded wherever a key is
-- configured, so the setting is never a placeholder anyone could SHOW.
\set VERBOSITY default
CREATE EXTENSION pg_syncmaster CASCADE;
CREATE ROLE regress_kh_nobody LOGIN;
SELECT current_database() AS regress_db \gset
-- The server has a key (./sandbox generates one): superusers see that there is one.
SELECT current_setting('syncmaster.encryption_key') <> '' AS key_configured;

-- A role with no grants at all, in a fresh session of this database... (The session becomes the
-- role by SET SESSION AUTHORIZATION, its first statement: logging in as another role needs an
-- authentication a stock server, with peer for local connections, does not give.)
\c
SET SESSION AUTHORIZATION regress_kh_nobody;
SHOW syncmaster.encryption_key;
SELECT current_setting('syncmaster.encryption_key');
SHOW syncmaster.encryption_key_file;
SELECT count(*) AS key_rows FROM pg_settings WHERE name LIKE 'syncmaster.encryption_key%';
-- ... and in a database where pg_syncmaster is not installed.
\c postgres
SET SESSION AUTHORIZATION regress_kh_nobody;
SHOW syncmaster.encryption_key;
SELECT current_setting('syncmaster.encryption_key_file');
SELECT count(*) AS key_rows FROM pg_settings WHERE name LIKE 'syncmaster.encryption_key%';
\c :regress_db
DROP EXTENSION pg_syncmaster;
DROP ROLE regress_kh_nobody;
