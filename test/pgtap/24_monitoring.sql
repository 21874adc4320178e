-- Monitoring views and run retention: what each view shows, to whom (the caller's rights), and
-- purge_runs() removing only runs that ended longer ago than syncmaster.run_retention.
BEGIN;
SELECT plan(28);

CREATE ROLE regress_mo_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_mo_out LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('regress_mo_owner') AS owner \gset
SELECT syncmaster.create_user('regress_mo_out') AS outsider \gset
SELECT syncmaster.create_group('regress_mo_team', owner_id => :owner) AS team \gset
SELECT syncmaster.create_connection(:team, 'regress_mo_pg', 'postgres', '{"host": "h", "database_name": "d"}',
                                    '{"type": "basic", "user": "u", "password": "p"}') AS pg \gset
SELECT syncmaster.create_queue(:team, 'regress mo served') AS served \gset
SELECT syncmaster.create_queue(:team, 'regress mo idle') AS idle \gset
SELECT slug AS served_slug FROM syncmaster.queue WHERE id = :served \gset
SELECT syncmaster.create_transfer(:team, 'regress_mo_a', :pg, :pg, :served,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}') AS ta \gset
SELECT syncmaster.create_transfer(:team, 'regress_mo_b', :pg, :pg, :idle,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}',
         is_scheduled => true, schedule => '0 3 * * *') AS tb \gset

-- The served queue: one run claimed with a short lease, one with the default, one waiting, one
-- failed by its worker. The idle queue: one run waiting, never claimed.
SELECT syncmaster.start_run(:ta) AS r1 \gset
SELECT syncmaster.start_run(:ta) AS r2 \gset
SELECT syncmaster.start_run(:ta) AS r3 \gset
SELECT syncmaster.start_run(:ta) AS r4 \gset
SELECT syncmaster.start_run(:tb) AS r5 \gset
SET LOCAL syncmaster.run_lease = 10;
SELECT is((SELECT id FROM syncmaster.claim_run(:'served_slug', 'regress-mo-short')), :r1::bigint, 'a claim with a 10 s lease');
RESET syncmaster.run_lease;
SELECT is((SELECT id FROM syncmaster.claim_run(:'served_slug', 'regress-mo-long')), :r2::bigint, 'a claim with the default lease');
SELECT is((SELECT id FROM syncmaster.claim_run(:'served_slug', 'regress-mo-failing')), :r3::bigint, 'a third claim');
SELECT lives_ok(format('SELECT syncmaster.finish_run(%s, %L, %L)', :r3, 'FAILED', 'https://logs/r3'), 'which fails');

SELECT results_eq(format($$SELECT name::text, waiting, running, last_claim_at IS NOT NULL, oldest_waiting_for >= interval '0'
                          FROM syncmaster.queue_depth WHERE group_id = %s ORDER BY name$$, :team),
                  $$ VALUES ('regress mo idle', 1::bigint, 0::bigint, false, true),
                            ('regress mo served', 1, 2, true, true) $$,
                  'queue_depth: waiting, running and the last claim per queue');
SELECT results_eq(format('SELECT queue_id FROM syncmaster.unserved_queues WHERE group_id = %s', :team),
                  format('VALUES (%s::bigint)', :idle),
                  'unserved_queues: the queue nothing was claimed from since its oldest run arrived');
SELECT results_eq(format('SELECT run_id, worker::text, expired FROM syncmaster.stuck_runs WHERE transfer_id = %s', :ta),
                  format($$VALUES (%s::bigint, 'regress-mo-short', false)$$, :r1),
                  'stuck_runs: the run whose lease ends within a minute, not the one with five');
SELECT results_eq(format('SELECT run_id, transfer_name::text, log_url::text FROM syncmaster.failed_runs WHERE group_id = %s', :team),
                  format($$VALUES (%s::bigint, 'regress_mo_a', 'https://logs/r3')$$, :r3),
                  'failed_runs: the failed run with its transfer and log');

-- schedule_health: the next fire time, and the pg_cron job with its failures of the last day,
-- one of them without a start time (pg_cron could not connect).
SELECT results_eq(format($$SELECT next_fire_at = syncmaster.schedule_next('0 3 * * *'), last_scheduled_run_at,
                                  job_name, job_active, failures_last_day
                           FROM syncmaster.schedule_health WHERE transfer_id = %s$$, :tb),
                  format($$VALUES (true, NULL::timestamptz, 'syncmaster_transfer_%s', true, 0::bigint)$$, :tb),
                  'schedule_health: next fire time, no scheduled run yet, the job active and no failure');
