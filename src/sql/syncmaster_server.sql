------------------------------------------------------------------------------------------------
-- SyncMaster's own server on this database (README, "Running SyncMaster on pg_syncmaster"): the
-- tables its deployment expects besides the eight of the model, made only when an administrator
-- asks for them. Nothing here runs at CREATE EXTENSION.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.prepare_syncmaster_server(server_role regrole) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    SET client_min_messages = warning  -- quiet on a second run ("already exists, skipping")
AS $$
DECLARE
    stamped text;
BEGIN
    -- Alembic's version table at SyncMaster's newest revision: `alembic upgrade head` finds the
    -- schema current and changes nothing (its first migration would create "user" again).
    CREATE TABLE IF NOT EXISTS syncmaster.alembic_version (
        version_num varchar(32) NOT NULL,
        CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
    );
    SELECT string_agg(version_num, ', ') INTO stamped FROM syncmaster.alembic_version;
    IF stamped IS NULL THEN
        INSERT INTO syncmaster.alembic_version VALUES ('0012');
    ELSIF stamped <> '0012' THEN
        RAISE EXCEPTION 'alembic_version holds revision %, not 0012', stamped
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'pg_syncmaster''s schema is SyncMaster''s at revision 0012.';
    END IF;

    -- The job store of SyncMaster's scheduler (APScheduler's SQLAlchemy store).
    CREATE TABLE IF NOT EXISTS syncmaster.apscheduler_jobs (
        id varchar(191) NOT NULL,
        next_run_time double precision,
        job_state bytea NOT NULL,
        CONSTRAINT apscheduler_jobs_pkey PRIMARY KEY (id)
    );
    CREATE INDEX IF NOT EXISTS ix_apscheduler_jobs_next_run_time
        ON syncmaster.apscheduler_jobs (next_run_time);

    -- Celery's result backend, as SyncMaster's migration makes it.
    CREATE SEQUENCE IF NOT EXISTS syncmaster.task_id_sequence;
    CREATE SEQUENCE IF NOT EXISTS syncmaster.taskset_id_sequence;
    CREATE TABLE IF NOT EXISTS syncmaster.celery_taskmeta (
        id integer NOT NULL,
        task_id varchar(155),
        status varchar(50),
        result bytea,
        date_done timestamp without time zone,
        traceback text,
        name varchar(155),
        args bytea,
        kwargs bytea,
        worker varchar(155),
        retries integer,
        queue varchar(155),
        PRIMARY KEY (id),
        UNIQUE (task_id)
    );
    CREATE TABLE IF NOT EXISTS syncmaster.celery_tasksetmeta (
        id integer NOT NULL,
        taskset_id varchar(155),
        result bytea,
        date_done timestamp without time zone,
        PRIMARY KEY (id),
        UNIQUE (taskset_id)
    );

    EXECUTE format('GRANT SELECT ON syncmaster.alembic_version TO %s', server_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON syncmaster.apscheduler_jobs, '
                   'syncmaster.celery_taskmeta, syncmaster.celery_tasksetmeta TO %s', server_role);
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON SEQUENCE syncmaster.task_id_sequence, '
                   'syncmaster.taskset_id_sequence TO %s', server_role);
END
$$;
COMMENT ON FUNCTION syncmaster.prepare_syncmaster_server(regrole) IS
    'Makes what SyncMaster''s own deployment expects besides the model (alembic_version at 0012, its scheduler''s job store, Celery''s result tables) and grants them to its role: then syncmaster.dispatcher and syncmaster.scheduler, left at auto, hand runs and schedules to SyncMaster (superusers only)';
REVOKE ALL ON FUNCTION syncmaster.prepare_syncmaster_server(regrole) FROM PUBLIC;
