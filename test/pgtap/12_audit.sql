-- Every successful read of secrets leaves a record no rollback removes: the row in
-- credential_access goes with a rolled-back transaction or savepoint, the line in the server log
-- stays. The log is read through pg_current_logfile(), so this needs the logging collector (as
-- ./sandbox runs it); without it the log checks are skipped. Not one transaction, so that a
-- rollback can be shown: it cleans up after itself.
SELECT plan(7);

CREATE ROLE regress_au_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_au_worker LOGIN IN ROLE syncmaster_service;
SELECT syncmaster.create_user('regress_au_owner') AS owner_id \gset
SELECT syncmaster.create_group('regress_au_team', owner_id => :owner_id) AS team \gset
SET ROLE regress_au_owner;
SELECT syncmaster.create_connection(:team, 'regress_au_pg', 'postgres', '{"host": "pg", "database_name": "db"}',
                                    '{"type": "basic", "user": "u", "password": "p"}') AS conn \gset
RESET ROLE;

-- Whether the server log shows a read of connection `conn` by `role` after byte `offset`
-- (waits up to 10 s for the logging collector to write it).
CREATE FUNCTION pg_temp.logged_read(conn bigint, role text, since bigint) RETURNS boolean
    LANGUAGE plpgsql AS $$
DECLARE
    line text := format('syncmaster: credentials of connection %s read by role "%s"', conn, role);
BEGIN
    FOR attempt IN 1..100 LOOP
        IF position(line IN pg_read_file(pg_current_logfile(), since,
                                         (pg_stat_file(pg_current_logfile())).size - since)) > 0 THEN
            RETURN true;
        END IF;
        PERFORM pg_sleep(0.1);
    END LOOP;
    RETURN false;
END
$$;
CREATE FUNCTION pg_temp.log_size() RETURNS bigint LANGUAGE sql AS $$
    SELECT (pg_stat_file(pg_current_logfile())).size $$;
SELECT pg_current_logfile() IS NOT NULL AS collecting \gset

-- A worker reads the secrets in a transaction it rolls back.
SELECT CASE WHEN :'collecting'::boolean THEN pg_temp.log_size() ELSE 0 END AS since \gset
SET ROLE regress_au_worker;
BEGIN;
SELECT syncmaster.connection_credentials(:conn)->>'password' AS password \gset
ROLLBACK;
RESET ROLE;
SELECT is(:'password'::text, 'p', 'the worker read the secret');
SELECT is((SELECT count(*) FROM syncmaster.credential_access WHERE connection_id = :conn), 0::bigint,
          'the credential_access row went with the rollback');
SELECT CASE WHEN :'collecting'::boolean
            THEN ok(pg_temp.logged_read(:conn, 'regress_au_worker', :since),
                    'the server log kept the read')
            ELSE skip('no logging collector: pg_current_logfile() is NULL') END;

-- The same inside a savepoint rolled back, in a transaction that commits.
SELECT CASE WHEN :'collecting'::boolean THEN pg_temp.log_size() ELSE 0 END AS since \gset
SET ROLE regress_au_worker;
BEGIN;
SAVEPOINT before_read;
SELECT syncmaster.connection_credentials(:conn) IS NOT NULL AS read \gset
ROLLBACK TO SAVEPOINT before_read;
COMMIT;
RESET ROLE;
SELECT ok(:'read'::boolean, 'the worker read the secrets inside a savepoint');
SELECT is((SELECT count(*) FROM syncmaster.credential_access WHERE connection_id = :conn), 0::bigint,
          'the row went with the savepoint');
SELECT CASE WHEN :'collecting'::boolean
            THEN ok(pg_temp.logged_read(:conn, 'regress_au_worker', :since),
                    'the server log kept that read too')
            ELSE skip('no logging collector: pg_current_logfile() is NULL') END;

-- A refused read is no read.
SET ROLE regress_au_owner;
SELECT throws_ok(format('SELECT syncmaster.connection_credentials(%s)', :conn), '42501',
                 'You have no power here', 'a user is refused the secrets');
RESET ROLE;

SELECT * FROM finish();

-- Clean up.
DELETE FROM syncmaster."group" WHERE id = :team;
DELETE FROM syncmaster."user" WHERE id = :owner_id;
DELETE FROM syncmaster.credential_access WHERE connection_id = :conn;
DROP ROLE regress_au_owner, regress_au_worker;
