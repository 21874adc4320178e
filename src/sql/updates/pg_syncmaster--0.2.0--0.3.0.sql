-- pg_syncmaster 0.2.0 → 0.3.0. Each change of the schema or of a function's SQL definition since
-- 0.2.0 comes here as well as in its part of src/sql: ./sandbox test installs the oldest release,
-- updates it, and compares the result with a fresh install object by object (test/upgrade/).
\echo Use "ALTER EXTENSION pg_syncmaster UPDATE TO '0.3.0'" to load this file. \quit

-- Identity fails closed. Applications acting for users get a role of their own, syncmaster_app,
-- whose members must name the user in every transaction (28000 otherwise, never the system);
-- syncmaster_service stays the system and no longer names users. An application that connected
-- as a syncmaster_service member and set syncmaster.acting_user must be granted syncmaster_app
-- instead (its SET is refused from this version on); workers and SyncMaster's server keep their
-- role. The library honours syncmaster.acting_user only in the transaction that set it.
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'syncmaster_app') THEN
        CREATE ROLE syncmaster_app NOLOGIN;
    END IF;
    IF NOT pg_catalog.pg_has_role('syncmaster_app', 'syncmaster_user', 'MEMBER') THEN
        GRANT syncmaster_user TO syncmaster_app;
    END IF;
END
$roles$;
GRANT SET ON PARAMETER syncmaster.acting_user TO syncmaster_app;
REVOKE SET ON PARAMETER syncmaster.acting_user FROM syncmaster_service;

-- Column rights, declared per entity and applied by every rules trigger (the library); this shows
-- them.
CREATE FUNCTION syncmaster.column_rights(OUT table_name text, OUT column_name text,
                                         OUT on_insert text, OUT on_update text,
                                         OUT refusal text)
    RETURNS SETOF record
    LANGUAGE c IMMUTABLE PARALLEL SAFE ROWS 80
    AS 'MODULE_PATHNAME', 'syncmaster_column_rights';
COMMENT ON FUNCTION syncmaster.column_rights() IS
    'Who may write each column of each table on INSERT and on UPDATE, as the rules triggers apply it';
REVOKE ALL ON FUNCTION syncmaster.column_rights() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syncmaster.column_rights() TO syncmaster_user;

-- Row locks need write access: one policy per command, the UPDATE policy (which PostgreSQL also
-- checks for SELECT ... FOR UPDATE / FOR SHARE) reaching only rows the actor may change.
CREATE FUNCTION syncmaster.writable_group_ids(entity text) RETURNS bigint[]
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'syncmaster_writable_group_ids';
COMMENT ON FUNCTION syncmaster.writable_group_ids(text) IS
    'The groups where the acting user may change rows of the entity (membership, connection, queue, transfer, run): every group for the system and superusers';
CREATE FUNCTION syncmaster.refuse_update(entity text, key bigint) RETURNS boolean
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'syncmaster_refuse_update';
COMMENT ON FUNCTION syncmaster.refuse_update(text, bigint) IS
    'Raises the 42501 the acting user gets for changing or locking a row of the entity in this group (for "user": of this user) that it sees but may not change';
REVOKE ALL ON FUNCTION syncmaster.writable_group_ids(text), syncmaster.refuse_update(text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syncmaster.writable_group_ids(text), syncmaster.refuse_update(text, bigint)
    TO syncmaster_user;

DROP POLICY visible ON syncmaster."user";
CREATE POLICY visible ON syncmaster."user" FOR SELECT
    USING ((SELECT syncmaster.sees_all_groups()) OR is_active);
CREATE POLICY insertable ON syncmaster."user" FOR INSERT
    WITH CHECK (true);
CREATE POLICY changeable ON syncmaster."user" FOR UPDATE
    USING ((SELECT syncmaster.sees_all_groups()) OR id = (SELECT syncmaster.current_user_id())
           OR (is_active AND syncmaster.refuse_update('user', id)))
    WITH CHECK (true);
CREATE POLICY deletable ON syncmaster."user" FOR DELETE
    USING ((SELECT syncmaster.sees_all_groups()) OR is_active);

DROP POLICY visible ON syncmaster."group";
CREATE POLICY visible ON syncmaster."group" FOR SELECT
    USING ((SELECT syncmaster.sees_all_groups())
           OR id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[])
           OR owner_id = (SELECT syncmaster.current_user_id()));
CREATE POLICY insertable ON syncmaster."group" FOR INSERT
    WITH CHECK (true);
CREATE POLICY changeable ON syncmaster."group" FOR UPDATE
    USING ((SELECT syncmaster.sees_all_groups()) OR owner_id = (SELECT syncmaster.current_user_id())
           OR (id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[])
               AND syncmaster.refuse_update('group', id)))
    WITH CHECK (true);
