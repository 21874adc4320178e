-- pg_syncmaster 0.1.0 → 0.2.0. Each change of the schema or of a function's SQL definition since
-- 0.1.0 comes here as well as in its part of src/sql: ./sandbox test installs 0.1.0, updates it,
-- and compares the result with a fresh install object by object (test/upgrade/).
\echo Use "ALTER EXTENSION pg_syncmaster UPDATE TO '0.2.0'" to load this file. \quit

-- list_connections() pages from an index in name order (BENCHMARKS.md, P4). CREATE INDEX blocks
-- writes to connection while it builds: a second or so per million connections.
DROP INDEX syncmaster.ix__connection__group_id;
-- A group's connections in name order (SyncMaster has (group_id) alone): list_connections() takes
-- a page straight from it, and it serves every lookup by group_id as well.
CREATE INDEX ix__connection__group_id_name ON syncmaster.connection (group_id, name);
CREATE OR REPLACE FUNCTION syncmaster.list_connections(group_id bigint, types varchar[] DEFAULT NULL,
                                            search text DEFAULT NULL, page integer DEFAULT 1,
                                            page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, name varchar, description varchar, type varchar, data jsonb,
               total bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q tsquery;
BEGIN
    PERFORM syncmaster.authorize('group', 'read', list_connections.group_id);
    PERFORM syncmaster.check_page(page, page_size);
    PERFORM syncmaster.check_input('list', 'search', search);
    q := CASE WHEN coalesce(search, '') <> '' THEN syncmaster.search_query(search) END;
    PERFORM syncmaster.check_input('connection', 'type', t) FROM unnest(types) t;
    IF q IS NULL THEN
        -- The page in name order from ix__connection__group_id_name and the total counted apart:
        -- a count(*) OVER () would read and sort every row of the group to return 20.
        RETURN QUERY
        SELECT c.id, c.name, c.description, c.type, c.data,
               (SELECT count(*) FROM syncmaster.connection n
                WHERE n.group_id = list_connections.group_id AND (types IS NULL OR n.type = ANY (types)))
        FROM syncmaster.connection c
        WHERE c.group_id = list_connections.group_id AND (types IS NULL OR c.type = ANY (types))
        ORDER BY c.name
        LIMIT page_size OFFSET (page - 1)::bigint * page_size;
        RETURN;
    END IF;
    -- @@ is not leakproof: the group filter is spelled out.
    RETURN QUERY
    SELECT c.id, c.name, c.description, c.type, c.data, count(*) OVER ()
    FROM syncmaster.connection c
    WHERE c.group_id = list_connections.group_id
      AND (types IS NULL OR c.type = ANY (types))
      AND c.search_vector @@ q
    ORDER BY ts_rank(c.search_vector, q) DESC, c.name
    LIMIT page_size OFFSET (page - 1)::bigint * page_size;
END
$$;

-- sync_schedules() also repoints the jobs a restore brought from a database of another name.
-- The role the extension's objects belong to, which its pg_cron jobs run as.
CREATE FUNCTION syncmaster._extension_owner() RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
    RETURN (SELECT r.rolname::text FROM pg_extension e JOIN pg_roles r ON r.oid = e.extowner
            WHERE e.extname = 'pg_syncmaster');
CREATE OR REPLACE FUNCTION syncmaster.sync_schedules()
RETURNS TABLE (transfer_id bigint, job_name text, action text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = 'pg_cron is not installed in this database',
            HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name to this database, restart the server and run CREATE EXTENSION pg_cron.';
    END IF;
    -- Jobs restored from a dump of a database of another name, or of another owner: pg_cron
    -- runs jobs for this database only, and pg_syncmaster schedules from nowhere else, so a job
    -- named like ours is this database's. Point it here, to run as the extension's owner.
    RETURN QUERY
    SELECT substr(j.jobname, 21)::bigint, j.jobname::text, 'repointed'::text
    FROM cron.job j
    WHERE j.jobname LIKE 'syncmaster\_transfer\_%'
      AND (j.database <> current_database() OR j.username <> syncmaster._extension_owner());
    PERFORM cron.alter_job(j.jobid, database => current_database(),
                           username => syncmaster._extension_owner())
    FROM cron.job j
    WHERE j.jobname LIKE 'syncmaster\_transfer\_%'
      AND (j.database <> current_database() OR j.username <> syncmaster._extension_owner());
    -- Jobs of transfers that are gone or no longer scheduled.
    RETURN QUERY
    SELECT substr(j.jobname, 21)::bigint, j.jobname::text, 'unscheduled'::text
    FROM cron.job j
    WHERE j.jobname LIKE 'syncmaster\_transfer\_%' AND j.database = current_database()
      AND NOT EXISTS (SELECT FROM syncmaster.transfer t
                      WHERE 'syncmaster_transfer_' || t.id = j.jobname AND t.is_scheduled);
    PERFORM cron.unschedule(j.jobid)
    FROM cron.job j
    WHERE j.jobname LIKE 'syncmaster\_transfer\_%' AND j.database = current_database()
      AND NOT EXISTS (SELECT FROM syncmaster.transfer t
                      WHERE 'syncmaster_transfer_' || t.id = j.jobname AND t.is_scheduled);
    -- Scheduled transfers whose job is missing or differs: touching the schedule fires the
    -- schedule trigger, which schedules as the extension's owner.
    RETURN QUERY
    WITH missing AS (
        SELECT t.id, 'syncmaster_transfer_' || t.id AS jobname,
               CASE WHEN j.jobid IS NULL THEN 'scheduled' ELSE 'rescheduled' END AS action
        FROM syncmaster.transfer t
        LEFT JOIN cron.job j ON j.jobname = 'syncmaster_transfer_' || t.id
                            AND j.database = current_database()
        WHERE t.is_scheduled
          AND (j.jobid IS NULL OR j.schedule <> syncmaster._pg_cron_schedule(t.schedule)
               OR j.command <> 'SELECT syncmaster.fire_scheduled_transfer(' || t.id || ')')
    ), touched AS (
        UPDATE syncmaster.transfer t SET schedule = t.schedule
        FROM missing m WHERE t.id = m.id
        RETURNING t.id
    )
    SELECT m.id, m.jobname, m.action FROM missing m JOIN touched USING (id);
END
$$;
COMMENT ON FUNCTION syncmaster.sync_schedules() IS
    'Makes cron.job hold exactly one job per scheduled transfer, with its schedule, running in this database as the extension''s owner; returns what it changed (superusers)';
REVOKE ALL ON FUNCTION syncmaster._extension_owner() FROM PUBLIC;

-- The functions that write refuse a NULL id (22023 "<name> is required") instead of answering
-- NULL having done nothing, as STRICT made them.
ALTER FUNCTION syncmaster.delete_transfer(bigint) CALLED ON NULL INPUT;
ALTER FUNCTION syncmaster.fire_scheduled_transfer(bigint) CALLED ON NULL INPUT;
ALTER FUNCTION syncmaster.start_run(bigint) CALLED ON NULL INPUT;
ALTER FUNCTION syncmaster.stop_run(bigint) CALLED ON NULL INPUT;
ALTER FUNCTION syncmaster.heartbeat_run(bigint) CALLED ON NULL INPUT;
