-- Credentials and the key: connection secrets are sealed with the server's Fernet key, shown to
-- nobody but the system, and refused with a clear error when the key is missing or wrong.
\set SHOW_CONTEXT never
CREATE EXTENSION pg_syncmaster CASCADE;
CREATE ROLE regress_k_owner LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('regress_k_owner') AS owner \gset
SELECT syncmaster.create_group('regress_k_team', owner_id => :owner) AS team \gset

-- With the key the server was started with, the owner stores a connection and its password.
SET ROLE regress_k_owner;
SELECT syncmaster.create_connection(:team, 'warehouse', 'postgres',
                                    '{"host": "dwh", "database_name": "dwh"}',
                                    '{"type": "basic", "user": "etl", "password": "hunter2"}') AS warehouse \gset
-- It comes back without the password.
SELECT syncmaster.connection_auth(:warehouse);
RESET ROLE;
-- What is stored is a Fernet token, not the password.
SELECT value LIKE 'gAAAAA%' AS is_fernet_token, value NOT LIKE '%hunter2%' AS hides_password
FROM syncmaster.auth_data WHERE connection_id = :warehouse;
-- The system (here a superuser) reads it in full; the read is recorded.
SELECT syncmaster.connection_credentials(:warehouse);
SELECT connection_id = :warehouse AS this_connection, session_role = session_user AS by_us
FROM syncmaster.credential_access;

-- A value that is no Fernet key is refused when the configuration is written.
ALTER SYSTEM SET syncmaster.encryption_key = 'not-a-key';

-- Without a key, credentials can neither be written nor read.
ALTER SYSTEM SET syncmaster.encryption_key = '';
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
SELECT syncmaster.connection_auth(:warehouse);
SET ROLE regress_k_owner;
SELECT syncmaster.create_connection(:team, 'lake', 'hdfs', '{"cluster": "rnd"}',
                                    '{"type": "basic", "user": "etl", "password": "x"}');
RESET ROLE;

-- The key may also come from a file only the server reads (a path relative to the data
-- directory here).
CREATE FUNCTION pg_temp.write_key_file(contents text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COPY (SELECT %L) TO %L', contents,
                   current_setting('data_directory') || '/syncmaster_regress.key');
END
$$;
SELECT pg_temp.write_key_file('not a key either');
ALTER SYSTEM SET syncmaster.encryption_key_file = 'syncmaster_regress.key';
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
SELECT syncmaster.connection_auth(:warehouse);
SELECT pg_temp.write_key_file('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=');
-- With another key, the old token cannot be opened: an error, never garbage.
SELECT syncmaster.connection_auth(:warehouse);
-- New credentials are sealed with the file's key, and read back.
SET ROLE regress_k_owner;
SELECT syncmaster.create_connection(:team, 'lake', 'hdfs', '{"cluster": "rnd"}',
                                    '{"type": "basic", "user": "etl", "password": "x"}') AS lake \gset
SELECT syncmaster.connection_auth(:lake);
RESET ROLE;
ALTER SYSTEM SET syncmaster.encryption_key_file = 'no_such.key';
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
SELECT syncmaster.connection_auth(:lake);

-- Back to the server's key.
ALTER SYSTEM RESET syncmaster.encryption_key;
ALTER SYSTEM RESET syncmaster.encryption_key_file;
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
SELECT syncmaster.connection_auth(:warehouse);

DROP EXTENSION pg_syncmaster;
DROP ROLE regress_k_owner;