CREATE POLICY deletable ON syncmaster."group" FOR DELETE
    USING ((SELECT syncmaster.sees_all_groups())
           OR id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[])
           OR owner_id = (SELECT syncmaster.current_user_id()));

DROP POLICY visible ON syncmaster.user_group;
CREATE POLICY visible ON syncmaster.user_group FOR SELECT
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]));
CREATE POLICY insertable ON syncmaster.user_group FOR INSERT
    WITH CHECK (true);
CREATE POLICY changeable ON syncmaster.user_group FOR UPDATE
    USING (group_id = ANY ((SELECT syncmaster.writable_group_ids('membership'))::bigint[])
           OR (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[])
               AND syncmaster.refuse_update('membership', group_id)))
    WITH CHECK (true);
CREATE POLICY deletable ON syncmaster.user_group FOR DELETE
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]));

DROP POLICY visible ON syncmaster.connection;
CREATE POLICY visible ON syncmaster.connection FOR SELECT
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]));
CREATE POLICY insertable ON syncmaster.connection FOR INSERT
    WITH CHECK (true);
CREATE POLICY changeable ON syncmaster.connection FOR UPDATE
    USING (group_id = ANY ((SELECT syncmaster.writable_group_ids('connection'))::bigint[])
           OR (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[])
               AND syncmaster.refuse_update('connection', group_id)))
    WITH CHECK (true);
CREATE POLICY deletable ON syncmaster.connection FOR DELETE
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]));

DROP POLICY visible ON syncmaster.queue;
CREATE POLICY visible ON syncmaster.queue FOR SELECT
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]));
CREATE POLICY insertable ON syncmaster.queue FOR INSERT
    WITH CHECK (true);
CREATE POLICY changeable ON syncmaster.queue FOR UPDATE
    USING (group_id = ANY ((SELECT syncmaster.writable_group_ids('queue'))::bigint[])
           OR (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[])
               AND syncmaster.refuse_update('queue', group_id)))
    WITH CHECK (true);
CREATE POLICY deletable ON syncmaster.queue FOR DELETE
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]));

DROP POLICY visible ON syncmaster.transfer;
CREATE POLICY visible ON syncmaster.transfer FOR SELECT
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]));
CREATE POLICY insertable ON syncmaster.transfer FOR INSERT
    WITH CHECK (true);
CREATE POLICY changeable ON syncmaster.transfer FOR UPDATE
    USING (group_id = ANY ((SELECT syncmaster.writable_group_ids('transfer'))::bigint[])
           OR (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[])
               AND syncmaster.refuse_update('transfer', group_id)))
    WITH CHECK (true);
CREATE POLICY deletable ON syncmaster.transfer FOR DELETE
    USING (group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]));

DROP POLICY visible ON syncmaster.run;
CREATE POLICY visible ON syncmaster.run FOR SELECT
    USING ((SELECT syncmaster.sees_all_groups())
           OR transfer_id IN (SELECT t.id FROM syncmaster.transfer t
                              WHERE t.group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[])));
CREATE POLICY insertable ON syncmaster.run FOR INSERT
    WITH CHECK (true);
CREATE POLICY changeable ON syncmaster.run FOR UPDATE
    USING ((SELECT syncmaster.sees_all_groups())
           OR transfer_id IN (SELECT t.id FROM syncmaster.transfer t
                              WHERE t.group_id = ANY ((SELECT syncmaster.writable_group_ids('run'))::bigint[]))
           OR (transfer_id IN (SELECT t.id FROM syncmaster.transfer t
                               WHERE t.group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[]))
               AND syncmaster.refuse_update('run', (SELECT t.group_id FROM syncmaster.transfer t
                                                    WHERE t.id = transfer_id))))
    WITH CHECK (true);
CREATE POLICY deletable ON syncmaster.run FOR DELETE
    USING ((SELECT syncmaster.sees_all_groups())
           OR transfer_id IN (SELECT t.id FROM syncmaster.transfer t
                              WHERE t.group_id = ANY ((SELECT syncmaster.visible_group_ids())::bigint[])));

-- Notifications name no tenant's queue, group, transfer or run: any role may LISTEN.
COMMENT ON FUNCTION syncmaster.run_notify() IS
    'NOTIFY syncmaster_runs with an empty payload, a hint that there may be work, for new runs and stop requests (syncmaster.notify_runs; at commit)';

-- The extension's pg_cron jobs are recognised by name, owner and command: a look-alike job of
-- another role is reported by sync_schedules() and left alone.
-- Which pg_cron jobs are the extension's: named syncmaster_transfer_<id> and running exactly
-- fire_scheduled_transfer(<id>), or named syncmaster_reap_stale_runs and running the reaper. A job
-- named alike that runs anything else is another role's: it is reported and left alone.
CREATE FUNCTION syncmaster._is_extension_job(jobname text, command text) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT AS 'MODULE_PATHNAME', 'syncmaster_is_extension_job';

