-- In a fresh database of the same cluster, restored with the triggers disabled for the data (no
-- pg_cron can be here): the rows follow and work; the schedules stay data, and the jobs stay in
-- the pg_cron database, once each. Output compared with restored_copy.out.
\set ON_ERROR_STOP off
\set SHOW_CONTEXT never
SELECT id AS team FROM syncmaster."group" WHERE name = 'dump_team' \gset
SELECT 'pg_cron here', count(*) FROM pg_extension WHERE extname = 'pg_cron';
SELECT 'the schedules, as data', string_agg(name || ' ' || schedule, ', ' ORDER BY name)
FROM syncmaster.transfer WHERE group_id = :team AND is_scheduled;
SELECT * FROM syncmaster.sync_schedules();
SELECT 'runs in every state', string_agg(DISTINCT status, ',' ORDER BY status) FROM syncmaster.run;
SELECT 'credentials open with the key', syncmaster.connection_credentials(id)->>'password'
FROM syncmaster.connection WHERE group_id = :team AND name = 'warehouse';
SELECT 'search vectors came with the rows', count(*) FROM syncmaster.list_connections(:team, search => 'dwh');
SELECT max(id) AS last FROM syncmaster.connection \gset
SELECT 'the sequences continue', syncmaster.create_connection(:team, 'after_restore', 'postgres',
         '{"host": "h", "database_name": "d"}', '{"type": "basic", "user": "u", "password": "p"}') > :last;
CREATE ROLE dump_dev LOGIN IN ROLE syncmaster_user;
SET ROLE dump_dev;
SELECT 'a Developer lists the group', string_agg(name, ',' ORDER BY name)
FROM syncmaster.list_connections(:team);
SELECT syncmaster.delete_group(:team);
RESET ROLE;
DROP ROLE dump_dev;
