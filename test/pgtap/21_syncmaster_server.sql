-- SyncMaster's own server as a client: what it writes directly (credentials, the owner-change
-- sequence, its stop of a queued run, deletes that cascade, runs without credentials), the errors
-- it reads by constraint name, its deployment's tables, and the settings that give its dispatcher
-- and scheduler the runs. Each rule on direct DML and on the API functions.
BEGIN;
SELECT plan(83);

CREATE ROLE regress_x_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_x_heir LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_x_dev LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_x_guest LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_x_maint LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_x_root LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_x_server LOGIN IN ROLE syncmaster_service;
SELECT syncmaster.create_user('regress_x_owner') AS owner_id \gset
SELECT syncmaster.create_user('regress_x_heir') AS heir_id \gset
SELECT syncmaster.create_user('regress_x_dev') AS dev_id \gset
SELECT syncmaster.create_user('regress_x_guest') AS guest_id \gset
SELECT syncmaster.create_user('regress_x_maint') AS maint_id \gset
SELECT syncmaster.create_user('regress_x_root', is_superuser => true) AS root_id \gset
SELECT syncmaster.create_group('regress_x_team', owner_id => :owner_id) AS team \gset
SELECT syncmaster.add_group_member(:team, :heir_id, 'Developer');
SELECT syncmaster.add_group_member(:team, :dev_id, 'Developer');
SELECT syncmaster.add_group_member(:team, :guest_id, 'Guest');
SELECT syncmaster.add_group_member(:team, :maint_id, 'Maintainer');
SELECT syncmaster.create_connection(:team, 'regress_x_pg', 'postgres', '{"host": "h", "database_name": "d"}',
                                    '{"type": "basic", "user": "etl", "password": "S3CR3T"}') AS pg \gset
SELECT syncmaster.create_connection(:team, 'regress_x_s3', 's3', '{"host": "h", "bucket": "b", "region": "r"}',
                                    '{"type": "s3", "access_key": "a", "secret_key": "s"}') AS s3 \gset
SELECT syncmaster.copy_connection(:pg, :team, 'regress_x_copy') AS copy \gset
SELECT syncmaster.create_queue(:team, 'regress x queue') AS queue \gset
SELECT slug FROM syncmaster.queue WHERE id = :queue \gset
SELECT syncmaster.create_transfer(:team, 'regress_x_load', :pg, :pg, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}') AS t \gset

