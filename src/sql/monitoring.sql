------------------------------------------------------------------------------------------------
-- Monitoring: views read with the caller's rights (security_invoker), so that each role sees the
-- queues, transfers and runs of its groups, and the system and superusers all of them.
------------------------------------------------------------------------------------------------
-- Per queue: runs waiting for a worker and the oldest of them, runs a worker holds, the last claim.
CREATE VIEW syncmaster.queue_depth WITH (security_invoker = true) AS
SELECT q.id AS queue_id, q.group_id, q.name, q.slug,
       w.waiting, w.oldest_waiting_since,
       pg_catalog.statement_timestamp() - w.oldest_waiting_since AS oldest_waiting_for,
       (SELECT count(*) FROM syncmaster.run r
        WHERE r.queue_id = q.id AND r.status IN ('STARTED', 'SEND_STOP_SIGNAL')) AS running,
       (SELECT max(r.started_at) FROM syncmaster.run r
        WHERE r.queue_id = q.id AND r.started_at IS NOT NULL) AS last_claim_at
FROM syncmaster.queue q,
     LATERAL (SELECT count(*) AS waiting, min(r.created_at) AS oldest_waiting_since
              FROM syncmaster.run r WHERE r.queue_id = q.id AND r.status = 'CREATED') w;
COMMENT ON VIEW syncmaster.queue_depth IS
    'Per queue: runs waiting (CREATED) and since when, runs held by workers, the last claim';

-- Queues with runs waiting that no worker has claimed anything from since the oldest of them
-- arrived: no worker serves the queue, or every worker is stuck in a long run.
CREATE VIEW syncmaster.unserved_queues WITH (security_invoker = true) AS
SELECT queue_id, group_id, name, slug, waiting, oldest_waiting_since, oldest_waiting_for,
       running, last_claim_at
FROM syncmaster.queue_depth
WHERE waiting > 0 AND (last_claim_at IS NULL OR last_claim_at < oldest_waiting_since);
COMMENT ON VIEW syncmaster.unserved_queues IS
    'Queues with runs waiting and no claim since the oldest of them arrived';

-- Runs a worker holds whose lease runs out within a minute, or already has: the reaper (every
-- minute) fails them at its next pass unless the worker renews the lease before.
CREATE VIEW syncmaster.stuck_runs WITH (security_invoker = true) AS
SELECT r.id AS run_id, r.transfer_id, r.queue_id, r.status, r.worker, r.started_at,
       r.lease_expires_at, r.lease_expires_at - pg_catalog.statement_timestamp() AS lease_left,
       r.lease_expires_at < pg_catalog.statement_timestamp() AS expired
FROM syncmaster.run r
WHERE r.status IN ('STARTED', 'SEND_STOP_SIGNAL')
  AND r.lease_expires_at < pg_catalog.statement_timestamp() + interval '1 minute';
COMMENT ON VIEW syncmaster.stuck_runs IS
    'Runs held by a worker whose lease ends within a minute or has ended: the reaper fails them unless renewed';

-- Failed runs with the reason (the worker's message in log_url aside, the reaper's in
-- failure_reason), newest first.
CREATE VIEW syncmaster.failed_runs WITH (security_invoker = true) AS
SELECT r.id AS run_id, r.transfer_id, t.name AS transfer_name, t.group_id, r.queue_id, r.type,
       r.worker, r.started_at, r.ended_at, r.failure_reason, r.log_url
FROM syncmaster.run r JOIN syncmaster.transfer t ON t.id = r.transfer_id
WHERE r.status = 'FAILED'
ORDER BY r.ended_at DESC NULLS LAST, r.id DESC;
COMMENT ON VIEW syncmaster.failed_runs IS
    'Failed runs with their transfer and reason, newest first';

-- Per scheduled transfer: its next fire times, its last scheduled run, and its pg_cron job with
-- the job's last outcome and its failures of the last day, those with no start time included
-- (pg_cron could not even connect). The job columns are NULL for a role that may not read
-- pg_cron's schema, and pg_cron's tables answer each role for its own jobs only: the extension's
-- owner and superusers see them. A function, as the database may have no pg_cron: its tables are
-- read only when it is there and the caller may.
CREATE FUNCTION syncmaster.schedule_health()
RETURNS TABLE (transfer_id bigint, group_id bigint, name varchar, schedule varchar,
               next_fire_at timestamptz, last_scheduled_run_at timestamptz, job_name text,
               job_active boolean, last_job_status text, last_job_message text,
               last_job_end timestamptz, failures_last_day bigint)
    LANGUAGE plpgsql STABLE SECURITY INVOKER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron')
       OR NOT has_schema_privilege('cron', 'USAGE')
       OR NOT has_table_privilege('cron.job', 'SELECT')
       OR NOT has_table_privilege('cron.job_run_details', 'SELECT') THEN
        RETURN QUERY
        SELECT t.id, t.group_id, t.name, t.schedule,
               (SELECT syncmaster.schedule_next(t.schedule) LIMIT 1),
               (SELECT max(r.created_at) FROM syncmaster.run r
                WHERE r.transfer_id = t.id AND r.type = 'SCHEDULED'),
               NULL::text, NULL::boolean, NULL::text, NULL::text, NULL::timestamptz, NULL::bigint
        FROM syncmaster.transfer t WHERE t.is_scheduled;
        RETURN;
    END IF;
    RETURN QUERY EXECUTE $q$
        SELECT t.id, t.group_id, t.name, t.schedule,
               (SELECT syncmaster.schedule_next(t.schedule) LIMIT 1),
               (SELECT max(r.created_at) FROM syncmaster.run r
                WHERE r.transfer_id = t.id AND r.type = 'SCHEDULED'),
               syncmaster._job_name(t.id), j.active, d.status, d.return_message, d.end_time,
               CASE WHEN j.jobid IS NOT NULL THEN
                   (SELECT count(*) FROM cron.job_run_details f
                    WHERE f.jobid = j.jobid AND f.status = 'failed'
                      AND COALESCE(f.end_time, f.start_time, now()) > now() - interval '1 day')
               END
        FROM syncmaster.transfer t
        LEFT JOIN cron.job j ON j.jobname = syncmaster._job_name(t.id)
                            AND j.database = current_database()
        LEFT JOIN LATERAL (SELECT x.status, x.return_message, x.end_time FROM cron.job_run_details x
                           WHERE x.jobid = j.jobid ORDER BY x.runid DESC LIMIT 1) d ON true
        WHERE t.is_scheduled $q$;
END
$$;
COMMENT ON FUNCTION syncmaster.schedule_health() IS
    'Per scheduled transfer: next fire time, last scheduled run, and its pg_cron job''s state, last outcome and failures of the last day (job columns for the jobs'' owner and superusers)';
CREATE VIEW syncmaster.schedule_health WITH (security_invoker = true) AS
SELECT * FROM syncmaster.schedule_health();
COMMENT ON VIEW syncmaster.schedule_health IS
    'syncmaster.schedule_health() as a view';

GRANT SELECT ON syncmaster.queue_depth, syncmaster.unserved_queues, syncmaster.stuck_runs,
    syncmaster.failed_runs, syncmaster.schedule_health TO syncmaster_user;
REVOKE ALL ON FUNCTION syncmaster.schedule_health() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syncmaster.schedule_health() TO syncmaster_user;
