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
                                         OUT on_insert text, OUT on_update text)
    RETURNS SETOF record
    LANGUAGE c IMMUTABLE PARALLEL SAFE ROWS 80
    AS 'MODULE_PATHNAME', 'syncmaster_column_rights';
COMMENT ON FUNCTION syncmaster.column_rights() IS
    'Who may write each column of each table on INSERT and on UPDATE, as the rules triggers apply it';
REVOKE ALL ON FUNCTION syncmaster.column_rights() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION syncmaster.column_rights() TO syncmaster_user;