-- What a refusal tells a driver: SQLSTATE, constraint, table, schema, detail.
CREATE FUNCTION pg_temp.diag(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    state text; cons text; tbl text; sch text; det text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, cons = CONSTRAINT_NAME,
                            tbl = TABLE_NAME, sch = SCHEMA_NAME, det = PG_EXCEPTION_DETAIL;
    RETURN concat_ws(' ', state, sch || '.' || tbl || '.' || cons, nullif(det, ''));
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.diag(text) TO PUBLIC;

-- 1. Credentials: the system writes tokens directly; each opens and fits, or nothing changes.
SET ROLE regress_x_server;
SELECT lives_ok(format('INSERT INTO syncmaster.auth_data (connection_id, value) SELECT %s, value FROM syncmaster.auth_data WHERE connection_id = %s', :copy, :pg),
                'the system INSERTs a token sealed with the configured key');
SELECT is(syncmaster.connection_credentials(:copy), '{"type": "basic", "user": "etl", "password": "S3CR3T"}'::jsonb,
          'and it opens to its credentials');
SELECT throws_ok(format('UPDATE syncmaster.auth_data SET value = %L WHERE connection_id = %s', 'not a token', :copy),
                 '22023', 'auth_data value is not a token of the configured key', 'a value that is no token is refused');
SELECT throws_ok(format('UPDATE syncmaster.auth_data SET value = (SELECT value FROM syncmaster.auth_data WHERE connection_id = %s) WHERE connection_id = %s', :s3, :copy),
                 '22023', 'auth_data: field "type" must be one of: basic for a postgres connection',
                 'credentials that do not fit the connection''s type are refused, naming the field');
SELECT throws_ok(format('UPDATE syncmaster.auth_data SET value = NULL WHERE connection_id = %s', :copy),
                 '22023', 'value is required', 'no value is 22023, not the table''s 23502');
SELECT throws_ok(format('INSERT INTO syncmaster.auth_data (connection_id, value) VALUES (NULL, %L)', 'x'),
                 '22023', 'connection_id is required', 'nor is no connection');
SELECT is(syncmaster.connection_credentials(:copy), '{"type": "basic", "user": "etl", "password": "S3CR3T"}'::jsonb,
          'the refusals changed nothing');
-- SyncMaster changes a connection's type, then writes credentials for it: they must fit by commit.
SELECT lives_ok(format($$UPDATE syncmaster.connection SET type = 's3', data = '{"host": "h", "bucket": "b", "region": "r"}' WHERE id = %s$$, :copy),
                'the system changes the type of a connection whose credentials do not fit the new one');
SELECT lives_ok(format('UPDATE syncmaster.auth_data SET value = (SELECT value FROM syncmaster.auth_data WHERE connection_id = %s) WHERE connection_id = %s', :s3, :copy),
                'then writes credentials that fit it');
SELECT lives_ok('SET CONSTRAINTS syncmaster.credentials_fit IMMEDIATE', 'and they fit at commit');
SET CONSTRAINTS syncmaster.credentials_fit DEFERRED;
CREATE FUNCTION pg_temp.type_change_alone(connection_id bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE syncmaster.connection SET type = 'postgres', data = '{"host": "h", "database_name": "d"}'
    WHERE id = connection_id;
    SET CONSTRAINTS syncmaster.credentials_fit IMMEDIATE;  -- what COMMIT would check
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.type_change_alone(bigint) TO PUBLIC;
SELECT throws_ok(format('SELECT pg_temp.type_change_alone(%s)', :copy), '55000',
                 'The credentials of the connection do not fit its new type',
                 'a change of type that leaves them unfit fails at commit');
SELECT lives_ok(format($$UPDATE syncmaster.connection SET type = 'postgres', data = '{"host": "h", "database_name": "d"}' WHERE id = %s$$, :copy),
                'back to postgres');
SELECT lives_ok(format('UPDATE syncmaster.auth_data SET value = (SELECT value FROM syncmaster.auth_data WHERE connection_id = %s) WHERE connection_id = %s', :pg, :copy),
                'with its credentials');
SELECT lives_ok(format('DELETE FROM syncmaster.auth_data WHERE connection_id = %s', :copy), 'the system deletes credentials');
SELECT throws_ok(format('SELECT syncmaster.connection_credentials(%s)', :copy), '55000',
                 format('Credentials not set for connection %s', :copy), 'and they are gone');
RESET ROLE;
-- The table owner's writes (the API's, or a superuser's) are checked as well.
SELECT throws_ok(format('INSERT INTO syncmaster.auth_data (connection_id, value) SELECT %s, value FROM syncmaster.auth_data WHERE connection_id = %s', :copy, :s3),
                 '22023', 'auth_data: field "type" must be one of: basic for a postgres connection',
                 'a superuser''s direct write is checked too');
SET ROLE regress_x_owner;
SELECT throws_ok('SELECT count(*) FROM syncmaster.auth_data', '42501', 'permission denied for table auth_data',
                 'users never read the table');
SELECT throws_ok(format('DELETE FROM syncmaster.auth_data WHERE connection_id = %s', :pg), '42501',
                 'permission denied for table auth_data', 'nor write it');
SELECT lives_ok(format($$SELECT syncmaster.update_connection(%s, 'regress_x_pg', 'postgres', '{"host": "h", "database_name": "d"}', '{"type": "basic", "user": "etl2", "password": "N3W"}')$$, :pg),
                'their credentials go through the API, as before');
RESET ROLE;
SELECT is(syncmaster.connection_auth(:pg), '{"type": "basic", "user": "etl2"}'::jsonb, 'which wrote them');

-- 2. The owner change, as SyncMaster sends it: UPDATE the owner, then INSERT the previous owner
-- as Guest (the trigger made that row already: the INSERT is skipped, not a duplicate).
SET ROLE regress_x_owner;
SELECT lives_ok(format('UPDATE syncmaster."group" SET owner_id = %s WHERE id = %s', :heir_id, :team),
                'the owner hands the group over by UPDATE');
SELECT lives_ok(format($$INSERT INTO syncmaster.user_group (user_id, group_id, role) VALUES (%s, %s, 'Guest')$$, :owner_id, :team),
                'SyncMaster''s INSERT of the previous owner as Guest succeeds');
RESET ROLE;
SELECT results_eq(format('SELECT user_id, role::text FROM syncmaster.user_group WHERE group_id = %s AND user_id IN (%s, %s)', :team, :owner_id, :heir_id),
                  format($$ VALUES (%s::bigint, 'Guest') $$, :owner_id),
                  'the documented state: the previous owner a Guest, the new one no member');
SET ROLE regress_x_heir;
SELECT throws_ok(format($$INSERT INTO syncmaster.user_group (user_id, group_id, role) VALUES (%s, %s, 'Developer')$$, :owner_id, :team),
                 '23505', 'User already is group member', 'another row for the previous owner is a duplicate');
-- And back by the API: the same state.
SELECT lives_ok(format('SELECT syncmaster.update_group(%s, %L, %L, %s)', :team, 'regress_x_team', '', :owner_id),
                'update_group() hands it back');
RESET ROLE;
SELECT results_eq(format('SELECT user_id, role::text FROM syncmaster.user_group WHERE group_id = %s AND user_id IN (%s, %s)', :team, :owner_id, :heir_id),
                  format($$ VALUES (%s::bigint, 'Guest') $$, :heir_id),
                  'with the same result');

-- 3. SyncMaster stops a queued run with SEND_STOP_SIGNAL: no worker holds it, so it is STOPPED.
SET ROLE regress_x_dev;
SELECT syncmaster.start_run(:t) AS r1 \gset
SELECT lives_ok(format($$UPDATE syncmaster.run SET status = 'SEND_STOP_SIGNAL', updated_at = now() WHERE id = %s$$, :r1),
                'a Developer''s UPDATE of a queued run to SEND_STOP_SIGNAL is accepted');
SELECT results_eq(format('SELECT status::text, ended_at IS NOT NULL, lease_expires_at IS NULL FROM syncmaster.run WHERE id = %s', :r1),
                  $$ VALUES ('STOPPED', true, true) $$, 'and stores STOPPED at once, ended');
SELECT syncmaster.start_run(:t) AS r2 \gset
SELECT lives_ok(format('SELECT syncmaster.stop_run(%s)', :r2), 'stop_run() of a queued run');
SELECT is((SELECT status::text FROM syncmaster.run WHERE id = :r2), 'STOPPED', 'stores the same');
RESET ROLE;
SET ROLE regress_x_guest;
SELECT throws_ok(format($$UPDATE syncmaster.run SET status = 'SEND_STOP_SIGNAL' WHERE id = %s$$, :r2),
                 '42501', 'You have no power here', 'a Guest may not stop by UPDATE');
RESET ROLE;
SET ROLE regress_x_server;
SELECT is(syncmaster.claim_run_id(:'slug', 'w1'), NULL::bigint, 'a claim finds no run: the stopped ones are not queued');
RESET ROLE;

-- 4. Errors by constraint name: every 23505 of the rules names SyncMaster's constraint, on direct
-- DML and through the API; an unknown user is the foreign key's 23503, with its key.
SET ROLE regress_x_server;
SELECT is(pg_temp.diag(format($$INSERT INTO syncmaster."group" (name, owner_id) VALUES ('regress_x_team', %s)$$, :owner_id)),
          '23505 syncmaster.group.uq__group__name', 'a duplicate group name (INSERT)');
SELECT is(pg_temp.diag(format($$SELECT syncmaster.create_group('regress_x_team', owner_id => %s)$$, :owner_id)),
          '23505 syncmaster.group.uq__group__name', 'and by create_group()');
SELECT is(pg_temp.diag(format($$INSERT INTO syncmaster.user_group (user_id, group_id, role) VALUES (%s, %s, 'Guest')$$, :dev_id, :team)),
          '23505 syncmaster.user_group.pk__user_group', 'a member twice (INSERT)');
SELECT is(pg_temp.diag(format($$SELECT syncmaster.add_group_member(%s, %s, 'Guest')$$, :team, :dev_id)),
          '23505 syncmaster.user_group.pk__user_group', 'and by add_group_member()');
SELECT is(pg_temp.diag(format($$INSERT INTO syncmaster.connection (group_id, type, name, data) VALUES (%s, 'postgres', 'regress_x_pg', '{"host": "h", "database_name": "d"}')$$, :team)),
          '23505 syncmaster.connection.uq__connection__name_group_id', 'a duplicate connection name (INSERT)');
SELECT is(pg_temp.diag(format($$SELECT syncmaster.copy_connection(%s, %s, 'regress_x_pg')$$, :s3, :team)),
          '23505 syncmaster.connection.uq__connection__name_group_id', 'and by copy_connection()');
SELECT is(pg_temp.diag(format($$INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params) VALUES (%s, 'regress_x_load', %s, %s, %s, '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}')$$, :team, :pg, :pg, :queue)),
          '23505 syncmaster.transfer.uq__transfer__name_group_id', 'a duplicate transfer name (INSERT)');
SELECT is(pg_temp.diag(format($$SELECT syncmaster.copy_transfer(%s, %s, %s, 'regress_x_load', 'regress_x_pg2', 'regress_x_pg3')$$, :t, :team, :queue)),
          '23505 syncmaster.transfer.uq__transfer__name_group_id', 'and by copy_transfer()');
SELECT is(pg_temp.diag(format($$INSERT INTO syncmaster.queue (group_id, name) VALUES (%s, 'regress x queue')$$, :team)),
          '23505 syncmaster.queue.uq__queue__slug', 'a duplicate queue (INSERT)');
SELECT is(pg_temp.diag(format($$SELECT syncmaster.create_queue(%s, 'regress x queue')$$, :team)),
          '23505 syncmaster.queue.uq__queue__slug', 'and by create_queue()');
SELECT is(pg_temp.diag($$INSERT INTO syncmaster."user" (username) VALUES ('regress_x_dev')$$),
          '23505 syncmaster.user.ix__user__username', 'a username twice (INSERT)');
SELECT is(pg_temp.diag($$SELECT syncmaster.create_user('regress_x_dev')$$),
          '23505 syncmaster.user.ix__user__username', 'and by create_user()');
SELECT is(pg_temp.diag(format($$INSERT INTO syncmaster.user_group (user_id, group_id, role) VALUES (987654, %s, 'Guest')$$, :team)),
          '23503 syncmaster.user_group.fk__user_group__user_id__user Key (user_id)=(987654) is not present in table "user".',
          'an unknown member is the foreign key''s 23503, with the key');
SELECT throws_ok(format($$INSERT INTO syncmaster.user_group (user_id, group_id, role) VALUES (987654, %s, 'Guest')$$, :team),
                 '23503', 'insert or update on table "user_group" violates foreign key constraint "fk__user_group__user_id__user"',
                 'worded as PostgreSQL words it');
SELECT is(pg_temp.diag(format('UPDATE syncmaster."group" SET owner_id = 987654 WHERE id = %s', :team)),
          '23503 syncmaster.group.fk__group__owner_id__user Key (owner_id)=(987654) is not present in table "user".',
          'so is an unknown new owner');
SELECT throws_ok(format($$SELECT syncmaster.add_group_member(%s, 987654, 'Guest')$$, :team),
                 'P0002', 'User not found', 'the API keeps SyncMaster''s API message');
SELECT throws_ok(format($$SELECT syncmaster.update_group(%s, 'regress_x_team', '', 987654)$$, :team),
                 'P0002', 'User not found', 'for a new owner too');
RESET ROLE;

-- 8. Runs without credentials: the system's INSERT is trusted; start_run() and users check.
SET ROLE regress_x_dev;
SELECT syncmaster.create_transfer(:team, 'regress_x_bare', :copy, :pg, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}') AS bare \gset
SELECT throws_ok(format('INSERT INTO syncmaster.run (transfer_id) VALUES (%s)', :bare), '55000',
                 format('Credentials not set for connection %s', :copy), 'a user''s run needs credentials (INSERT)');
SELECT throws_ok(format('SELECT syncmaster.start_run(%s)', :bare), '55000',
                 format('Credentials not set for connection %s', :copy), 'and start_run()');
RESET ROLE;
SET ROLE regress_x_server;
SELECT lives_ok(format($$INSERT INTO syncmaster.run (transfer_id, status, type) VALUES (%s, 'CREATED', 'MANUAL')$$, :bare),
                'the system''s INSERT of such a run is accepted');
SELECT throws_ok(format('SELECT syncmaster.start_run(%s)', :bare), '55000',
                 format('Credentials not set for connection %s', :copy), 'start_run() refuses the system too');
RESET ROLE;

-- 6. One dispatcher: under Celery, claim_run hands out nothing and a started run holds no lease.
SET syncmaster.dispatcher = celery;
SET ROLE regress_x_server;
SELECT is(syncmaster.claim_run_id(:'slug', 'w1'), NULL::bigint, 'dispatcher = celery: claim_run hands out nothing');
SELECT id AS queued FROM syncmaster.run WHERE transfer_id = :bare AND status = 'CREATED' \gset
SELECT lives_ok(format($$UPDATE syncmaster.run SET status = 'STARTED' WHERE id = %s$$, :queued),
                'Celery''s worker starts the run');
SELECT is((SELECT lease_expires_at FROM syncmaster.run WHERE id = :queued), NULL, 'with no lease: no reaper fails it');
RESET ROLE;
SET syncmaster.dispatcher = claim_run;
SET ROLE regress_x_dev;
SELECT syncmaster.start_run(:t) AS r3 \gset
RESET ROLE;
SET ROLE regress_x_server;
SELECT is(syncmaster.claim_run_id(:'slug', 'w1'), :r3::bigint, 'dispatcher = claim_run: the run is claimed');
SELECT isnt((SELECT lease_expires_at FROM syncmaster.run WHERE id = :r3), NULL, 'with a lease');
RESET ROLE;
RESET syncmaster.dispatcher;

-- 6. One scheduler: under SyncMaster's, a transfer's schedule makes no pg_cron job, and a job
-- left from before makes no run.
SET ROLE regress_x_dev;
SELECT syncmaster.create_transfer(:team, 'regress_x_hourly', :pg, :pg, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}',
         is_scheduled => true, schedule => '0 * * * *') AS hourly \gset
