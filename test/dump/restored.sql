-- In the second cluster, after pg_restore into its pg_cron database "restored" (a name other than
-- the source's): the schedules follow, each once, and the rows work as before. Output compared
-- with restored.out.
\set ON_ERROR_STOP off
\set SHOW_CONTEXT never
SELECT id AS team FROM syncmaster."group" WHERE name = 'dump_team' \gset
SELECT 'the restore scheduled nothing twice', count(*) = count(DISTINCT jobname) FROM cron.job;
SELECT 'first sync_schedules(): it repoints the job of every scheduled transfer, nothing else',
       bool_and(action = 'repointed') AND count(*) = (SELECT count(*) FROM syncmaster.transfer WHERE is_scheduled)
FROM syncmaster.sync_schedules();
SELECT 'a second pass changes nothing', count(*) = 0 FROM syncmaster.sync_schedules();
SELECT 'one job per scheduled transfer, running here',
       (SELECT count(*) FROM cron.job WHERE jobname LIKE 'syncmaster\_transfer\_%')
       = (SELECT count(*) FROM syncmaster.transfer WHERE is_scheduled)
   AND NOT EXISTS (SELECT FROM cron.job WHERE jobname LIKE 'syncmaster\_transfer\_%'
                   AND (database <> current_database()
                        OR username <> (SELECT pg_get_userbyid(extowner) FROM pg_extension
                                        WHERE extname = 'pg_syncmaster')))
   AND NOT EXISTS (SELECT FROM syncmaster.transfer t WHERE t.is_scheduled
                   AND NOT EXISTS (SELECT FROM cron.job j WHERE j.jobname = 'syncmaster_transfer_' || t.id
                                   AND j.schedule = syncmaster._pg_cron_schedule(t.schedule)));
SELECT 'the user''s own job, once', count(*) FROM cron.job WHERE jobname = 'dump_user_job';
SELECT 'runs in every state', string_agg(DISTINCT status, ',' ORDER BY status) FROM syncmaster.run;
SELECT 'credentials open with the key', syncmaster.connection_credentials(id)->>'password'
FROM syncmaster.connection WHERE group_id = :team AND name = 'warehouse';
SELECT 'a job''s command works here', syncmaster.fire_scheduled_transfer(id) IS NOT NULL
FROM syncmaster.transfer WHERE group_id = :team AND name = 'nightly';
SELECT max(id) AS last FROM syncmaster.connection \gset
SELECT 'the sequences continue', syncmaster.create_connection(:team, 'after_restore', 'postgres',
         '{"host": "h", "database_name": "d"}', '{"type": "basic", "user": "u", "password": "p"}') > :last;
CREATE ROLE dump_dev LOGIN IN ROLE syncmaster_user;
SET ROLE dump_dev;
SELECT 'a Developer lists the group', string_agg(name, ',' ORDER BY name)
FROM syncmaster.list_connections(:team);
SELECT syncmaster.delete_group(:team);
SELECT 'and may schedule', syncmaster.create_transfer(:team, 'after_restore', c.id, c.id, q.id,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}',
         is_scheduled => true, schedule => '0 5 * * *') > 0
FROM syncmaster.connection c, syncmaster.queue q
WHERE c.group_id = :team AND c.name = 'warehouse' AND q.group_id = :team;
RESET ROLE;
SELECT 'whose job runs here', database = current_database() FROM cron.job j
JOIN syncmaster.transfer t ON j.jobname = 'syncmaster_transfer_' || t.id WHERE t.name = 'after_restore';
