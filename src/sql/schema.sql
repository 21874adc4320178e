-- pg_syncmaster (the version in pg_syncmaster.control): the schema of SyncMaster's control plane, with its rules in the database.
--
-- Conventions: SyncMaster's table, column and constraint names (pk__t, uq__t__cols,
-- fk__t__col__ref, ix__t__cols, ck__t__name); JSON as jsonb, times as timestamptz; every id a
-- bigint identity. Every object is schema-qualified. The script creates and owns the schema
-- syncmaster, so DROP EXTENSION removes it with everything in it.
--
-- This script is built by the Makefile from this part (what the entities share), each entity's
-- src/<entity>/<entity>.sql (its table, indexes, triggers, policy, pg_dump registration, grants
-- and API functions) and src/sql/privileges.sql.
--
-- Each table has one rules trigger, a C++ function over the entity's rules in src/<entity>/rules,
-- deciding every INSERT, UPDATE and DELETE (permission, validation, invariants). PostgreSQL fires
-- the BEFORE ROW triggers of one event in name order: rules, then search_vector, then
-- updated_at, so a refused row costs no search vector. Reads go through row-level security:
-- every policy is set-based ((SELECT f()) is an InitPlan, run once per statement, and resolves the
-- acting user, so an unknown or inactive one is refused); the resources' policies are one
-- `group_id = ANY (array)` condition, which the index on group_id serves even when the query names
-- no group (visible_group_ids() lists every group for those who see all). (`= ANY ((SELECT f()))`
-- would parse as ANY (subquery) and compare a bigint with a bigint[]: the cast makes it the array
-- form.) Each table has a policy per command: SELECT and DELETE see the actor's groups, INSERT is
-- the rules trigger's, and UPDATE (which SELECT ... FOR UPDATE/SHARE meets too) reaches only the
-- rows the actor may change and refuses the others it sees; the rules triggers decide every write.

\echo Use "CREATE EXTENSION pg_syncmaster CASCADE" to load this file. \quit

CREATE SCHEMA syncmaster;
COMMENT ON SCHEMA syncmaster IS 'pg_syncmaster: users, groups, connections, queues, transfers and runs';

-- Roles. Roles are cluster-wide and outlive DROP EXTENSION; they are created only if they do not
-- exist yet, so a second database or a re-install reuses them.
--   syncmaster_user     every user's login role: the API and the tables, under the rules
--   syncmaster_app      applications acting for users: a member must name the user in
--                       syncmaster.acting_user within each transaction, or it is nobody (28000)
--   syncmaster_service  the system: workers, operators, SyncMaster's own server; every power
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'syncmaster_user') THEN
        CREATE ROLE syncmaster_user NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'syncmaster_service') THEN
        CREATE ROLE syncmaster_service NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'syncmaster_app') THEN
        CREATE ROLE syncmaster_app NOLOGIN;
    END IF;
    IF NOT pg_catalog.pg_has_role('syncmaster_service', 'syncmaster_user', 'MEMBER') THEN
        GRANT syncmaster_user TO syncmaster_service;
    END IF;
    IF NOT pg_catalog.pg_has_role('syncmaster_app', 'syncmaster_user', 'MEMBER') THEN
        GRANT syncmaster_user TO syncmaster_app;
    END IF;
END
$roles$;

-- Only syncmaster_app members may name an acting user; the system names none. The setting is
-- superuser-only in the library; these grants, like the roles, are cluster-wide and outlive
-- DROP EXTENSION (0.2.0 granted SET to syncmaster_service, taken back here).
GRANT SET ON PARAMETER syncmaster.acting_user TO syncmaster_app;
REVOKE SET ON PARAMETER syncmaster.acting_user FROM syncmaster_service;

GRANT USAGE ON SCHEMA syncmaster TO syncmaster_user;

-- Trigger functions shared by the tables.

CREATE FUNCTION syncmaster.touch_updated_at() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_touch_updated_at';
COMMENT ON FUNCTION syncmaster.touch_updated_at() IS 'Sets updated_at = now() on every UPDATE';