INSERT INTO cron.job_run_details (jobid, runid, database, username, command, status, return_message)
SELECT jobid, nextval('cron.runid_seq'), database, username, command, 'failed', 'connection failed'
FROM cron.job WHERE jobname = 'syncmaster_transfer_' || :tb;
SELECT results_eq(format('SELECT last_job_status, last_job_message, failures_last_day FROM syncmaster.schedule_health WHERE transfer_id = %s', :tb),
                  $$ VALUES ('failed', 'connection failed', 1::bigint) $$,
                  'a failure without a start time counts, and is the last outcome');
SELECT lives_ok(format('SELECT syncmaster.fire_scheduled_transfer(%s)', :tb), 'the schedule fires');
SELECT isnt((SELECT last_scheduled_run_at FROM syncmaster.schedule_health WHERE transfer_id = :tb), NULL,
            'and its run is the last scheduled run');

-- The caller's rights: the owner sees its group (pg_cron's job columns only for the jobs' owner);
-- an outsider sees nothing.
SET ROLE regress_mo_owner;
SELECT is((SELECT count(*) FROM syncmaster.queue_depth WHERE group_id = :team), 2::bigint, 'the owner sees its queues');
SELECT is((SELECT count(*) FROM syncmaster.failed_runs WHERE group_id = :team), 1::bigint, 'and its failed runs');
SELECT results_eq(format('SELECT next_fire_at IS NOT NULL, job_name, failures_last_day FROM syncmaster.schedule_health WHERE transfer_id = %s', :tb),
                  $$ VALUES (true, NULL::text, NULL::bigint) $$,
                  'and its schedules, without the jobs of another role');
SET ROLE regress_mo_out;
SELECT is((SELECT count(*) FROM syncmaster.queue_depth WHERE group_id = :team), 0::bigint, 'an outsider sees no queue');
SELECT is((SELECT count(*) FROM syncmaster.unserved_queues WHERE group_id = :team)
          + (SELECT count(*) FROM syncmaster.stuck_runs WHERE transfer_id = :ta)
          + (SELECT count(*) FROM syncmaster.failed_runs WHERE group_id = :team)
          + (SELECT count(*) FROM syncmaster.schedule_health WHERE group_id = :team), 0::bigint,
          'no run, no failure, no schedule');
RESET ROLE;

-- Retention: a pg_cron job made with the reaper's at the first claim, once each; only runs that
-- ended longer ago than the setting go; nothing while it is 0.
SELECT results_eq($$ SELECT jobname::text COLLATE "default", schedule::text COLLATE "default", command COLLATE "default" FROM cron.job
                     WHERE jobname IN ('syncmaster_reap_stale_runs', 'syncmaster_purge_runs') ORDER BY jobname $$,
                  $$ VALUES ('syncmaster_purge_runs', '* * * * *', 'SELECT syncmaster.purge_runs()'),
                            ('syncmaster_reap_stale_runs', '* * * * *', 'SELECT syncmaster.reap_stale_runs()') $$,
                  'the retention job runs every minute beside the reaper');
SELECT is_empty('SELECT * FROM syncmaster.sync_schedules() WHERE transfer_id IS NULL',
                'sync_schedules() knows it for the extension''s own');
SET ROLE regress_mo_owner;
SELECT throws_ok('SELECT syncmaster.purge_runs()', '42501', 'You have no power here', 'a user purges nothing');
RESET ROLE;
SELECT throws_ok('SELECT syncmaster.purge_runs(0)', '22023', 'batch should be between 1 and 1000000', 'a batch of 0');
SELECT lives_ok(format('SELECT syncmaster.finish_run(%s, %L, NULL)', :r2, 'FINISHED'), 'a second run ends');
SELECT lives_ok(format('SELECT syncmaster.stop_run(%s)', :r4), 'a waiting one is stopped');
SELECT pg_sleep(1.1);
SELECT is(syncmaster.purge_runs(), 0, 'with syncmaster.run_retention at 0 (the default) nothing is removed');
SET LOCAL syncmaster.run_retention = '1s';
SELECT is(syncmaster.purge_runs(1), 1, 'once ended longer ago than the setting, a batch of one goes');
SELECT is(syncmaster.purge_runs(), 2, 'then the rest of the ended runs');
SELECT results_eq(format('SELECT id, status::text FROM syncmaster.run WHERE transfer_id IN (%s, %s) ORDER BY id', :ta, :tb),
                  format($$VALUES (%s::bigint, 'STARTED'), (%s, 'CREATED'), (%s, 'CREATED')$$, :r1, :r5,
                         (SELECT max(id) FROM syncmaster.run WHERE transfer_id = :tb)),
                  'a run that has not ended stays, however old');
SELECT is((SELECT total FROM syncmaster.list_runs(:ta) LIMIT 1), 1::bigint, 'and list_runs counts what is left');

SELECT * FROM finish();
ROLLBACK;
