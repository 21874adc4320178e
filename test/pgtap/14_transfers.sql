-- Transfers: every rule on the API and on direct DML with SyncMaster's
-- errors, copies, and the pg_cron job of each scheduled transfer kept in step on every path.
-- Needs pg_cron in this database (./sandbox installs it).
BEGIN;
SELECT plan(81);

CREATE ROLE regress_t_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_t_dev LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_t_guest LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_t_stranger LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_t_root LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('regress_t_owner') AS owner_id \gset
SELECT syncmaster.create_user('regress_t_dev') AS dev_id \gset
SELECT syncmaster.create_user('regress_t_guest') AS guest_id \gset
SELECT syncmaster.create_user('regress_t_stranger') AS stranger_id \gset
SELECT syncmaster.create_user('regress_t_root', is_superuser => true) AS root_id \gset
SELECT syncmaster.create_group('regress_t_team', owner_id => :owner_id) AS team \gset
SELECT syncmaster.create_group('regress_t_other', owner_id => :stranger_id) AS other \gset
SELECT syncmaster.add_group_member(:team, :dev_id, 'Developer');
SELECT syncmaster.add_group_member(:team, :guest_id, 'Guest');
SELECT syncmaster.create_connection(:team, 'regress_t_pg', 'postgres', '{"host": "pg", "database_name": "dwh"}',
                                    '{"type": "basic", "user": "u", "password": "p"}') AS pg \gset
SELECT syncmaster.create_connection(:team, 'regress_t_s3', 's3', '{"host": "s3", "bucket": "b", "region": "r"}',
                                    '{"type": "s3", "access_key": "a", "secret_key": "s"}') AS s3 \gset
SELECT syncmaster.create_connection(:other, 'regress_t_far', 'postgres', '{"host": "far", "database_name": "x"}',
                                    '{"type": "basic", "user": "u", "password": "p"}') AS far \gset
SELECT syncmaster.create_queue(:team, 'regress_t_queue') AS queue \gset
SELECT syncmaster.create_queue(:other, 'regress_t_far_queue') AS far_queue \gset
CREATE TEMP TABLE p (name text, value jsonb);
INSERT INTO p VALUES
    ('pg', '{"type": "postgres", "table_name": "public.orders"}'),
    ('s3', '{"type": "s3", "directory_path": "/orders", "file_format": {"type": "parquet"}}');
SELECT value AS pg_params FROM p WHERE name = 'pg' \gset
SELECT value AS s3_params FROM p WHERE name = 's3' \gset
GRANT SELECT ON p TO syncmaster_user;
CREATE FUNCTION pg_temp.jobs() RETURNS TABLE (jobname text, schedule text) LANGUAGE sql AS $$
    SELECT j.jobname::text, j.schedule::text FROM cron.job j
    WHERE j.jobname LIKE 'syncmaster\_transfer\_%' ORDER BY 1 $$;

-- A Developer creates a transfer; SyncMaster's defaults are filled in.
SET ROLE regress_t_dev;
SELECT syncmaster.create_transfer(:team, 'regress_t_load', :pg, :s3, :queue, :'pg_params', :'s3_params') AS t \gset
SELECT is((SELECT strategy_params FROM syncmaster.transfer WHERE id = :t), '{"type": "full"}'::jsonb,
          'the default strategy');
SELECT is((SELECT resources FROM syncmaster.transfer WHERE id = :t),
          '{"max_parallel_tasks": 1, "cpu_cores_per_task": 1, "ram_bytes_per_task": 1073741824}'::jsonb,
          'the default resources');
SELECT is((SELECT target_params->>'file_name_template' FROM syncmaster.transfer WHERE id = :t),
          '{run_created_at}-{index}.{extension}', 'the default file name template');
SELECT is((SELECT schedule FROM syncmaster.transfer WHERE id = :t), '', 'no schedule: an empty one');
SELECT results_eq(format('SELECT name::text, total FROM syncmaster.list_transfers(%s)', :team),
                  $$ VALUES ('regress_t_load', 1::bigint) $$, 'list_transfers shows it with the total');
SELECT is((SELECT count(*) FROM syncmaster.list_transfers(:team, source_connection_types => '{postgres}', filter_is_scheduled => false)),
          1::bigint, 'the filters of SyncMaster');
SELECT is((SELECT count(*) FROM syncmaster.list_transfers(:team, target_connection_types => '{postgres}')),
          0::bigint, 'a target type it is not');
