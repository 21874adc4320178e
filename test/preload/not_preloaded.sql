-- A cluster whose shared_preload_libraries does not name pg_syncmaster: the library loads on first
-- use. That works while no credentials key is configured; once one is, the key would be readable
-- by every role until the library loads (and always in databases where it never does), so every
-- load is refused with the remedy. Run by test/t/005_preload.pl on a cluster of its own.
\set VERBOSITY default
\set SHOW_CONTEXT never
-- The superuser this script runs as (reconnections return to it).
SELECT current_user AS superuser \gset
CREATE EXTENSION pg_syncmaster CASCADE;
CREATE ROLE regress_pre_mallory LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('regress_pre_admin', is_superuser => true) > 0 AS admin_created;
SELECT syncmaster.create_user('regress_pre_mallory') > 0 AS mallory_created;

-- Who may name a user: a value of syncmaster.acting_user set by an unprivileged role before the
-- library loaded never counts. A fresh session has not loaded it yet: the setting is a mere
-- placeholder that anyone can set.
\c - regress_pre_mallory
SET syncmaster.acting_user = 'regress_pre_admin';
SHOW syncmaster.acting_user;
-- Loading the library (whoami does) re-applies the placeholder with the privileges of the role
-- that set it, which may not: the value is dropped, and mallory acts as herself.
SELECT username, is_superuser FROM syncmaster.whoami();
SHOW syncmaster.acting_user;

-- A key in the configuration without the library preloaded: a fresh session of any role reads it.
\c - :superuser
SELECT username FROM syncmaster.whoami();  -- loads the library: the setting is known, and checked
ALTER SYSTEM SET syncmaster.encryption_key = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
\c - regress_pre_mallory
SHOW syncmaster.encryption_key;
-- So the library refuses to load, with the remedy, in every session of every role.
SELECT syncmaster.whoami();
\c - :superuser
SELECT syncmaster.whoami();
-- The same for a key file.
ALTER SYSTEM RESET syncmaster.encryption_key;
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
\c - :superuser
SELECT username FROM syncmaster.whoami();
ALTER SYSTEM SET syncmaster.encryption_key_file = 'syncmaster.key';
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
\c - :superuser
SELECT syncmaster.whoami();
ALTER SYSTEM RESET syncmaster.encryption_key_file;
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
\c - :superuser
SELECT username FROM syncmaster.whoami();
