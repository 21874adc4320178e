-- The run lifecycle, told with real workers beside it: ./sandbox demo starts demo/worker.py
-- (worker-1) on the queue before this script; section 21 swaps it for another one (doomed) whose
-- connection is killed mid-run. The environment carries WORKER1_PID, DOOMED_QUEUE, SYNCMASTER_ROOT
-- and the PG* settings of the worker role.
\set ON_ERROR_STOP 1
\pset footer off
\ir refused.sql
CREATE FUNCTION pg_temp.wait_for(run_id bigint, wanted text, seconds int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    current text;
BEGIN
    FOR i IN 1 .. seconds * 10 LOOP
        SELECT r.status INTO current FROM syncmaster.run r WHERE r.id = run_id;
        EXIT WHEN current = wanted;
        PERFORM pg_sleep(0.1);
    END LOOP;
    RETURN current;
END
$$;
SELECT id AS orders FROM syncmaster.transfer WHERE name = 'orders to s3' AND group_id =
    (SELECT id FROM syncmaster."group" WHERE name = 'data-platform') \gset

\echo
\echo '18. A manual run: barbara starts it, worker-1 hears of it (NOTIFY), claims it, reads the'
\echo '    credentials, renews its lease and finishes it.'
SET ROLE barbara;
SELECT syncmaster.start_run(:orders) AS manual \gset
RESET ROLE;
SELECT pg_temp.wait_for(:manual, 'FINISHED', 30) AS "status after the worker";
SELECT status, type, worker, started_at IS NOT NULL AS started, ended_at IS NOT NULL AS ended, log_url
FROM syncmaster.run WHERE id = :manual;

\echo
\echo '19. A stop: barbara stops a running run; the worker hears it at its next heartbeat and'
\echo '    acknowledges with STOPPED.'
SET ROLE barbara;
SELECT syncmaster.start_run(:orders) AS stopped \gset
RESET ROLE;
SELECT pg_temp.wait_for(:stopped, 'STARTED', 30) AS "claimed";
SET ROLE barbara;
SELECT syncmaster.stop_run(:stopped);
SELECT status AS "right after stop_run" FROM syncmaster.run WHERE id = :stopped;
RESET ROLE;
SELECT pg_temp.wait_for(:stopped, 'STOPPED', 30) AS "after the worker's next heartbeat";
\echo '   A run stopped before any worker took it is STOPPED at once; a stopped run cannot be stopped again:'
SET ROLE barbara;
SELECT pg_temp.refused(format('SELECT syncmaster.stop_run(%s)', :stopped)) AS "stop it again";
RESET ROLE;

\echo
\echo '20. A scheduled run: pg_cron fires the transfer (every minute now), the worker runs it.'
SET ROLE barbara;
UPDATE syncmaster.transfer SET schedule = '* * * * *' WHERE id = :orders;
RESET ROLE;
SELECT jobname, schedule FROM cron.job WHERE jobname = 'syncmaster_transfer_' || :orders;
SELECT max(id) AS before_cron FROM syncmaster.run \gset
SELECT set_config('demo.before_cron', :'before_cron', false) \g /dev/null
DO $$
BEGIN
    FOR i IN 1 .. 750 LOOP
        EXIT WHEN EXISTS (SELECT FROM syncmaster.run r
                          WHERE r.id > current_setting('demo.before_cron')::bigint
                            AND r.type = 'SCHEDULED' AND r.status = 'FINISHED');
        PERFORM pg_sleep(0.1);
    END LOOP;
END
$$;
SELECT id, type, status, worker, started_at - created_at < interval '5 seconds' AS "claimed at once"
FROM syncmaster.run WHERE id > :before_cron AND type = 'SCHEDULED';
SET ROLE barbara;
UPDATE syncmaster.transfer SET is_scheduled = false WHERE id = :orders;
RESET ROLE;

\echo
\echo '21. A worker that dies: "doomed" claims a run and its connection is killed mid-run. Its lease'
\echo '    (10 s for this worker role) runs out; the reaper (pg_cron runs it every minute; here by'
\echo '    hand) fails the run and says why.'
\! kill $WORKER1_PID
\! /usr/bin/python3 "$SYNCMASTER_ROOT/demo/worker.py" --queue "$DOOMED_QUEUE" --name doomed --work 600 --heartbeat 5 >/dev/null 2>&1 &
SELECT pg_sleep(1);
SET ROLE barbara;
SELECT syncmaster.start_run(:orders) AS lost \gset
RESET ROLE;
SELECT pg_temp.wait_for(:lost, 'STARTED', 30) AS "claimed";
SELECT worker FROM syncmaster.run WHERE id = :lost;
SELECT count(pg_terminate_backend(pid)) AS "workers killed" FROM pg_stat_activity
WHERE application_name = 'syncmaster-worker doomed';
SELECT pg_sleep(11);
SELECT jobname, schedule, command FROM cron.job WHERE jobname = 'syncmaster_reap_stale_runs';
SELECT syncmaster.reap_stale_runs() AS reaped;
SELECT status, failure_reason FROM syncmaster.run WHERE id = :lost;

\echo
\echo '22. The transfer''s runs, newest first, as any member sees them:'
SET ROLE edsger;
SELECT id, status, type, worker, total FROM syncmaster.list_runs(:orders);
RESET ROLE;