SELECT is((SELECT count(*) FROM syncmaster.list_transfers(:team, search => 'orders')), 1::bigint,
          'search finds the table name');
RESET ROLE;

-- Who may: on the API and on direct DML.
CREATE TEMP TABLE attempts (who text, call text, dml text, sqlstate text, message text);
INSERT INTO attempts VALUES
 ('regress_t_guest', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params) VALUES (%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params'),
  '42501', 'You have no power here'),
 ('regress_t_stranger', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params) VALUES (%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params'),
  'P0002', 'Group not found'),
 ('regress_t_dev', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :far, :s3, :queue, :'pg_params', :'s3_params'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params) VALUES (%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :far, :s3, :queue, :'pg_params', :'s3_params'),
  'P0002', 'Connection not found'),
 ('regress_t_dev', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :pg, :s3, :far_queue, :'pg_params', :'s3_params'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params) VALUES (%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :pg, :s3, :far_queue, :'pg_params', :'s3_params'),
  'P0002', 'Queue not found'),
 ('regress_t_root', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :far, :s3, :queue, :'pg_params', :'s3_params'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params) VALUES (%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :far, :s3, :queue, :'pg_params', :'s3_params'),
  '22023', 'Connections should belong to the transfer group'),
 ('regress_t_root', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :pg, :s3, :far_queue, :'pg_params', :'s3_params'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params) VALUES (%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :pg, :s3, :far_queue, :'pg_params', :'s3_params'),
  '22023', 'Queue should belong to the transfer group'),
 ('regress_t_dev', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'pg_params'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params) VALUES (%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'pg_params'),
  '22023', 'Target connection has type `s3` but its params has `postgres` type'),
 ('regress_t_dev', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :s3, :s3, :queue, :'pg_params', :'s3_params'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params) VALUES (%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :s3, :s3, :queue, :'pg_params', :'s3_params'),
  '22023', 'Source connection has type `s3` but its params has `postgres` type'),
 ('regress_t_dev', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :pg, :s3, :queue, '{"type": "postgres", "table_name": "orders"}', :'s3_params'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params) VALUES (%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_x', :pg, :s3, :queue, '{"type": "postgres", "table_name": "orders"}', :'s3_params'),
  '22023', 'source_params.table_name: Table name should be in format myschema.mytable'),
 ('regress_t_dev', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L, %L)', :team, 'regress_t_x', :s3, :pg, :queue, :'s3_params', :'pg_params', '{"type": "incremental", "increment_by": "file_name"}'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params, strategy_params) VALUES (%s, %L, %s, %s, %s, %L, %L, %L)', :team, 'regress_t_x', :s3, :pg, :queue, :'s3_params', :'pg_params', '{"type": "incremental", "increment_by": "file_name"}'),
  '22023', 'strategy_params.type: S3 and HDFS sources do not support incremental strategy for now'),
 ('regress_t_dev', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L, transformations => %L)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params', '[{"type": "sql", "query": "DROP TABLE t"}]'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params, transformations) VALUES (%s, %L, %s, %s, %s, %L, %L, %L)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params', '[{"type": "sql", "query": "DROP TABLE t"}]'),
  '22023', 'transformations[0].query: Query must be a SELECT statement, got ''DROP TABLE t'''),
 ('regress_t_dev', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L, resources => %L)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params', '{"max_parallel_tasks": 101}'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params, resources) VALUES (%s, %L, %s, %s, %s, %L, %L, %L)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params', '{"max_parallel_tasks": 101}'),
  '22023', 'resources.max_parallel_tasks: Input should be less than or equal to 100'),
 ('regress_t_dev', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L, is_scheduled => true)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params, is_scheduled) VALUES (%s, %L, %s, %s, %s, %L, %L, true)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params'),
  '22023', 'schedule: If transfer must be scheduled then set schedule'),
 ('regress_t_dev', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L, is_scheduled => true, schedule => %L)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params', '0 25 * * *'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params, is_scheduled, schedule) VALUES (%s, %L, %s, %s, %s, %L, %L, true, %L)', :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params', '0 25 * * *'),
  '22023', 'schedule: field "hour" ("25"): 25 is out of range 0-23'),
 ('regress_t_dev', format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_load', :pg, :s3, :queue, :'pg_params', :'s3_params'),
  format('INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id, source_params, target_params) VALUES (%s, %L, %s, %s, %s, %L, %L)', :team, 'regress_t_load', :pg, :s3, :queue, :'pg_params', :'s3_params'),
  '23505', 'The transfer name already exists in the target group, please specify a new one'),
 ('regress_t_dev', format('SELECT syncmaster.update_transfer(%s, %L, %s, %s, %s, %L, %L)', :t, 'regress_t_load', :pg, :s3, :far_queue, :'pg_params', :'s3_params'),
  format('UPDATE syncmaster.transfer SET queue_id = %s WHERE id = %s', :far_queue, :t),
  'P0002', 'Queue not found'),
 ('regress_t_guest', format('SELECT syncmaster.update_transfer(%s, %L, %s, %s, %s, %L, %L)', :t, 'regress_t_renamed', :pg, :s3, :queue, :'pg_params', :'s3_params'),
  format('UPDATE syncmaster.transfer SET name = %L WHERE id = %s', 'regress_t_renamed', :t),
  '42501', 'You have no power here'),
 ('regress_t_dev', format('SELECT syncmaster.delete_transfer(%s)', :t),
  format('DELETE FROM syncmaster.transfer WHERE id = %s', :t),
  '42501', 'You have no power here');
