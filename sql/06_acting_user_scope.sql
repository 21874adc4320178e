-- An application acts only for the user it names in the current transaction.
--
-- The statements below run one by one, as an application in autocommit mode sends them, and as a
-- transaction pooler hands the statements of many clients to one shared server session. Every way
-- of naming nobody (never set, empty, RESET, SET LOCAL outside a transaction, a SET left on the
-- session by an earlier transaction, a change undone by ROLLBACK TO SAVEPOINT) acts as nobody,
-- 28000, through the API and through direct DML alike: never as the system, never as whoever set
-- the session last.
\set SHOW_CONTEXT never
CREATE EXTENSION pg_syncmaster CASCADE;
SELECT syncmaster.create_user('regress_grace') > 0 AS grace,
       syncmaster.create_user('regress_barbara') > 0 AS barbara;
CREATE ROLE regress_app LOGIN IN ROLE syncmaster_app;
CREATE ROLE regress_worker LOGIN IN ROLE syncmaster_service;
-- Creating a user takes the system (or a superuser): what an application that fails open could do.
\set api 'SELECT syncmaster.create_user(''regress_intruder'')'
\set dml 'INSERT INTO syncmaster."user" (username) VALUES (''regress_intruder'')'

SET ROLE regress_app;
-- Never set.
:api;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
:dml;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Set to the empty string, in the transaction.
BEGIN;
SET LOCAL syncmaster.acting_user = '';
:api;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;

-- SET LOCAL outside a transaction block only warns, and ends with its own statement.
SET LOCAL syncmaster.acting_user = 'regress_grace';
:api;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
:dml;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- A session-level SET counts in its own transaction only; the next statement is a new one.
SET syncmaster.acting_user = 'regress_barbara';
SHOW syncmaster.acting_user;
SELECT username FROM syncmaster.whoami();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
:dml;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Behind a pooler that was another client's SET: this client names its own user in its
-- transaction and acts as that user only, and the leftover never counts again afterwards.
BEGIN;
SET LOCAL syncmaster.acting_user = 'regress_grace';
SELECT username FROM syncmaster.whoami();
:api;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT username FROM syncmaster.whoami();
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- set_config(..., true) is SET LOCAL; a plain SET inside a transaction counts until it ends.
BEGIN;
SELECT set_config('syncmaster.acting_user', 'regress_grace', true) AS acting_user;
SELECT username FROM syncmaster.whoami();
COMMIT;
BEGIN;
SET syncmaster.acting_user = 'regress_grace';
SELECT username FROM syncmaster.whoami();
COMMIT;
SELECT username FROM syncmaster.whoami();
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- A change undone by ROLLBACK TO SAVEPOINT leaves only the leftover, which does not count.
BEGIN;
SAVEPOINT before_naming;
SET LOCAL syncmaster.acting_user = 'regress_barbara';
ROLLBACK TO SAVEPOINT before_naming;
SELECT username FROM syncmaster.whoami();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;

-- RESET, and nothing at all.
RESET syncmaster.acting_user;
:api;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
:dml;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;

-- The system names nobody: a worker may not set the acting user, and one left on its session
-- does not change what it is.
SET syncmaster.acting_user = 'regress_grace';
SET ROLE regress_worker;
SELECT * FROM syncmaster.whoami();
BEGIN;
SET LOCAL syncmaster.acting_user = 'regress_barbara';
ROLLBACK;
RESET ROLE;
RESET syncmaster.acting_user;

-- None of it created a user.
SELECT username FROM syncmaster."user" ORDER BY id;
DROP EXTENSION pg_syncmaster;
DROP ROLE regress_app, regress_worker;