-- Reconciles cron.job with the transfers (after a restore, or a job removed by hand) and says what
-- it changed. For superusers (cron.job is pg_cron's).
-- The names and commands of the jobs, defined once (src/transfer/rules): the transfer of a transfer's
-- job (NULL for any other job), a transfer's job name and command, and the prefix of every name.
CREATE FUNCTION syncmaster._job_transfer(jobname text, command text) RETURNS bigint
    LANGUAGE c IMMUTABLE STRICT AS 'MODULE_PATHNAME', 'syncmaster_job_transfer';
CREATE FUNCTION syncmaster._job_name(transfer_id bigint) RETURNS text
    LANGUAGE c IMMUTABLE STRICT AS 'MODULE_PATHNAME', 'syncmaster_job_name';
CREATE FUNCTION syncmaster._job_command(transfer_id bigint) RETURNS text
    LANGUAGE c IMMUTABLE STRICT AS 'MODULE_PATHNAME', 'syncmaster_job_command';
CREATE FUNCTION syncmaster._job_prefix() RETURNS text
    LANGUAGE c IMMUTABLE AS 'MODULE_PATHNAME', 'syncmaster_job_prefix';

REVOKE ALL ON FUNCTION syncmaster._job_transfer(text, text), syncmaster._job_name(bigint),
    syncmaster._job_command(bigint), syncmaster._job_prefix() FROM PUBLIC;

CREATE OR REPLACE FUNCTION syncmaster.sync_schedules()
RETURNS TABLE (transfer_id bigint, job_name text, action text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    owner text := syncmaster._extension_owner();
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = 'pg_cron is not installed in this database',
            HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name to this database, restart the server and run CREATE EXTENSION pg_cron.';
    END IF;
    -- Jobs named like ours that are not: reported, never touched.
    RETURN QUERY
    SELECT NULL::bigint, j.jobname::text, 'foreign, left alone'::text
    FROM cron.job j
    WHERE starts_with(j.jobname, syncmaster._job_prefix())
      AND NOT syncmaster._is_extension_job(j.jobname, j.command);
    -- Transfer jobs restored from a dump of a database of another name, or of another owner:
    -- pg_cron runs jobs for this database only, and pg_syncmaster schedules from nowhere else.
    -- Point them here, to run as the extension's owner.
    RETURN QUERY
    SELECT syncmaster._job_transfer(j.jobname, j.command), j.jobname::text, 'repointed'::text
    FROM cron.job j
    WHERE syncmaster._job_transfer(j.jobname, j.command) IS NOT NULL
      AND (j.database <> current_database() OR j.username <> owner);
    PERFORM cron.alter_job(j.jobid, database => current_database(), username => owner)
    FROM cron.job j
    WHERE syncmaster._job_transfer(j.jobname, j.command) IS NOT NULL
      AND (j.database <> current_database() OR j.username <> owner);
    -- Jobs of transfers that are gone or no longer scheduled.
    RETURN QUERY
    SELECT syncmaster._job_transfer(j.jobname, j.command), j.jobname::text, 'unscheduled'::text
    FROM cron.job j
    WHERE syncmaster._job_transfer(j.jobname, j.command) IS NOT NULL
      AND j.database = current_database() AND j.username = owner
      AND NOT EXISTS (SELECT FROM syncmaster.transfer t
                      WHERE t.id = syncmaster._job_transfer(j.jobname, j.command) AND t.is_scheduled);
    PERFORM cron.unschedule(j.jobid)
    FROM cron.job j
    WHERE syncmaster._job_transfer(j.jobname, j.command) IS NOT NULL
      AND j.database = current_database() AND j.username = owner
      AND NOT EXISTS (SELECT FROM syncmaster.transfer t
                      WHERE t.id = syncmaster._job_transfer(j.jobname, j.command) AND t.is_scheduled);
    -- Scheduled transfers whose job is missing or differs: touching the schedule fires the
    -- schedule trigger, which schedules as the extension's owner.
    RETURN QUERY
    WITH missing AS (
        SELECT t.id, syncmaster._job_name(t.id) AS jobname,
               CASE WHEN j.jobid IS NULL THEN 'scheduled' ELSE 'rescheduled' END AS action
        FROM syncmaster.transfer t
        LEFT JOIN cron.job j ON j.jobname = syncmaster._job_name(t.id)
                            AND j.database = current_database() AND j.username = owner
        WHERE t.is_scheduled
          AND (j.jobid IS NULL OR j.schedule <> syncmaster._pg_cron_schedule(t.schedule)
               OR j.command <> syncmaster._job_command(t.id))
    ), touched AS (
        UPDATE syncmaster.transfer t SET schedule = t.schedule
        FROM missing m WHERE t.id = m.id
        RETURNING t.id
    )
    SELECT m.id, m.jobname, m.action FROM missing m JOIN touched USING (id);
END
$$;
COMMENT ON FUNCTION syncmaster.sync_schedules() IS
    'Makes cron.job hold exactly one job per scheduled transfer, with its schedule, running in this database as the extension''s owner; reports jobs named alike that are not the extension''s, and leaves them alone; returns what it changed (superusers)';
REVOKE ALL ON FUNCTION syncmaster._is_extension_job(text, text) FROM PUBLIC;

-- The API functions of users, groups, members, connections and queues, and every list function,
-- are C++ like those of transfers and runs: each checks its arguments and the acting user's
-- permission in core, and no PL/pgSQL body holds a rule. check_input, check_page and the
-- credential helpers they called go (their C symbols stay, refusing, for older install scripts).

CREATE OR REPLACE FUNCTION syncmaster.create_user(
    username varchar,
    email varchar DEFAULT NULL,
    first_name varchar DEFAULT NULL,
    last_name varchar DEFAULT NULL,
    middle_name varchar DEFAULT NULL,
    is_superuser boolean DEFAULT false,
    is_active boolean DEFAULT true
) RETURNS bigint
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_create_user';

CREATE OR REPLACE FUNCTION syncmaster.list_users(search text DEFAULT NULL, page integer DEFAULT 1,
                                      page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, username varchar, is_superuser boolean, total bigint)
    LANGUAGE c STABLE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_list_users';

CREATE OR REPLACE FUNCTION syncmaster.create_group(name varchar, description varchar DEFAULT '',
                                        owner_id bigint DEFAULT NULL) RETURNS bigint
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_create_group';

CREATE OR REPLACE FUNCTION syncmaster.update_group(group_id bigint, name varchar DEFAULT NULL,
                                        description varchar DEFAULT NULL,
                                        owner_id bigint DEFAULT NULL) RETURNS void
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_update_group';

CREATE OR REPLACE FUNCTION syncmaster.delete_group(group_id bigint) RETURNS void
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_delete_group';

CREATE OR REPLACE FUNCTION syncmaster.list_groups(search text DEFAULT NULL, min_role text DEFAULT NULL,
                                       page integer DEFAULT 1, page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, name varchar, description varchar, owner_id bigint, role text,
               total bigint)
    LANGUAGE c STABLE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_list_groups';

CREATE OR REPLACE FUNCTION syncmaster.add_group_member(group_id bigint, user_id bigint, role varchar)
    RETURNS void
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_add_group_member';

CREATE OR REPLACE FUNCTION syncmaster.set_member_role(group_id bigint, user_id bigint, role varchar)
    RETURNS void
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_set_member_role';

CREATE OR REPLACE FUNCTION syncmaster.remove_group_member(group_id bigint, user_id bigint) RETURNS void
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_remove_group_member';

CREATE OR REPLACE FUNCTION syncmaster.list_group_members(group_id bigint, page integer DEFAULT 1,
                                              page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, username varchar, role varchar, total bigint)
    LANGUAGE c STABLE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_list_group_members';

CREATE OR REPLACE FUNCTION syncmaster.create_connection(group_id bigint, name varchar, type varchar,
                                             data jsonb, auth_data jsonb,
                                             description varchar DEFAULT '') RETURNS bigint
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_create_connection';

CREATE OR REPLACE FUNCTION syncmaster.update_connection(connection_id bigint, name varchar, type varchar,
                                             data jsonb, auth_data jsonb DEFAULT NULL,
                                             description varchar DEFAULT '') RETURNS void
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_update_connection';

CREATE OR REPLACE FUNCTION syncmaster.delete_connection(connection_id bigint) RETURNS void
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_delete_connection';

CREATE OR REPLACE FUNCTION syncmaster.copy_connection(connection_id bigint, new_group_id bigint,
                                           new_name varchar DEFAULT NULL,
                                           remove_source boolean DEFAULT false) RETURNS bigint
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_copy_connection';

CREATE OR REPLACE FUNCTION syncmaster.connection_auth(connection_id bigint) RETURNS jsonb
    LANGUAGE c STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_connection_auth';

CREATE OR REPLACE FUNCTION syncmaster.connection_credentials(connection_id bigint) RETURNS jsonb
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_connection_credentials';

CREATE OR REPLACE FUNCTION syncmaster.list_connections(group_id bigint, types varchar[] DEFAULT NULL,
                                            search text DEFAULT NULL, page integer DEFAULT 1,
                                            page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, name varchar, description varchar, type varchar, data jsonb,
               total bigint)
    LANGUAGE c STABLE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_list_connections';

CREATE OR REPLACE FUNCTION syncmaster.create_queue(group_id bigint, name varchar, description varchar DEFAULT '')
    RETURNS bigint
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_create_queue';

CREATE OR REPLACE FUNCTION syncmaster.update_queue(queue_id bigint, name varchar,
                                        description varchar DEFAULT NULL) RETURNS void
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_update_queue';

CREATE OR REPLACE FUNCTION syncmaster.delete_queue(queue_id bigint) RETURNS void
    LANGUAGE c VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_delete_queue';

CREATE OR REPLACE FUNCTION syncmaster.list_queues(group_id bigint, search text DEFAULT NULL,
                                       page integer DEFAULT 1, page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, name varchar, slug varchar, description varchar, total bigint)
    LANGUAGE c STABLE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_list_queues';

CREATE OR REPLACE FUNCTION syncmaster.list_transfers(
    group_id bigint, source_connection_types varchar[] DEFAULT NULL,
    target_connection_types varchar[] DEFAULT NULL,
    filter_source_connection_id bigint DEFAULT NULL,
    filter_target_connection_id bigint DEFAULT NULL, filter_queue_id bigint DEFAULT NULL,
    filter_is_scheduled boolean DEFAULT NULL, search text DEFAULT NULL, page integer DEFAULT 1,
    page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, name varchar, description varchar, source_connection_id bigint,
               target_connection_id bigint, queue_id bigint, source_params jsonb,
               target_params jsonb, strategy_params jsonb, transformations jsonb, resources jsonb,
               is_scheduled boolean, schedule varchar, total bigint)
    LANGUAGE c STABLE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_list_transfers';

CREATE OR REPLACE FUNCTION syncmaster.list_runs(transfer_id bigint, statuses varchar[] DEFAULT NULL,
                                     started_at_since timestamptz DEFAULT NULL,
                                     started_at_until timestamptz DEFAULT NULL,
                                     page integer DEFAULT 1, page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, started_at timestamptz, ended_at timestamptz, status varchar,
               type varchar, log_url varchar, worker varchar, failure_reason varchar,
               total bigint)
    LANGUAGE c STABLE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'syncmaster_list_runs';

DROP FUNCTION syncmaster.check_page(integer, integer);
DROP FUNCTION syncmaster.check_input(text, text, text);
DROP FUNCTION syncmaster._seal_credentials(text, jsonb, jsonb, text);
DROP FUNCTION syncmaster._credentials_full(bigint, text);

-- The rules live in src/<entity>/rules now: the comments say so.
COMMENT ON FUNCTION syncmaster.user_rules() IS
    'The rules of users (src/user/rules): superusers create, rename, promote, deactivate and delete; users edit their own names; usernames fit a login role';
COMMENT ON FUNCTION syncmaster.group_rules() IS
    'The rules of groups (src/group/rules): any user creates one and owns it (a missing owner_id is the acting user''s); the owner or a superuser changes it; superusers delete it';
COMMENT ON FUNCTION syncmaster.membership_rules() IS
    'The rules of memberships (src/membership/rules): the owner or a superuser adds, changes and removes members; any member leaves; the owner is never a member row';
COMMENT ON FUNCTION syncmaster.queue_rules() IS
    'The rules of queues (src/queue/rules): Maintainers and above write; printable names unique per group once normalized; the slug fixed at creation; kept while transfers use it';
COMMENT ON FUNCTION syncmaster.connection_rules() IS
    'The rules of connections (src/connection/rules): Developers and above write, Maintainers delete; data validated and normalized per type; names unique per group; type and existence kept while transfers use it; kept credentials re-sealed for a new type';
COMMENT ON FUNCTION syncmaster.run_rules() IS
    'The rules of runs (src/run/rules): users start and stop, workers (the system) claim, renew and finish; the state machine; credentials; transfer_dump and timestamps by the database';
COMMENT ON FUNCTION syncmaster.transfer_rules() IS
    'The rules of transfers (src/transfer/rules): Developers and above write, Maintainers delete; connections and queue visible and in the group; every parameter valid; names unique per group; a valid schedule; no move by update';

-- SyncMaster's own server writes credentials through its ORM: the system may read and write
-- auth_data directly, a rules trigger opening each token it writes; users still never touch it.
COMMENT ON TABLE syncmaster.auth_data IS
    'A connection''s credentials as a Fernet token; the system''s alone (users go through the API)';
CREATE FUNCTION syncmaster.auth_data_rules() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_auth_data_rules';
COMMENT ON FUNCTION syncmaster.auth_data_rules() IS
    'The rules of direct writes of credentials (src/connection/pg_credentials.cpp): the system only; each token written opens with the configured key and fits the connection''s type; each write is logged';
CREATE TRIGGER rules BEFORE INSERT OR UPDATE OR DELETE ON syncmaster.auth_data
    FOR EACH ROW EXECUTE FUNCTION syncmaster.auth_data_rules();
CREATE POLICY system_only ON syncmaster.auth_data
    USING ((SELECT syncmaster.current_user_id()) IS NULL)
    WITH CHECK ((SELECT syncmaster.current_user_id()) IS NULL);
REVOKE ALL ON FUNCTION syncmaster.auth_data_rules() FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON syncmaster.auth_data TO syncmaster_service;

-- SyncMaster's deployment on pg_syncmaster: an optional step that makes the tables it expects
-- besides the model (see src/sql/syncmaster_server.sql).
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

-- The system may change a connection's type and write credentials for it after, in the same
-- transaction (SyncMaster's server does): they must fit by commit.
CREATE FUNCTION syncmaster.connection_credentials_fit() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_connection_credentials_fit';
COMMENT ON FUNCTION syncmaster.connection_credentials_fit() IS
    'At commit, after a connection''s type changed: its credentials fit it as it now is (the system may change the type first and write the credentials after, as SyncMaster''s server does)';
CREATE CONSTRAINT TRIGGER credentials_fit AFTER UPDATE OF type, data ON syncmaster.connection
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    WHEN (OLD.type IS DISTINCT FROM NEW.type OR OLD.data->>'type' IS DISTINCT FROM NEW.data->>'type')
    EXECUTE FUNCTION syncmaster.connection_credentials_fit();
REVOKE ALL ON FUNCTION syncmaster.connection_credentials_fit() FROM PUBLIC;

-- Under SyncMaster's scheduler no transfer has a pg_cron job: sync_schedules() removes them
-- instead of reporting them missing.
CREATE FUNCTION syncmaster._pg_cron_fires() RETURNS boolean
    LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'syncmaster_pg_cron_fires';
REVOKE ALL ON FUNCTION syncmaster._pg_cron_fires() FROM PUBLIC;
-- Reconciles cron.job with the transfers (after a restore, or a job removed by hand, or a change of
-- syncmaster.scheduler) and says what it changed. For superusers (cron.job is pg_cron's). Under
-- SyncMaster's scheduler no transfer has a job.
CREATE OR REPLACE FUNCTION syncmaster.sync_schedules()
RETURNS TABLE (transfer_id bigint, job_name text, action text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    owner text := syncmaster._extension_owner();
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = 'pg_cron is not installed in this database',
            HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name to this database, restart the server and run CREATE EXTENSION pg_cron.';
    END IF;
    -- Jobs named like ours that are not: reported, never touched.
    RETURN QUERY
    SELECT NULL::bigint, j.jobname::text, 'foreign, left alone'::text
    FROM cron.job j
    WHERE starts_with(j.jobname, syncmaster._job_prefix())
      AND NOT syncmaster._is_extension_job(j.jobname, j.command);
    -- Transfer jobs restored from a dump of a database of another name, or of another owner:
    -- pg_cron runs jobs for this database only, and pg_syncmaster schedules from nowhere else.
    -- Point them here, to run as the extension's owner.
    RETURN QUERY
    SELECT syncmaster._job_transfer(j.jobname, j.command), j.jobname::text, 'repointed'::text
    FROM cron.job j
    WHERE syncmaster._job_transfer(j.jobname, j.command) IS NOT NULL
      AND (j.database <> current_database() OR j.username <> owner);
    PERFORM cron.alter_job(j.jobid, database => current_database(), username => owner)
    FROM cron.job j
    WHERE syncmaster._job_transfer(j.jobname, j.command) IS NOT NULL
      AND (j.database <> current_database() OR j.username <> owner);
    -- Jobs of transfers that are gone or no longer scheduled.
    RETURN QUERY
    SELECT syncmaster._job_transfer(j.jobname, j.command), j.jobname::text, 'unscheduled'::text
    FROM cron.job j
    WHERE syncmaster._job_transfer(j.jobname, j.command) IS NOT NULL
      AND j.database = current_database() AND j.username = owner
      AND NOT (syncmaster._pg_cron_fires()
               AND EXISTS (SELECT FROM syncmaster.transfer t
                           WHERE t.id = syncmaster._job_transfer(j.jobname, j.command)
                             AND t.is_scheduled));
    PERFORM cron.unschedule(j.jobid)
    FROM cron.job j
    WHERE syncmaster._job_transfer(j.jobname, j.command) IS NOT NULL
      AND j.database = current_database() AND j.username = owner
      AND NOT (syncmaster._pg_cron_fires()
               AND EXISTS (SELECT FROM syncmaster.transfer t
                           WHERE t.id = syncmaster._job_transfer(j.jobname, j.command)
                             AND t.is_scheduled));
    -- Scheduled transfers whose job is missing or differs: touching the schedule fires the
    -- schedule trigger, which schedules as the extension's owner.
    RETURN QUERY
    WITH missing AS (
        SELECT t.id, syncmaster._job_name(t.id) AS jobname,
               CASE WHEN j.jobid IS NULL THEN 'scheduled' ELSE 'rescheduled' END AS action
        FROM syncmaster.transfer t
        LEFT JOIN cron.job j ON j.jobname = syncmaster._job_name(t.id)
                            AND j.database = current_database() AND j.username = owner
        WHERE t.is_scheduled AND syncmaster._pg_cron_fires()
          AND (j.jobid IS NULL OR j.schedule <> syncmaster._pg_cron_schedule(t.schedule)
               OR j.command <> syncmaster._job_command(t.id))
    ), touched AS (
        UPDATE syncmaster.transfer t SET schedule = t.schedule
        FROM missing m WHERE t.id = m.id
        RETURNING t.id
    )
    SELECT m.id, m.jobname, m.action FROM missing m JOIN touched USING (id);
END
$$;
COMMENT ON FUNCTION syncmaster.sync_schedules() IS
    'Makes cron.job hold exactly one job per scheduled transfer, with its schedule, running in this database as the extension''s owner (none under SyncMaster''s scheduler: syncmaster.scheduler); reports jobs named alike that are not the extension''s, and leaves them alone; returns what it changed (superusers)';

-- Search across the caller's groups ("where is orders?"), ranked within a bounded candidate set.
CREATE FUNCTION syncmaster.search_connections(search text, page integer DEFAULT 1,
                                              page_size integer DEFAULT 20)
RETURNS TABLE (id bigint, group_id bigint, name varchar, description varchar, type varchar,
               data jsonb, total bigint)
    LANGUAGE c STABLE
    SET search_path = pg_catalog, pg_temp
    SET plan_cache_mode = force_custom_plan
    AS 'MODULE_PATHNAME', 'syncmaster_search_connections';
COMMENT ON FUNCTION syncmaster.search_connections(text, integer, integer) IS
    'The connections of every group the caller reads that match the search, best first among the first 1000 matches found (total counts those)';
REVOKE ALL ON FUNCTION syncmaster.search_connections(text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syncmaster.search_connections(text, integer, integer) TO syncmaster_user;

-- List pages that read only their page (BENCHMARKS.md, P4). CREATE INDEX blocks writes to the
-- table while it builds: a second or so per million rows.
DROP INDEX syncmaster.ix__transfer__group_id;
-- A group's transfers in name order (SyncMaster has (group_id) alone): list_transfers() without a
-- filter takes a page straight from it, and it serves every lookup by group_id as well.
CREATE INDEX ix__transfer__group_id_name ON syncmaster.transfer (group_id, name);
DROP INDEX syncmaster.ix__run__transfer_id_created_at;
-- With the id, the tie-break of list_runs(): a page's ids come from the index alone.
CREATE INDEX ix__run__transfer_id_created_at_id ON syncmaster.run (transfer_id, created_at DESC, id DESC);

-- The number of users and of active users, kept by statement triggers like run_total, so that
-- list_users() reads its `total` instead of counting every user on every page. One row: two
-- transactions creating users take turns on it.
CREATE TABLE syncmaster.user_total (
    one boolean NOT NULL DEFAULT true,
    users bigint NOT NULL,
    active bigint NOT NULL,
    CONSTRAINT pk__user_total PRIMARY KEY (one),
    CONSTRAINT ck__user_total__one CHECK (one)
);
COMMENT ON TABLE syncmaster.user_total IS
    'The number of users and of active users (list_users'' total), kept by the triggers of "user"';
ALTER TABLE syncmaster.user_total ENABLE ROW LEVEL SECURITY;  -- no policy: nobody but its owner
INSERT INTO syncmaster.user_total (users, active)
SELECT count(*), count(*) FILTER (WHERE is_active) FROM syncmaster."user";
CREATE FUNCTION syncmaster._count_users() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE syncmaster.user_total t SET users = t.users + n.users, active = t.active + n.active
        FROM (SELECT count(*) AS users, count(*) FILTER (WHERE is_active) AS active FROM new_users) n
        WHERE n.users > 0;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE syncmaster.user_total t SET users = t.users - o.users, active = t.active - o.active
        FROM (SELECT count(*) AS users, count(*) FILTER (WHERE is_active) AS active FROM old_users) o
        WHERE o.users > 0;
    ELSIF TG_OP = 'UPDATE' THEN  -- a row trigger: a user (de)activated
        IF OLD.is_active IS DISTINCT FROM NEW.is_active THEN
            UPDATE syncmaster.user_total SET active = active + CASE WHEN NEW.is_active THEN 1 ELSE -1 END;
        END IF;
    ELSE  -- TRUNCATE
        UPDATE syncmaster.user_total SET users = 0, active = 0;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION syncmaster._count_users() IS
    'Keeps user_total: per statement for inserts and deletes, per row for a changed is_active';
CREATE TRIGGER count_inserted AFTER INSERT ON syncmaster."user"
    REFERENCING NEW TABLE AS new_users FOR EACH STATEMENT EXECUTE FUNCTION syncmaster._count_users();
CREATE TRIGGER count_deleted AFTER DELETE ON syncmaster."user"
    REFERENCING OLD TABLE AS old_users FOR EACH STATEMENT EXECUTE FUNCTION syncmaster._count_users();
CREATE TRIGGER count_changed AFTER UPDATE OF is_active ON syncmaster."user"
    FOR EACH ROW EXECUTE FUNCTION syncmaster._count_users();
CREATE TRIGGER count_truncated AFTER TRUNCATE ON syncmaster."user"
    FOR EACH STATEMENT EXECUTE FUNCTION syncmaster._count_users();
REVOKE ALL ON syncmaster.user_total FROM PUBLIC;
REVOKE ALL ON FUNCTION syncmaster._count_users() FROM PUBLIC;

-- The number of runs of each transfer, kept by statement triggers (one upsert per statement, from
-- its transition table) so that list_runs() reads its `total` instead of counting a transfer's
-- runs on every page. Like the search vectors, it is kept by triggers: a load with the triggers
-- disabled leaves it behind (a pg_dump restore inserts through them and rebuilds it; the table
-- itself is not dumped). Two transactions adding runs to one transfer take turns on its row.
CREATE TABLE syncmaster.run_total (
    transfer_id bigint NOT NULL,
    runs bigint NOT NULL,
    CONSTRAINT pk__run_total PRIMARY KEY (transfer_id),
    CONSTRAINT fk__run_total__transfer_id__transfer FOREIGN KEY (transfer_id)
        REFERENCES syncmaster.transfer (id) ON DELETE CASCADE
);
COMMENT ON TABLE syncmaster.run_total IS
    'The number of runs of each transfer (list_runs'' total), kept by the triggers of run';
ALTER TABLE syncmaster.run_total ENABLE ROW LEVEL SECURITY;  -- no policy: nobody but its owner
CREATE FUNCTION syncmaster._count_runs() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO syncmaster.run_total AS t (transfer_id, runs)
        SELECT n.transfer_id, count(*) FROM new_runs n GROUP BY n.transfer_id
        ON CONFLICT (transfer_id) DO UPDATE SET runs = t.runs + excluded.runs;
    ELSIF TG_OP = 'DELETE' THEN
        -- No row is made here: a cascade from a deleted transfer has removed its own.
        UPDATE syncmaster.run_total t SET runs = t.runs - o.runs
        FROM (SELECT transfer_id, count(*) AS runs FROM old_runs GROUP BY transfer_id) o
        WHERE t.transfer_id = o.transfer_id;
    ELSE  -- TRUNCATE
        DELETE FROM syncmaster.run_total;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION syncmaster._count_runs() IS
    'Keeps run_total, per statement (a run''s transfer_id never changes)';
CREATE TRIGGER count_inserted AFTER INSERT ON syncmaster.run
    REFERENCING NEW TABLE AS new_runs FOR EACH STATEMENT EXECUTE FUNCTION syncmaster._count_runs();
CREATE TRIGGER count_deleted AFTER DELETE ON syncmaster.run
    REFERENCING OLD TABLE AS old_runs FOR EACH STATEMENT EXECUTE FUNCTION syncmaster._count_runs();
CREATE TRIGGER count_truncated AFTER TRUNCATE ON syncmaster.run
    FOR EACH STATEMENT EXECUTE FUNCTION syncmaster._count_runs();
INSERT INTO syncmaster.run_total (transfer_id, runs)
SELECT transfer_id, count(*) FROM syncmaster.run GROUP BY transfer_id;
REVOKE ALL ON syncmaster.run_total FROM PUBLIC;
REVOKE ALL ON FUNCTION syncmaster._count_runs() FROM PUBLIC;
-- After rows were loaded with the triggers disabled (pg_restore --disable-triggers), the kept
-- totals are counted again from the rows. Writers of users and runs wait meanwhile.
CREATE FUNCTION syncmaster.recount_totals() RETURNS void
    LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    LOCK TABLE syncmaster."user", syncmaster.run IN SHARE MODE;
    UPDATE syncmaster.user_total
       SET users = (SELECT count(*) FROM syncmaster."user"),
           active = (SELECT count(*) FROM syncmaster."user" WHERE is_active);
    DELETE FROM syncmaster.run_total;
    INSERT INTO syncmaster.run_total (transfer_id, runs)
    SELECT transfer_id, count(*) FROM syncmaster.run GROUP BY transfer_id;
$$;
COMMENT ON FUNCTION syncmaster.recount_totals() IS
    'Counts user_total and run_total again from the rows (after a load with the triggers disabled); superusers';
REVOKE ALL ON FUNCTION syncmaster.recount_totals() FROM PUBLIC;