CREATE TEMP TABLE before AS
    SELECT (SELECT count(*) FROM syncmaster.transfer) AS transfers, (SELECT count(*) FROM cron.job) AS jobs,
           (SELECT string_agg(t::text, ',' ORDER BY id) FROM syncmaster.transfer t) AS rows;
GRANT SELECT ON attempts TO syncmaster_user;
CREATE FUNCTION pg_temp.try(who text, statement text, sqlstate text, message text, description text)
RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SET ROLE %I', who);
    RETURN throws_ok(statement, sqlstate, message, description);
END
$$;
SELECT pg_temp.try(who, call, sqlstate, message, format('%s, API: %s', who, message)) FROM attempts;
RESET ROLE;
SELECT pg_temp.try(who, dml, sqlstate, message, format('%s, DML: %s', who, message)) FROM attempts;
RESET ROLE;
SELECT is((SELECT row(b.*)::text FROM before b),
          (SELECT row((SELECT count(*) FROM syncmaster.transfer), (SELECT count(*) FROM cron.job),
                      (SELECT string_agg(t::text, ',' ORDER BY id) FROM syncmaster.transfer t))::text),
          'no refused call changed a transfer or cron.job');
SET ROLE regress_t_dev;
SELECT throws_ok(format('SELECT syncmaster.create_transfer(%s, %L, %s, %s, %s, %L, %L, schedule => %L)',
                        :team, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params', repeat('*', 33)),
                 '22023', 'schedule: must have at most 32 characters', 'a schedule longer than the column (API)');
SELECT throws_ok(format('SELECT syncmaster.update_transfer(%s, %L, %s, %s, %s, %L, %L)', 0, 'regress_t_x', :pg, :s3, :queue, :'pg_params', :'s3_params'),
                 'P0002', 'Transfer not found', 'an unknown transfer');
RESET ROLE;
SELECT throws_ok(format('UPDATE syncmaster.transfer SET group_id = %s WHERE id = %s', :other, :t),
                 '22023', 'A transfer cannot move to another group', 'a transfer never moves by update');

-- Scheduling: one pg_cron job per scheduled transfer, on every path, in the same transaction.
SET ROLE regress_t_dev;
SELECT lives_ok(format('SELECT syncmaster.update_transfer(%s, %L, %s, %s, %s, %L, %L, is_scheduled => true, schedule => %L)',
                       :t, 'regress_t_load', :pg, :s3, :queue, :'pg_params', :'s3_params', '*/5 * * * *'),
                'the Developer schedules the transfer');
RESET ROLE;
SELECT results_eq('SELECT * FROM pg_temp.jobs()', format('VALUES (%L, %L)', 'syncmaster_transfer_' || :t, '*/5 * * * *'),
                  'its job exists with its schedule');
SELECT results_eq(format('SELECT command, username::text FROM cron.job WHERE jobname = %L', 'syncmaster_transfer_' || :t),
                  format('VALUES (%L, %L)', 'SELECT syncmaster.fire_scheduled_transfer(' || :t || ')', current_user),
                  'it fires the transfer, as the extension''s owner (the system), not as the Developer');
SET ROLE regress_t_dev;
UPDATE syncmaster.transfer SET schedule = '0 3 * * mon-fri' WHERE id = :t;
RESET ROLE;
SELECT results_eq('SELECT schedule FROM pg_temp.jobs()', $$ VALUES ('0 3 * * mon-fri') $$,
                  'a new schedule by direct UPDATE moves the job');
SAVEPOINT unschedule;
UPDATE syncmaster.transfer SET is_scheduled = false WHERE id = :t;
SELECT is_empty('SELECT * FROM pg_temp.jobs()', 'unscheduled: the job goes');
ROLLBACK TO SAVEPOINT unschedule;
SELECT results_eq('SELECT schedule FROM pg_temp.jobs()', $$ VALUES ('0 3 * * mon-fri') $$,
                  'a rollback brings it back');
INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id,
                                 source_params, target_params, is_scheduled, schedule)