RESET ROLE;
SELECT is((SELECT count(*)::int FROM cron.job WHERE jobname = 'syncmaster_transfer_' || :hourly), 1,
          'scheduler = pg_cron (auto, no job store): the schedule is a pg_cron job');
SET syncmaster.scheduler = syncmaster;
SELECT is(syncmaster.fire_scheduled_transfer(:hourly), NULL::bigint, 'scheduler = syncmaster: the job makes no run');
SELECT lives_ok(format($$UPDATE syncmaster.transfer SET schedule = '30 * * * *' WHERE id = %s$$, :hourly),
                'a schedule changed under SyncMaster''s scheduler');
SELECT is((SELECT count(*)::int FROM cron.job WHERE jobname = 'syncmaster_transfer_' || :hourly), 0,
          'has no pg_cron job');
RESET syncmaster.scheduler;
SELECT isnt(syncmaster.fire_scheduled_transfer(:hourly), NULL::bigint, 'scheduler = pg_cron: the job makes the run');
SELECT results_eq(format('SELECT action FROM syncmaster.sync_schedules() WHERE transfer_id = %s', :hourly),
                  $$ VALUES ('scheduled') $$, 'back under pg_cron, sync_schedules() makes the missing job');
SET syncmaster.scheduler = syncmaster;
SELECT results_eq(format('SELECT action FROM syncmaster.sync_schedules() WHERE transfer_id = %s', :hourly),
                  $$ VALUES ('unscheduled') $$, 'under SyncMaster''s scheduler, it removes the job');
