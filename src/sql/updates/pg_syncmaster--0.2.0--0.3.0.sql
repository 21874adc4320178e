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
