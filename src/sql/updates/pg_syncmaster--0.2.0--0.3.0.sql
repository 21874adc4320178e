-- pg_syncmaster 0.2.0 → 0.3.0. Each object changed since 0.2.0 has its step here: a --@define or
-- --@replace line naming it (tools/sqlobjects puts in its definition, kept once in its part of the
-- install script until 0.3.0 is frozen, then in src/sql/objects/<object>/0.3.0.sql), an ALTER, or a
-- DROP. `make sqlcheck` fails when a changed object has none; test/t/001_upgrade.pl compares an
-- updated install with a fresh one object by object.
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
--@define function/syncmaster.column_rights
--@define comment/function/syncmaster.column_rights
REVOKE ALL ON FUNCTION syncmaster.column_rights() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syncmaster.column_rights() TO syncmaster_user;

-- Row locks need write access: one policy per command, the UPDATE policy (which PostgreSQL also
-- checks for SELECT ... FOR UPDATE / FOR SHARE) reaching only rows the actor may change.
--@define function/syncmaster.writable_group_ids
--@define comment/function/syncmaster.writable_group_ids
--@define function/syncmaster.refuse_update
--@define comment/function/syncmaster.refuse_update
REVOKE ALL ON FUNCTION syncmaster.writable_group_ids(text), syncmaster.refuse_update(text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syncmaster.writable_group_ids(text), syncmaster.refuse_update(text, bigint)
    TO syncmaster_user;

DROP POLICY visible ON syncmaster."user";
--@define policy/syncmaster.user/visible
--@define policy/syncmaster.user/insertable
--@define policy/syncmaster.user/changeable
--@define policy/syncmaster.user/deletable

DROP POLICY visible ON syncmaster."group";
--@define policy/syncmaster.group/visible
--@define policy/syncmaster.group/insertable
--@define policy/syncmaster.group/changeable
--@define policy/syncmaster.group/deletable

DROP POLICY visible ON syncmaster.user_group;
--@define policy/syncmaster.user_group/visible
--@define policy/syncmaster.user_group/insertable
--@define policy/syncmaster.user_group/changeable
--@define policy/syncmaster.user_group/deletable

DROP POLICY visible ON syncmaster.connection;
--@define policy/syncmaster.connection/visible
--@define policy/syncmaster.connection/insertable
--@define policy/syncmaster.connection/changeable
--@define policy/syncmaster.connection/deletable

DROP POLICY visible ON syncmaster.queue;
--@define policy/syncmaster.queue/visible
--@define policy/syncmaster.queue/insertable
--@define policy/syncmaster.queue/changeable
--@define policy/syncmaster.queue/deletable

DROP POLICY visible ON syncmaster.transfer;
--@define policy/syncmaster.transfer/visible
--@define policy/syncmaster.transfer/insertable
--@define policy/syncmaster.transfer/changeable
--@define policy/syncmaster.transfer/deletable

DROP POLICY visible ON syncmaster.run;
--@define policy/syncmaster.run/visible
--@define policy/syncmaster.run/insertable
--@define policy/syncmaster.run/changeable
--@define policy/syncmaster.run/deletable

-- Notifications name no tenant's queue, group, transfer or run: any role may LISTEN.
--@define comment/function/syncmaster.run_notify

-- The extension's pg_cron jobs are recognised by name, owner and command: a look-alike job of
-- another role is reported by sync_schedules() and left alone.
-- Which pg_cron jobs are the extension's: named syncmaster_transfer_<id> and running exactly
-- fire_scheduled_transfer(<id>), or named syncmaster_reap_stale_runs and running the reaper. A job
-- named alike that runs anything else is another role's: it is reported and left alone.
--@define function/syncmaster._is_extension_job

-- The names and commands of the jobs, defined once (src/transfer/rules): the transfer of a transfer's
-- job (NULL for any other job), a transfer's job name and command, and the prefix of every name.
--@define function/syncmaster._job_transfer
--@define function/syncmaster._job_name
--@define function/syncmaster._job_command
--@define function/syncmaster._job_prefix

REVOKE ALL ON FUNCTION syncmaster._job_transfer(text, text), syncmaster._job_name(bigint),
    syncmaster._job_command(bigint), syncmaster._job_prefix() FROM PUBLIC;

REVOKE ALL ON FUNCTION syncmaster._is_extension_job(text, text) FROM PUBLIC;

-- The API functions of users, groups, members, connections and queues, and every list function,
-- are C++ like those of transfers and runs: each checks its arguments and the acting user's
-- permission in core, and no PL/pgSQL body holds a rule. check_input, check_page and the
-- credential helpers they called go (their C symbols stay, refusing, for older install scripts).

--@replace function/syncmaster.create_user
--@replace function/syncmaster.list_users
--@replace function/syncmaster.create_group
--@replace function/syncmaster.update_group
--@replace function/syncmaster.delete_group
--@replace function/syncmaster.list_groups
--@replace function/syncmaster.add_group_member
--@replace function/syncmaster.set_member_role
--@replace function/syncmaster.remove_group_member
--@replace function/syncmaster.list_group_members
--@replace function/syncmaster.create_connection
--@replace function/syncmaster.update_connection
--@replace function/syncmaster.delete_connection
--@replace function/syncmaster.copy_connection
--@replace function/syncmaster.connection_auth
--@replace function/syncmaster.connection_credentials
--@replace function/syncmaster.list_connections
--@replace function/syncmaster.create_queue
--@replace function/syncmaster.update_queue
--@replace function/syncmaster.delete_queue
--@replace function/syncmaster.list_queues
--@replace function/syncmaster.list_transfers
--@replace function/syncmaster.list_runs

DROP FUNCTION syncmaster.check_page(integer, integer);
DROP FUNCTION syncmaster.check_input(text, text, text);
DROP FUNCTION syncmaster._seal_credentials(text, jsonb, jsonb, text);
DROP FUNCTION syncmaster._credentials_full(bigint, text);

-- The rules live in src/<entity>/rules now: the comments say so.
--@define comment/function/syncmaster.user_rules
--@define comment/function/syncmaster.group_rules
--@define comment/function/syncmaster.membership_rules
--@define comment/function/syncmaster.queue_rules
--@define comment/function/syncmaster.connection_rules
--@define comment/function/syncmaster.run_rules
--@define comment/function/syncmaster.transfer_rules

-- SyncMaster's own server writes credentials through its ORM: the system may read and write
-- auth_data directly, a rules trigger opening each token it writes; users still never touch it.
--@define comment/table/syncmaster.auth_data
--@define function/syncmaster.auth_data_rules
--@define comment/function/syncmaster.auth_data_rules
--@define trigger/syncmaster.auth_data/rules
--@define policy/syncmaster.auth_data/system_only
REVOKE ALL ON FUNCTION syncmaster.auth_data_rules() FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON syncmaster.auth_data TO syncmaster_service;

-- SyncMaster's deployment on pg_syncmaster: an optional step that makes the tables it expects
-- besides the model (see src/sql/syncmaster_server.sql).
--@define function/syncmaster.prepare_syncmaster_server
--@define comment/function/syncmaster.prepare_syncmaster_server
REVOKE ALL ON FUNCTION syncmaster.prepare_syncmaster_server(regrole) FROM PUBLIC;

-- The system may change a connection's type and write credentials for it after, in the same
-- transaction (SyncMaster's server does): they must fit by commit.
--@define function/syncmaster.connection_credentials_fit
--@define comment/function/syncmaster.connection_credentials_fit
--@define trigger/syncmaster.connection/credentials_fit
REVOKE ALL ON FUNCTION syncmaster.connection_credentials_fit() FROM PUBLIC;

-- Under SyncMaster's scheduler no transfer has a pg_cron job: sync_schedules() removes them
-- instead of reporting them missing.
--@define function/syncmaster._pg_cron_fires
REVOKE ALL ON FUNCTION syncmaster._pg_cron_fires() FROM PUBLIC;
-- Reconciles cron.job with the transfers (after a restore, or a job removed by hand, or a change of
-- syncmaster.scheduler) and says what it changed. For superusers (cron.job is pg_cron's). Under
-- SyncMaster's scheduler no transfer has a job.
--@replace function/syncmaster.sync_schedules
--@define comment/function/syncmaster.sync_schedules

-- Search across the caller's groups ("where is orders?"), ranked within a bounded candidate set.
--@define function/syncmaster.search_connections
--@define comment/function/syncmaster.search_connections
REVOKE ALL ON FUNCTION syncmaster.search_connections(text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syncmaster.search_connections(text, integer, integer) TO syncmaster_user;

-- List pages that read only their page (BENCHMARKS.md, P4). CREATE INDEX blocks writes to the
-- table while it builds: a second or so per million rows.
DROP INDEX syncmaster.ix__transfer__group_id;
-- A group's transfers in name order (SyncMaster has (group_id) alone): list_transfers() without a
-- filter takes a page straight from it, and it serves every lookup by group_id as well.
--@define index/ix__transfer__group_id_name
DROP INDEX syncmaster.ix__run__transfer_id_created_at;
-- With the id, the tie-break of list_runs(): a page's ids come from the index alone.
--@define index/ix__run__transfer_id_created_at_id

-- The number of users and of active users, kept by statement triggers like run_total, so that
-- list_users() reads its `total` instead of counting every user on every page. One row: two
-- transactions creating users take turns on it.
--@define table/syncmaster.user_total
--@define comment/table/syncmaster.user_total
ALTER TABLE syncmaster.user_total ENABLE ROW LEVEL SECURITY;  -- no policy: nobody but its owner
INSERT INTO syncmaster.user_total (users, active)
SELECT count(*), count(*) FILTER (WHERE is_active) FROM syncmaster."user";
--@define function/syncmaster._count_users
--@define comment/function/syncmaster._count_users
--@define trigger/syncmaster.user/count_inserted
--@define trigger/syncmaster.user/count_deleted
--@define trigger/syncmaster.user/count_changed
--@define trigger/syncmaster.user/count_truncated
REVOKE ALL ON syncmaster.user_total FROM PUBLIC;
REVOKE ALL ON FUNCTION syncmaster._count_users() FROM PUBLIC;

-- The number of runs of each transfer, kept by statement triggers (one upsert per statement, from
-- its transition table) so that list_runs() reads its `total` instead of counting a transfer's
-- runs on every page. Like the search vectors, it is kept by triggers: a load with the triggers
-- disabled leaves it behind (a pg_dump restore inserts through them and rebuilds it; the table
-- itself is not dumped). Two transactions adding runs to one transfer take turns on its row.
--@define table/syncmaster.run_total
--@define comment/table/syncmaster.run_total
ALTER TABLE syncmaster.run_total ENABLE ROW LEVEL SECURITY;  -- no policy: nobody but its owner
--@define function/syncmaster._count_runs
--@define comment/function/syncmaster._count_runs
--@define trigger/syncmaster.run/count_inserted
--@define trigger/syncmaster.run/count_deleted
--@define trigger/syncmaster.run/count_truncated
INSERT INTO syncmaster.run_total (transfer_id, runs)
SELECT transfer_id, count(*) FROM syncmaster.run GROUP BY transfer_id;
REVOKE ALL ON syncmaster.run_total FROM PUBLIC;
REVOKE ALL ON FUNCTION syncmaster._count_runs() FROM PUBLIC;
-- After rows were loaded with the triggers disabled (pg_restore --disable-triggers), the kept
-- totals are counted again from the rows. Writers of users and runs wait meanwhile.
--@define function/syncmaster.recount_totals
--@define comment/function/syncmaster.recount_totals
REVOKE ALL ON FUNCTION syncmaster.recount_totals() FROM PUBLIC;

-- Run retention: purge_runs() removes runs that ended longer ago than syncmaster.run_retention
-- (0, the default, keeps them all), from a pg_cron job made with the reaper's. The running and
-- started indexes serve the monitoring views and the reaper.
--@define index/ix__run__queue_id_running
--@define index/ix__run__queue_id_started_at
--@define index/ix__run__ended_at
--@define function/syncmaster.purge_runs
--@define comment/function/syncmaster.purge_runs
REVOKE ALL ON FUNCTION syncmaster.purge_runs(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syncmaster.purge_runs(integer) TO syncmaster_user;

-- Monitoring views, read with the caller's rights.
--@define view/syncmaster.queue_depth
--@define comment/view/syncmaster.queue_depth
--@define view/syncmaster.unserved_queues
--@define comment/view/syncmaster.unserved_queues
--@define view/syncmaster.stuck_runs
--@define comment/view/syncmaster.stuck_runs
--@define view/syncmaster.failed_runs
--@define comment/view/syncmaster.failed_runs
--@define function/syncmaster.schedule_health
--@define comment/function/syncmaster.schedule_health
--@define view/syncmaster.schedule_health
--@define comment/view/syncmaster.schedule_health
GRANT SELECT ON syncmaster.queue_depth, syncmaster.unserved_queues, syncmaster.stuck_runs,
    syncmaster.failed_runs, syncmaster.schedule_health TO syncmaster_user;
REVOKE ALL ON FUNCTION syncmaster.schedule_health() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syncmaster.schedule_health() TO syncmaster_user;

-- A comment on every column.
--@define comment/column/syncmaster.user.id
--@define comment/column/syncmaster.user.username
--@define comment/column/syncmaster.user.email
--@define comment/column/syncmaster.user.first_name
--@define comment/column/syncmaster.user.last_name
--@define comment/column/syncmaster.user.middle_name
--@define comment/column/syncmaster.user.is_superuser
--@define comment/column/syncmaster.user.is_active
--@define comment/column/syncmaster.user.created_at
--@define comment/column/syncmaster.user.updated_at
--@define comment/column/syncmaster.user_total.one
--@define comment/column/syncmaster.user_total.users
--@define comment/column/syncmaster.user_total.active
--@define comment/column/syncmaster.group.id
--@define comment/column/syncmaster.group.name
--@define comment/column/syncmaster.group.description
--@define comment/column/syncmaster.group.owner_id
--@define comment/column/syncmaster.group.created_at
--@define comment/column/syncmaster.group.updated_at
--@define comment/column/syncmaster.group.search_vector
--@define comment/column/syncmaster.user_group.user_id
--@define comment/column/syncmaster.user_group.group_id
--@define comment/column/syncmaster.user_group.role
--@define comment/column/syncmaster.connection.id
--@define comment/column/syncmaster.connection.group_id
--@define comment/column/syncmaster.connection.type
--@define comment/column/syncmaster.connection.name
--@define comment/column/syncmaster.connection.description
--@define comment/column/syncmaster.connection.data
--@define comment/column/syncmaster.connection.created_at
--@define comment/column/syncmaster.connection.updated_at
--@define comment/column/syncmaster.connection.search_vector
--@define comment/column/syncmaster.auth_data.connection_id
--@define comment/column/syncmaster.auth_data.value
--@define comment/column/syncmaster.auth_data.created_at
--@define comment/column/syncmaster.auth_data.updated_at
--@define comment/column/syncmaster.credential_access.id
--@define comment/column/syncmaster.credential_access.connection_id
--@define comment/column/syncmaster.credential_access.session_role
--@define comment/column/syncmaster.credential_access.current_role_name
--@define comment/column/syncmaster.credential_access.accessed_at
--@define comment/column/syncmaster.queue.id
--@define comment/column/syncmaster.queue.name
--@define comment/column/syncmaster.queue.slug
--@define comment/column/syncmaster.queue.group_id
--@define comment/column/syncmaster.queue.description
--@define comment/column/syncmaster.queue.created_at
--@define comment/column/syncmaster.queue.updated_at
--@define comment/column/syncmaster.queue.search_vector
--@define comment/column/syncmaster.transfer.id
--@define comment/column/syncmaster.transfer.group_id
--@define comment/column/syncmaster.transfer.name
--@define comment/column/syncmaster.transfer.description
--@define comment/column/syncmaster.transfer.source_connection_id
--@define comment/column/syncmaster.transfer.target_connection_id
--@define comment/column/syncmaster.transfer.queue_id
--@define comment/column/syncmaster.transfer.source_params
--@define comment/column/syncmaster.transfer.target_params
--@define comment/column/syncmaster.transfer.strategy_params
--@define comment/column/syncmaster.transfer.transformations
--@define comment/column/syncmaster.transfer.resources
--@define comment/column/syncmaster.transfer.is_scheduled
--@define comment/column/syncmaster.transfer.schedule
--@define comment/column/syncmaster.transfer.created_at
--@define comment/column/syncmaster.transfer.updated_at
--@define comment/column/syncmaster.transfer.search_vector
--@define comment/column/syncmaster.run.id
--@define comment/column/syncmaster.run.transfer_id
--@define comment/column/syncmaster.run.started_at
--@define comment/column/syncmaster.run.ended_at
--@define comment/column/syncmaster.run.status
--@define comment/column/syncmaster.run.type
--@define comment/column/syncmaster.run.log_url
--@define comment/column/syncmaster.run.transfer_dump
--@define comment/column/syncmaster.run.created_at
--@define comment/column/syncmaster.run.updated_at
--@define comment/column/syncmaster.run.worker
--@define comment/column/syncmaster.run.lease_expires_at
--@define comment/column/syncmaster.run.failure_reason
--@define comment/column/syncmaster.run.queue_id
--@define comment/column/syncmaster.run_total.transfer_id
--@define comment/column/syncmaster.run_total.runs