CREATE FUNCTION syncmaster.search_vector() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'syncmaster_search_vector';
COMMENT ON FUNCTION syncmaster.search_vector() IS
    'Keeps search_vector (SyncMaster''s formula), recomputed only when its sources change (argument: the entity)';
REVOKE ALL ON FUNCTION syncmaster.touch_updated_at(), syncmaster.search_vector() FROM PUBLIC;

------------------------------------------------------------------------------------------------
-- Identity and permissions (§7.1): C++ functions. The policies below call the last two
-- once per statement, as InitPlans: never a function of a row's columns.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.current_user_id() RETURNS bigint
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'syncmaster_current_user_id';
COMMENT ON FUNCTION syncmaster.current_user_id() IS
    'The acting user''s id (NULL for the system); 28000 Not authenticated, 42501 Inactive user';

CREATE FUNCTION syncmaster.whoami(OUT id bigint, OUT username text, OUT is_superuser boolean)
    RETURNS record
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'syncmaster_whoami';
COMMENT ON FUNCTION syncmaster.whoami() IS
    'The acting user: (id, username, is_superuser); (NULL, NULL, true) for the system';

CREATE FUNCTION syncmaster.authorize(entity text, action text, group_id bigint,
                                     target_user_id bigint DEFAULT NULL) RETURNS void
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'syncmaster_authorize';
COMMENT ON FUNCTION syncmaster.authorize(text, text, bigint, bigint) IS
    'Raises the error the acting user gets for this action (read/create/update/delete) on this entity (group, membership, connection, queue, transfer, run) in this group, or returns';

CREATE FUNCTION syncmaster.sees_all_groups() RETURNS boolean
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'syncmaster_sees_all_groups';
COMMENT ON FUNCTION syncmaster.sees_all_groups() IS
    'Whether the acting user sees every group: the system and superusers';

CREATE FUNCTION syncmaster.visible_group_ids() RETURNS bigint[]
    LANGUAGE c STABLE PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'syncmaster_visible_group_ids';
COMMENT ON FUNCTION syncmaster.visible_group_ids() IS
    'The groups the acting user reads: every group for the system and superusers, else those it owns or is a member of';

-- The UPDATE policies: the groups where the actor may change an entity's rows, and the refusal
-- of a change (or a row lock) of a row it sees but may not change.
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

-- Column rights: who may write each column of each table (user, superuser, system, stamped by the
-- database, immutable, moved only by its operation), as the rules triggers apply them.
CREATE FUNCTION syncmaster.column_rights(OUT table_name text, OUT column_name text,
                                         OUT on_insert text, OUT on_update text,
                                         OUT refusal text)
    RETURNS SETOF record
    LANGUAGE c IMMUTABLE PARALLEL SAFE ROWS 80
    AS 'MODULE_PATHNAME', 'syncmaster_column_rights';
COMMENT ON FUNCTION syncmaster.column_rights() IS
    'Who may write each column of each table on INSERT and on UPDATE, as the rules triggers apply it';
GRANT EXECUTE ON FUNCTION syncmaster.column_rights() TO syncmaster_user;

------------------------------------------------------------------------------------------------
-- Search: SyncMaster's query from free text.
------------------------------------------------------------------------------------------------
CREATE FUNCTION syncmaster.search_query(query text) RETURNS tsquery
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'syncmaster_search_query';
COMMENT ON FUNCTION syncmaster.search_query(text) IS
    'SyncMaster''s search: the words as an AND, as prefixes, split further as prefixes, ORed, or plainto_tsquery(''russian'', query); only punctuation matches nothing';

GRANT EXECUTE ON FUNCTION
    syncmaster.current_user_id(),
    syncmaster.whoami(),
    syncmaster.authorize(text, text, bigint, bigint),
    syncmaster.sees_all_groups(),
    syncmaster.visible_group_ids(),
    syncmaster.writable_group_ids(text),
    syncmaster.refuse_update(text, bigint),
    syncmaster.search_query(text)
    TO syncmaster_user;
