-- A first look at pg_syncmaster: install it, see what it made, and meet identity, the question
-- every rule starts from: who is acting?
\set SHOW_CONTEXT never

-- One command installs it, with pg_trgm. This database has no pg_cron, and needs none.
CREATE EXTENSION pg_syncmaster CASCADE;
-- (at the newest version, the default_version of pg_syncmaster.control)
SELECT e.extname, e.extversion = a.default_version AS newest_version
FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname
WHERE e.extname IN ('pg_syncmaster', 'pg_trgm', 'pg_cron') ORDER BY e.extname;

-- The schema syncmaster holds the eight tables of SyncMaster, an audit of credential reads and
-- the kept totals of two list functions, each behind row-level security.
SELECT c.relname AS table, c.relrowsecurity AS row_level_security,
       (SELECT count(*) FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
FROM pg_class c
WHERE c.relnamespace = 'syncmaster'::regnamespace AND c.relkind = 'r'
ORDER BY c.relname;

-- Three roles: people's roles join syncmaster_user; applications that authenticate people
-- themselves join syncmaster_app; workers and operators, the system, join syncmaster_service.
SELECT r.rolname, r.rolcanlogin, array(SELECT b.rolname FROM pg_auth_members m
                                       JOIN pg_roles b ON b.oid = m.roleid
                                       WHERE m.member = r.oid) AS member_of
FROM pg_roles r WHERE r.rolname LIKE 'syncmaster\_%' ORDER BY r.rolname;

-- We installed it as a PostgreSQL superuser, so we act as the system: no user row, every power.
SELECT * FROM syncmaster.whoami();

-- The system creates users. A PostgreSQL role acts as the user of the same name.
CREATE ROLE regress_ann LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_ben LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_stranger LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('regress_ann', email => 'ann@example.com', first_name => 'Ann');
SELECT syncmaster.create_user('regress_ben', is_active => false);
SELECT syncmaster.create_user('regress_root', is_superuser => true);

SET ROLE regress_ann;
SELECT * FROM syncmaster.whoami();
SELECT syncmaster.current_user_id();

-- Ann is no superuser: she may not create users, whichever way she tries.
SELECT syncmaster.create_user('regress_eve');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO syncmaster."user" (username) VALUES ('regress_eve');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- An error never breaks the session: the next statement works.
SELECT username FROM syncmaster.whoami();

-- Nor may she pretend to be someone else.
SET syncmaster.acting_user = 'regress_root';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;

-- Roles with no user, and inactive users, do not get in.
SET ROLE regress_stranger;
SELECT * FROM syncmaster.whoami();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SET ROLE regress_ben;
SELECT * FROM syncmaster.whoami();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;

-- An application (a web portal) authenticates people itself and, in each transaction, says whom
-- it acts for. Naming nobody, it is nobody: never the system.
CREATE ROLE regress_portal LOGIN IN ROLE syncmaster_app;
SET ROLE regress_portal;
SELECT * FROM syncmaster.whoami();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
BEGIN;
SET LOCAL syncmaster.acting_user = 'regress_ann';
SELECT * FROM syncmaster.whoami();
COMMIT;
BEGIN;
SET LOCAL syncmaster.acting_user = 'regress_nobody';
SELECT * FROM syncmaster.whoami();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
RESET ROLE;

-- A worker is the system: a member of syncmaster_service, naming nobody.
CREATE ROLE regress_worker LOGIN IN ROLE syncmaster_service;
SET ROLE regress_worker;
SELECT * FROM syncmaster.whoami();
RESET ROLE;

-- Usernames are unique.
SELECT syncmaster.create_user('regress_ann');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT username, email, first_name, is_superuser, is_active
FROM syncmaster."user" ORDER BY id;

-- DROP EXTENSION takes everything with it but the roles, which are cluster-wide; it installs
-- again cleanly.
DROP EXTENSION pg_syncmaster;
SELECT count(*) AS syncmaster_schemas FROM pg_namespace WHERE nspname = 'syncmaster';
SELECT rolname FROM pg_roles WHERE rolname LIKE 'syncmaster\_%' ORDER BY rolname;
CREATE EXTENSION pg_syncmaster;
SELECT count(*) AS users_after_reinstall FROM syncmaster."user";
DROP EXTENSION pg_syncmaster;

DROP ROLE regress_ann, regress_ben, regress_stranger, regress_portal, regress_worker;
