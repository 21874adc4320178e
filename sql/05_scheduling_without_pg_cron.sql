-- In a database without pg_cron, transfers work but cannot be scheduled: the refusal says how to
-- get pg_cron, and nothing is written.
\set VERBOSITY default
\set SHOW_CONTEXT never
CREATE EXTENSION pg_syncmaster CASCADE;
SELECT syncmaster.create_user('regress_nc_owner') AS owner \gset
SELECT syncmaster.create_group('regress_nc_team', owner_id => :owner) AS team \gset
INSERT INTO syncmaster.connection (group_id, type, name, data)
VALUES (:team, 'postgres', 'regress_nc_pg', '{"host": "h", "database_name": "d"}') RETURNING id AS pg \gset
SELECT syncmaster.create_queue(:team, 'regress nc queue') AS queue \gset
-- An unscheduled transfer is fine.
SELECT syncmaster.create_transfer(:team, 'regress_nc_once', :pg, :pg, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}') > 0 AS created;
-- A scheduled one is refused, on the API and by direct DML.
SELECT syncmaster.create_transfer(:team, 'regress_nc_nightly', :pg, :pg, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}',
         is_scheduled => true, schedule => '@daily');
UPDATE syncmaster.transfer SET is_scheduled = true, schedule = '@daily' WHERE name = 'regress_nc_once';
SELECT name, is_scheduled, schedule FROM syncmaster.transfer;
DROP EXTENSION pg_syncmaster;