VALUES (:team, 'regress_t_hourly', :pg, :pg, :queue, :'pg_params', :'pg_params', true, '@hourly')
RETURNING id AS hourly \gset
SELECT is((SELECT count(*) FROM pg_temp.jobs()), 2::bigint, 'a scheduled INSERT gets its job');
SELECT is((SELECT schedule FROM pg_temp.jobs() WHERE jobname = 'syncmaster_transfer_' || :hourly), '0 * * * *',
          'pg_cron gets an @alias as its five fields (some releases misread @yearly)');
SELECT is((SELECT array_agg(t) FROM syncmaster.schedule_next('0 3 * * mon-fri', '2026-11-28 12:00+00', 2) t),
          ARRAY['2026-11-30 03:00+00', '2026-12-01 03:00+00']::timestamptz[], 'schedule_next previews the fire times');

-- Firing: what the job runs, as the system.
SET ROLE regress_t_dev;
SELECT throws_ok(format('SELECT syncmaster.fire_scheduled_transfer(%s)', :t), '42501', 'You have no power here',
                 'only the system fires transfers');
RESET ROLE;
SELECT isnt(syncmaster.fire_scheduled_transfer(:t), NULL, 'the system fires a scheduled transfer');
SELECT results_eq(format('SELECT type::text, status::text FROM syncmaster.run WHERE transfer_id = %s', :t),
                  $$ VALUES ('SCHEDULED', 'CREATED') $$, 'a SCHEDULED run in CREATED');
SELECT is(syncmaster.fire_scheduled_transfer(0), NULL, 'an unknown transfer: nothing');

-- Copies.
SET ROLE regress_t_dev;
SELECT throws_ok(format('SELECT syncmaster.copy_transfer(%s, %s, %s, remove_source => true)', :hourly, :team, :queue),
                 '42501', 'You have no power here', 'moving needs DELETE in the old group');
SELECT throws_ok(format('SELECT syncmaster.copy_transfer(%s, %s, %s)', :hourly, :other, :far_queue),
                 'P0002', 'Group not found', 'a group the Developer is not in');
SELECT throws_ok(format('SELECT syncmaster.copy_transfer(%s, %s, %s, %L)', :hourly, :team, :queue, 'regress_t_hourly'),
                 '23505', 'The connection name already exists in the target group, please specify a new one',
                 'a copy into the same group needs new connection names');
SELECT syncmaster.copy_transfer(:hourly, :team, :queue, 'regress_t_hourly_copy', 'regress_t_pg_copy') AS hourly_copy \gset
RESET ROLE;
SELECT results_eq(format('SELECT source_connection_id = target_connection_id, is_scheduled, schedule::text FROM syncmaster.transfer WHERE id = %s', :hourly_copy),
                  $$ VALUES (true, true, '@hourly') $$, 'one connection copy serves as source and target; the schedule is copied');
SELECT is((SELECT count(*) FROM syncmaster.auth_data a JOIN syncmaster.transfer t ON a.connection_id = t.source_connection_id
           WHERE t.id = :hourly_copy), 0::bigint, 'the copied connection has no credentials');
SELECT is((SELECT count(*) FROM pg_temp.jobs()), 3::bigint, 'the scheduled copy has its own job');
SELECT ok((SELECT created_at FROM syncmaster.transfer WHERE id = :hourly_copy) = now(), 'the copy has fresh timestamps');
SELECT syncmaster.copy_transfer(:hourly_copy, :other, :far_queue, remove_source => true) AS moved \gset
SELECT ok(NOT EXISTS (SELECT FROM syncmaster.transfer WHERE id = :hourly_copy)
          AND EXISTS (SELECT FROM syncmaster.transfer WHERE id = :moved AND group_id = :other),
          'remove_source moves the transfer to the other group');