RESET syncmaster.scheduler;

-- 7. Deletes: a person's are refused while rows use the row; the system's cascade as SyncMaster's
-- foreign keys do; the API pre-checks for everyone.
SET ROLE regress_x_maint;
SELECT throws_ok(format('DELETE FROM syncmaster.connection WHERE id = %s', :pg), '55000',
                 'The connection has an associated transfers. Number of the connected transfers: 3',
                 'a Maintainer may not delete a connection transfers use');
RESET ROLE;
SELECT throws_ok(format('SELECT syncmaster.delete_connection(%s)', :pg), '55000',
                 'The connection has an associated transfers. Number of the connected transfers: 3',
                 'delete_connection() refuses the system too');
SELECT throws_ok(format('SELECT syncmaster.delete_queue(%s)', :queue), '55000',
                 'The queue has an associated transfers(s). Number of the linked transfers: 3',
                 'so does delete_queue()');
SET ROLE regress_x_root;
SELECT throws_ok(format('DELETE FROM syncmaster."user" WHERE id = %s', :owner_id), '55000',
                 'User regress_x_owner owns groups and cannot be deleted', 'a superuser may not delete a user who owns groups');
RESET ROLE;
SET ROLE regress_x_server;
SELECT lives_ok(format('DELETE FROM syncmaster.connection WHERE id = %s', :copy), 'the system deletes a used connection');
SELECT is((SELECT count(*)::int FROM syncmaster.transfer WHERE id = :bare), 0, 'its transfers go with it');
SELECT lives_ok(format('DELETE FROM syncmaster.queue WHERE id = %s', :queue), 'the system deletes a used queue');
SELECT is((SELECT count(*)::int FROM syncmaster.transfer WHERE group_id = :team), 0, 'its transfers go with it');
SELECT lives_ok(format('DELETE FROM syncmaster."user" WHERE id = %s', :owner_id), 'the system deletes a user who owns groups');
SELECT is((SELECT count(*)::int FROM syncmaster."group" WHERE id = :team), 0, 'the groups it owned go with it');
RESET ROLE;

