-- On the hot standby every write is refused at once, with PostgreSQL's read-only error (25006),
-- whoever asks and however: through the API or by direct DML. Nothing can be half-done: a standby
-- writes nothing. (sync_schedules() writes to pg_cron's tables, in the one database that has
-- pg_cron; it is refused the same way there.) After each statement, its SQLSTATE.
\set ON_ERROR_STOP off
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT id AS team FROM syncmaster."group" WHERE name = 'dump_team' \gset
SELECT id AS load FROM syncmaster.transfer WHERE name = 'load' \gset
SELECT id AS warehouse FROM syncmaster.connection WHERE name = 'warehouse' \gset
SELECT id AS exports FROM syncmaster.connection WHERE name = 'exports' \gset
SELECT id AS queue FROM syncmaster.queue WHERE group_id = :team \gset
SELECT id AS run FROM syncmaster.run LIMIT 1 \gset
SELECT slug AS slug FROM syncmaster.queue WHERE group_id = :team \gset
SELECT pg_is_in_recovery();

SELECT syncmaster.create_user('standby_new');
\echo :SQLSTATE
SELECT syncmaster.create_group('standby_new', 'x');
\echo :SQLSTATE
SELECT syncmaster.update_group(:team, 'renamed');
\echo :SQLSTATE
SELECT syncmaster.delete_group(:team);
\echo :SQLSTATE
SELECT syncmaster.add_group_member(:team, 1, 'Guest');
\echo :SQLSTATE
SELECT syncmaster.set_member_role(:team, 1, 'Guest');
\echo :SQLSTATE
SELECT syncmaster.remove_group_member(:team, 1);
\echo :SQLSTATE
SELECT syncmaster.create_connection(:team, 'new', 'postgres', '{"host": "h", "database_name": "d"}',
                                    '{"type": "basic", "user": "u", "password": "p"}');
\echo :SQLSTATE
SELECT syncmaster.update_connection(:warehouse, 'new', 'postgres', '{"host": "h", "database_name": "d"}');
\echo :SQLSTATE
SELECT syncmaster.copy_connection(:warehouse, :team, 'copied');
\echo :SQLSTATE
SELECT syncmaster.delete_connection(:exports);
\echo :SQLSTATE
SELECT syncmaster.connection_credentials(:warehouse);
\echo :SQLSTATE
SELECT syncmaster.create_queue(:team, 'new');
\echo :SQLSTATE
SELECT syncmaster.update_queue(:queue, 'new');
\echo :SQLSTATE
SELECT syncmaster.delete_queue(:queue);
\echo :SQLSTATE
SELECT syncmaster.create_transfer(:team, 'new', :warehouse, :exports, :queue,
                                  '{"type": "postgres", "table_name": "public.t"}',
                                  '{"type": "s3", "directory_path": "/t", "file_format": {"type": "csv"}}');
\echo :SQLSTATE
SELECT syncmaster.copy_transfer(:load, :team, :queue, 'copied');
\echo :SQLSTATE
SELECT syncmaster.delete_transfer(:load);
\echo :SQLSTATE
SELECT syncmaster.start_run(:load);
\echo :SQLSTATE
SELECT syncmaster.stop_run(:run);
\echo :SQLSTATE
SELECT * FROM syncmaster.claim_run(:'slug', 'w1');
\echo :SQLSTATE
SELECT syncmaster.heartbeat_run(:run);
\echo :SQLSTATE
SELECT syncmaster.finish_run(:run, 'FINISHED');
\echo :SQLSTATE
SELECT syncmaster.reap_stale_runs();
\echo :SQLSTATE
INSERT INTO syncmaster.queue (group_id, name) VALUES (:team, 'direct');
\echo :SQLSTATE
UPDATE syncmaster.connection SET description = 'direct' WHERE id = :warehouse;
\echo :SQLSTATE
DELETE FROM syncmaster.run;
\echo :SQLSTATE

SET ROLE standby_maintainer;
SELECT syncmaster.create_queue(:team, 'as a maintainer');
\echo :SQLSTATE
UPDATE syncmaster.queue SET description = 'as a maintainer' WHERE id = :queue;
\echo :SQLSTATE
RESET ROLE;
