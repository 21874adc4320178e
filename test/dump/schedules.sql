-- After test/dump/fill.sql, in the database pg_cron runs in: scheduled transfers, a job of the
-- user's own, and runs in every state, for the restore test (./sandbox test, run_restore).
\set ON_ERROR_STOP on
SELECT id AS team FROM syncmaster."group" WHERE name = 'dump_team' \gset
SELECT id AS warehouse FROM syncmaster.connection WHERE name = 'warehouse' \gset
SELECT id AS exports FROM syncmaster.connection WHERE name = 'exports' \gset
SELECT id AS queue, slug FROM syncmaster.queue WHERE group_id = :team \gset
SELECT syncmaster.create_transfer(:team, 'nightly', :warehouse, :exports, :queue,
         '{"type": "postgres", "table_name": "public.orders"}',
         '{"type": "s3", "directory_path": "/orders", "file_format": {"type": "csv"}}',
         is_scheduled => true, schedule => '0 3 * * *') AS nightly \gset
SELECT syncmaster.create_transfer(:team, 'hourly', :warehouse, :exports, :queue,
         '{"type": "postgres", "table_name": "public.items"}',
         '{"type": "s3", "directory_path": "/items", "file_format": {"type": "csv"}}',
         is_scheduled => true, schedule => '@hourly');
SELECT cron.schedule('dump_user_job', '0 1 * * *', 'SELECT 1');
-- Runs in every state: FINISHED, FAILED, STOPPED (stopped before a worker took it),
-- SEND_STOP_SIGNAL (asked to stop while running), STARTED, CREATED; claims are the oldest first.
SELECT syncmaster.start_run(:nightly) FROM generate_series(1, 6);
SELECT syncmaster.finish_run(syncmaster.claim_run_id(:'slug', 'dump-worker'), 'FINISHED');
SELECT syncmaster.finish_run(syncmaster.claim_run_id(:'slug', 'dump-worker'), 'FAILED');
SELECT syncmaster.stop_run(syncmaster.claim_run_id(:'slug', 'dump-worker'));
SELECT syncmaster.claim_run_id(:'slug', 'dump-worker');
SELECT syncmaster.stop_run(max(id)) FROM syncmaster.run WHERE status = 'CREATED';