-- 5. SyncMaster's deployment: its tables, made only on request, by a superuser.
SET ROLE regress_x_owner;
SELECT throws_ok($$SELECT syncmaster.prepare_syncmaster_server('regress_x_server')$$, '42501',
                 'permission denied for function prepare_syncmaster_server', 'not for users');
RESET ROLE;
SELECT hasnt_table('syncmaster', 'alembic_version', 'nothing of SyncMaster''s deployment before the step');
SELECT lives_ok($$SELECT syncmaster.prepare_syncmaster_server('regress_x_server')$$, 'the step');
SELECT is((SELECT version_num::text FROM syncmaster.alembic_version), '0012', 'alembic_version at SyncMaster''s head');
SELECT ok(has_table_privilege('regress_x_server', 'syncmaster.apscheduler_jobs', 'INSERT, UPDATE, DELETE')
          AND has_table_privilege('regress_x_server', 'syncmaster.celery_taskmeta', 'INSERT, UPDATE, DELETE')
          AND has_sequence_privilege('regress_x_server', 'syncmaster.task_id_sequence', 'USAGE'),
          'the scheduler''s job store and Celery''s tables, for the server''s role');
SELECT lives_ok($$SELECT syncmaster.prepare_syncmaster_server('regress_x_server')$$, 'the step runs again');
SET ROLE regress_x_server;
SELECT is(syncmaster.claim_run_id(:'slug', 'w1'), NULL::bigint, 'now auto means celery: claim_run hands out nothing');
RESET ROLE;
UPDATE syncmaster.alembic_version SET version_num = '0011';
SELECT throws_ok($$SELECT syncmaster.prepare_syncmaster_server('regress_x_server')$$, '55000',
                 'alembic_version holds revision 0011, not 0012', 'a database at another revision is refused');

SELECT * FROM finish();
ROLLBACK;