SELECT results_eq(format('SELECT jobname FROM pg_temp.jobs() WHERE jobname IN (%L, %L)',
                         'syncmaster_transfer_' || :hourly_copy, 'syncmaster_transfer_' || :moved),
                  format('VALUES (%L)', 'syncmaster_transfer_' || :moved), 'its job moved with it');

-- Deletion: of a transfer, and of a group, whose cascade takes the jobs along.
SET ROLE regress_t_owner;
SELECT lives_ok(format('SELECT syncmaster.delete_transfer(%s)', :hourly), 'the owner deletes a transfer');
RESET ROLE;
SELECT ok(NOT EXISTS (SELECT FROM pg_temp.jobs() WHERE jobname = 'syncmaster_transfer_' || :hourly), 'and its job');
SELECT throws_ok(format('SELECT syncmaster.delete_transfer(%s)', :hourly), 'P0002', 'Transfer not found',
                 'a transfer deleted already');
DELETE FROM syncmaster."group" WHERE id = :other;
SELECT ok(NOT EXISTS (SELECT FROM pg_temp.jobs() WHERE jobname = 'syncmaster_transfer_' || :moved),
          'a group''s deletion cascades to its transfers'' jobs');

-- sync_schedules(): reconciles after jobs were changed behind the extension's back.
DELETE FROM cron.job WHERE jobname = 'syncmaster_transfer_' || :t;
-- (a job of the extension's shape for a transfer that does not exist)
SELECT cron.schedule('syncmaster_transfer_999999999', '* * * * *',
                     'SELECT syncmaster.fire_scheduled_transfer(999999999)');
SELECT results_eq('SELECT transfer_id, action FROM syncmaster.sync_schedules() ORDER BY 1',
                  format('VALUES (%s::bigint, %L), (999999999::bigint, %L)', :t, 'scheduled', 'unscheduled'),
                  'sync_schedules says what it changed');
SELECT results_eq('SELECT * FROM pg_temp.jobs()', format('VALUES (%L, %L)', 'syncmaster_transfer_' || :t, '0 3 * * mon-fri'),
                  'exactly the scheduled transfers have jobs');
SELECT is_empty('SELECT * FROM syncmaster.sync_schedules()', 'and a second pass changes nothing');
-- A dump of a database of another name brings jobs that point there: they are repointed here.
UPDATE cron.job SET database = 'regress_elsewhere', username = 'regress_t_owner'
WHERE jobname = 'syncmaster_transfer_' || :t;
SELECT results_eq('SELECT transfer_id, action FROM syncmaster.sync_schedules() ORDER BY 1',
                  format('VALUES (%s::bigint, %L)', :t, 'repointed'),
                  'sync_schedules repoints a restored job at this database');
SELECT results_eq(format($$ SELECT (database || ' ' || username || ' ' || schedule) COLLATE "C"
                            FROM cron.job WHERE jobname = 'syncmaster_transfer_%s' $$, :t),
                  $$ SELECT (current_database()::text || ' ' || (SELECT r.rolname::text FROM pg_extension e
                     JOIN pg_roles r ON r.oid = e.extowner WHERE e.extname = 'pg_syncmaster')
                     || ' 0 3 * * mon-fri') COLLATE "C" $$,
                  'to run here, as the extension''s owner, on the same schedule');
SELECT is_empty('SELECT * FROM syncmaster.sync_schedules()', 'after which nothing is left to change');

-- DROP EXTENSION leaves no job behind (rolled back here).
SELECT syncmaster.start_run(:t) AS started \gset
SELECT syncmaster.claim_run_id(slug) IS NOT NULL AS claimed FROM syncmaster.queue WHERE id = :queue \gset
SELECT count(*) > 1 AS jobs_before_drop FROM cron.job WHERE jobname LIKE 'syncmaster\_%' \gset
SAVEPOINT drop_extension;
DROP EXTENSION pg_syncmaster;
SELECT count(*) AS jobs_after_drop FROM cron.job WHERE jobname LIKE 'syncmaster\_%' \gset
ROLLBACK TO SAVEPOINT drop_extension;
SELECT ok(:'jobs_before_drop'::boolean AND :'jobs_after_drop'::bigint = 0,
          'DROP EXTENSION removes the jobs, the reaper''s too');

SELECT * FROM finish();
ROLLBACK;
