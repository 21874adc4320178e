-- What every reader sees: run on the primary and on its hot standby, the outputs must be equal
-- (./sandbox test compares them). Errors are part of the output.
\set ON_ERROR_STOP off
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT id AS team FROM syncmaster."group" WHERE name = 'dump_team' \gset
SELECT id AS other FROM syncmaster."group" WHERE name = 'standby_other' \gset
SELECT id AS load FROM syncmaster.transfer WHERE name = 'load' \gset
SELECT id AS warehouse FROM syncmaster.connection WHERE name = 'warehouse' \gset

\echo as the system (a superuser)
SELECT * FROM syncmaster.whoami();
SELECT name, role, total FROM syncmaster.list_groups();
SELECT name, type, total FROM syncmaster.list_connections(:other);
SELECT username, total FROM syncmaster.list_users(search => 'standby');

\echo as a Guest
SET ROLE standby_guest;
SELECT username, is_superuser FROM syncmaster.whoami();
SELECT name, role FROM syncmaster.list_groups();
SELECT name, type, data FROM syncmaster.list_connections(:team);
SELECT name FROM syncmaster.list_connections(:team, search => 'dwh');
SELECT name FROM syncmaster.list_connections(:team, search => 'no-such-thing');
SELECT name, slug FROM syncmaster.list_queues(:team);
SELECT name, source_params, is_scheduled FROM syncmaster.list_transfers(:team);
SELECT status, type, total FROM syncmaster.list_runs(:load);
SELECT username, role FROM syncmaster.list_group_members(:team);
SELECT syncmaster.connection_auth(:warehouse);
SELECT name FROM syncmaster.list_connections(:other);
SELECT count(*) FROM syncmaster.connection;
RESET ROLE;

\echo as a Maintainer
SET ROLE standby_maintainer;
SELECT name, role FROM syncmaster.list_groups(min_role => 'Maintainer');
SELECT syncmaster.connection_auth(:warehouse);
RESET ROLE;

\echo as a stranger
SET ROLE standby_stranger;
SELECT name FROM syncmaster.list_groups();
SELECT name FROM syncmaster.list_connections(:team);
SELECT count(*) FROM syncmaster.connection;
RESET ROLE;
