-- ./sandbox demo: the story of pg_syncmaster so far. Run by psql against the sandbox database,
-- where the extension was installed with CREATE EXTENSION pg_syncmaster CASCADE.
\set QUIET on
\pset footer off
\set SHOW_CONTEXT never

-- Prints how a statement was refused, or fails the demo if it was not.
\ir refused.sql

\echo
\echo '1. One CREATE EXTENSION made the schema syncmaster: SyncMaster''s eight tables, each behind'
\echo '   row-level security, kept by C++ triggers.'
SELECT c.relname AS "table",
       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
          AND NOT a.attisdropped) AS columns,
       c.relrowsecurity AS rls,
       (SELECT string_agg(t.tgname, ', ' ORDER BY t.tgname) FROM pg_trigger t
        WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) AS triggers,
       obj_description(c.oid) AS purpose
FROM pg_class c WHERE c.relnamespace = 'syncmaster'::regnamespace AND c.relkind = 'r'
ORDER BY c.oid;

\echo
\echo '2. Who is acting? We connected as a PostgreSQL superuser: that is the system.'
SELECT * FROM syncmaster.whoami();

\echo
\echo '3. The system creates the people. Each gets a PostgreSQL role of the same name in'
\echo '   syncmaster_user; the web portal, which acts for people, gets a role in syncmaster_app.'
CREATE ROLE ada LOGIN IN ROLE syncmaster_user;
CREATE ROLE grace LOGIN IN ROLE syncmaster_user;
CREATE ROLE linus LOGIN IN ROLE syncmaster_user;
CREATE ROLE mallory LOGIN IN ROLE syncmaster_user;
CREATE ROLE portal LOGIN IN ROLE syncmaster_app;
SELECT syncmaster.create_user('ada', email => 'ada@example.com', first_name => 'Ada', is_superuser => true) AS ada,
       syncmaster.create_user('grace', email => 'grace@example.com', first_name => 'Grace') AS grace,
       syncmaster.create_user('linus', first_name => 'Linus', is_active => false) AS linus;
SELECT id, username, email, is_superuser, is_active FROM syncmaster."user" ORDER BY id;

\echo
\echo '4. A role acts as the user of its name.'
SET ROLE grace;
SELECT * FROM syncmaster.whoami();
\echo '   Grace is no superuser: creating a user is refused, through the API and through INSERT.'
SELECT pg_temp.refused($$ SELECT syncmaster.create_user('eve') $$) AS "create_user('eve')";
SELECT pg_temp.refused($$ INSERT INTO syncmaster."user" (username) VALUES ('eve') $$) AS "INSERT eve";
\echo '   She cannot impersonate Ada either: only syncmaster_app may name an acting user.'
SELECT pg_temp.refused($$ SET syncmaster.acting_user = 'ada' $$) AS "SET syncmaster.acting_user = 'ada'";
SELECT username AS "still acting as" FROM syncmaster.whoami();
RESET ROLE;

\echo
\echo '5. Ada is a syncmaster superuser: she may create users.'
SET ROLE ada;
SELECT * FROM syncmaster.whoami();
SELECT syncmaster.create_user('margaret', email => 'margaret@example.com') AS margaret;
RESET ROLE;

\echo
\echo '6. Linus is inactive, and mallory has a role but no user: neither gets in.'
SET ROLE linus;
SELECT pg_temp.refused($$ SELECT syncmaster.whoami() $$) AS linus;
RESET ROLE;
SET ROLE mallory;
SELECT pg_temp.refused($$ SELECT syncmaster.whoami() $$) AS mallory;
RESET ROLE;

\echo
\echo '7. The portal authenticates people itself and, in each transaction, says whom it acts for'
\echo '   (SET LOCAL: behind a transaction pooler, the next transaction may be another client).'
\echo '   Naming nobody, it is nobody, never the system; a value left on its session does not count.'
SET ROLE portal;
SELECT pg_temp.refused($$ SELECT syncmaster.whoami() $$) AS "portal, naming nobody";
BEGIN;
SET LOCAL syncmaster.acting_user = 'grace';
SELECT * FROM syncmaster.whoami();
COMMIT;
SET syncmaster.acting_user = 'grace';
SELECT pg_temp.refused($$ SELECT syncmaster.whoami() $$) AS "portal, grace set in an earlier transaction";
RESET syncmaster.acting_user;
\echo '   If the portal hands its session to a plain role, the acting user no longer counts.'
RESET ROLE;
GRANT mallory TO portal;
SET ROLE portal;
BEGIN;
SET LOCAL syncmaster.acting_user = 'ada';
SET LOCAL ROLE mallory;
SELECT pg_temp.refused($$ SELECT syncmaster.whoami() $$) AS "mallory with the portal's acting user";
ROLLBACK;
RESET ROLE;

\echo '8. Usernames are unique; a refused statement changes nothing.'
SELECT pg_temp.refused($$ SELECT syncmaster.create_user('grace') $$) AS "create_user('grace')";
SELECT count(*) AS users FROM syncmaster."user";

\echo
\echo '9. Grace creates a group: she owns it. She brings in a Maintainer, a Developer and a Guest.'
CREATE ROLE alan LOGIN IN ROLE syncmaster_user;
CREATE ROLE margaret LOGIN IN ROLE syncmaster_user;
CREATE ROLE barbara LOGIN IN ROLE syncmaster_user;
CREATE ROLE edsger LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('alan') AS alan, syncmaster.create_user('barbara') AS barbara,
       syncmaster.create_user('edsger') AS edsger \gset
SET ROLE grace;
SELECT syncmaster.create_group('data-platform', 'Nightly loads into the warehouse') AS team \gset
SELECT syncmaster.add_group_member(:team, :alan, 'Maintainer') \g /dev/null
SELECT syncmaster.add_group_member(:team, :barbara, 'Developer') \g /dev/null
SELECT syncmaster.add_group_member(:team, :edsger, 'Guest') \g /dev/null
SELECT * FROM syncmaster.list_group_members(:team);
-- Direct SQL obeys the same rules as the API: a connection and a queue, written by INSERT.
INSERT INTO syncmaster.connection (group_id, type, name, data)
VALUES (:team, 'postgres', 'warehouse', '{"host": "dwh.example.com", "database_name": "dwh"}');
INSERT INTO syncmaster.queue (group_id, name, slug) VALUES (:team, 'nightly', :team || '-nightly');
RESET ROLE;

\echo
\echo '10. Each role meets its limit, through the API or plain SQL alike.'
SET ROLE edsger;
SELECT name, role FROM syncmaster.list_groups();
SELECT pg_temp.refused(format($$ INSERT INTO syncmaster.connection (group_id, type, name) VALUES (%s, 'postgres', 'scratch') $$, :team))
       AS "Guest edsger creates a connection";
RESET ROLE;
SET ROLE barbara;
SELECT pg_temp.refused($$ UPDATE syncmaster.queue SET description = 'mine now' WHERE name = 'nightly' $$)
       AS "Developer barbara edits a queue";
RESET ROLE;
SET ROLE alan;
SELECT pg_temp.refused(format($$ SELECT syncmaster.add_group_member(%s, %s, 'Guest') $$, :team, :barbara))
       AS "Maintainer alan adds a member";
RESET ROLE;
SET ROLE grace;
SELECT pg_temp.refused(format($$ SELECT syncmaster.delete_group(%s) $$, :team))
       AS "owner grace deletes her group";
RESET ROLE;
SET ROLE margaret;
SELECT pg_temp.refused(format($$ SELECT syncmaster.list_group_members(%s) $$, :team))
       AS "non-member margaret lists the members";
SELECT count(*) AS "connections margaret can see" FROM syncmaster.connection;
RESET ROLE;

\echo
\echo '11. Grace hands the group to Alan: he is no longer a member row, she stays on as a Guest.'
SET ROLE grace;
SELECT syncmaster.update_group(:team, owner_id => :alan) \g /dev/null
RESET ROLE;
SET ROLE alan;
SELECT name, role FROM syncmaster.list_groups();
SELECT * FROM syncmaster.list_group_members(:team);
RESET ROLE;

\echo
\echo '12. Ada, a superuser, sees every group and every user, and searches them.'
SET ROLE ada;
SELECT id, name, owner_id, role FROM syncmaster.list_groups();
SELECT name, data->>'host' AS host FROM syncmaster.connection
WHERE search_vector @@ syncmaster.search_query('dwh.example');
SELECT id, username, is_superuser FROM syncmaster.list_users(search => 'linux');
\echo '   (linus is inactive: only a superuser finds him)'
RESET ROLE;

\echo
\echo '13. Alan, now the owner, stores one connection of each kind, credentials included.'
SET ROLE alan;
SELECT k.type, syncmaster.create_connection(:team, k.name, k.type, k.data, k.auth) AS id
FROM (VALUES
  ('clickhouse', 'events', '{"host": "ch.example.com"}'::jsonb, '{"type": "basic", "user": "etl", "password": "ch-pass-1"}'::jsonb),
  ('hive', 'hive-rnd', '{"cluster": "rnd"}', '{"type": "basic", "user": "etl", "password": "hive-pass-2"}'),
  ('iceberg', 'lakehouse', '{"type": "iceberg_rest_s3_direct", "rest_catalog_url": "https://rest.example.com", "s3_warehouse_path": "/warehouse", "s3_host": "s3.example.com", "s3_bucket": "lake", "s3_region": "eu-1"}',
              '{"type": "iceberg_rest_bearer_s3_basic", "rest_catalog_token": "tok-3", "s3_access_key": "AKIA3", "s3_secret_key": "s3-secret-3"}'),
  ('mssql', 'billing', '{"host": "ms.example.com", "database_name": "billing"}', '{"type": "basic", "user": "etl", "password": "ms-pass-4"}'),
  ('mysql', 'shop', '{"host": "my.example.com"}', '{"type": "basic", "user": "etl", "password": "my-pass-5"}'),
  ('oracle', 'ledger', '{"host": "ora.example.com", "service_name": "LEDGER"}', '{"type": "basic", "user": "etl", "password": "ora-pass-6"}'),
  ('ftp', 'drop-box', '{"host": "ftp.example.com"}', '{"type": "basic", "user": "etl", "password": "ftp-pass-7"}'),
  ('ftps', 'secure-drop', '{"host": "ftps.example.com"}', '{"type": "basic", "user": "etl", "password": "ftps-pass-8"}'),
  ('hdfs', 'hdfs-rnd', '{"cluster": "rnd"}', '{"type": "basic", "user": "etl", "password": "hdfs-pass-9"}'),
  ('s3', 'exports', '{"host": "s3.example.com", "bucket": "exports", "region": "eu-1"}', '{"type": "s3", "access_key": "AKIA10", "secret_key": "s3-secret-10"}'),
  ('samba', 'file-share', '{"host": "smb.example.com", "share": "reports"}', '{"type": "samba", "user": "etl", "password": "smb-pass-11"}'),
  ('sftp', 'partner-sftp', '{"host": "sftp.example.com"}', '{"type": "basic", "user": "etl", "password": "sftp-pass-12"}'),
  ('webdav', 'docs', '{"host": "dav.example.com"}', '{"type": "basic", "user": "etl", "password": "dav-pass-13"}')
) AS k (type, name, data, auth);
\echo '   Defaults are filled in; the credentials come back without a single secret.'
SELECT c.type, c.name, left(c.data::text, 70) AS data, syncmaster.connection_auth(c.id) AS credentials
FROM syncmaster.connection c ORDER BY c.type, c.name;
\echo '   Bad data is refused with the field named, through the API or plain SQL.'
SELECT pg_temp.refused(format($$ INSERT INTO syncmaster.connection (group_id, type, name, data) VALUES (%s, 'postgres', 'broken', '{"host": "pg", "port": 70000, "database_name": "d"}') $$, :team))
       AS "a port out of range";
\echo '   Only the system reads secrets: alan may not, a worker (syncmaster_service: the system) may,'
\echo '   and the read is recorded.'
SELECT pg_temp.refused(format($$ SELECT syncmaster.connection_credentials(%s) $$,
                              (SELECT id FROM syncmaster.connection WHERE name = 'warehouse')))
       AS "alan reads the warehouse password";
RESET ROLE;
CREATE ROLE worker LOGIN IN ROLE syncmaster_service;
SET ROLE worker;
SELECT syncmaster.connection_credentials(id) AS "the worker's view" FROM syncmaster.connection WHERE name = 'exports';
RESET ROLE;
SELECT connection_id, session_role, current_role_name, accessed_at IS NOT NULL AS recorded
FROM syncmaster.credential_access;
\echo '   In the tables the secrets exist only inside Fernet tokens:'
SELECT count(*) AS "rows of any table showing a password"
FROM (SELECT t::text AS r FROM syncmaster.connection t UNION ALL SELECT t::text FROM syncmaster.auth_data t) x
WHERE r LIKE '%pass-%' OR r LIKE '%secret-%';

\echo
\echo '14. Queues: the slug is made from the name and fixed; names are unique once normalized.'
SET ROLE alan;
SELECT syncmaster.create_queue(:team, 'Nightly ETL') AS queue \gset
SELECT syncmaster.update_queue(:queue, 'Nightly ETL (prod)') \g /dev/null
SELECT name, slug FROM syncmaster.list_queues(:team);
SELECT pg_temp.refused(format($$ SELECT syncmaster.create_queue(%s, 'nightly-etl-prod') $$, :team))
       AS "a queue named like the first";
RESET ROLE;
SET ROLE barbara;
SELECT pg_temp.refused(format($$ SELECT syncmaster.create_queue(%s, 'mine') $$, :team))
       AS "Developer barbara creates a queue";
RESET ROLE;

\echo
\echo '15. Transfers: Developer barbara moves the shop''s orders from MySQL to the S3 exports.'
SET ROLE barbara;
SELECT id AS shop FROM syncmaster.connection WHERE name = 'shop' \gset
SELECT id AS exports FROM syncmaster.connection WHERE name = 'exports' \gset
SELECT syncmaster.create_transfer(:team, 'orders to s3', :shop, :exports, :queue,
         '{"type": "mysql", "table_name": "shop.orders"}',
         '{"type": "s3", "directory_path": "/exports/orders", "file_format": {"type": "parquet"}}',
         strategy_params => '{"type": "incremental", "increment_by": "updated_at"}',
         transformations => '[{"type": "dataframe_rows_filter", "filters": [{"type": "is_not_null", "field": "paid_at"}]}]'
       ) AS orders \gset
\echo '   Stored with SyncMaster''s defaults filled in:'
SELECT name, strategy_params, resources, target_params->'file_format' AS file_format,
       target_params->>'file_name_template' AS file_name_template
FROM syncmaster.transfer WHERE id = :orders;
\echo '   Each kind of mistake is refused with the field named, before anything is written:'
SELECT pg_temp.refused(format($$ SELECT syncmaster.create_transfer(%s, 'mistake 1', %s, %s, %s, '{"type": "mysql", "table_name": "orders"}', '{"type": "s3", "directory_path": "/x", "file_format": {"type": "csv"}}') $$, :team, :shop, :exports, :queue))
       AS "a table without its schema";
SELECT pg_temp.refused(format($$ SELECT syncmaster.create_transfer(%s, 'mistake 2', %s, %s, %s, '{"type": "postgres", "table_name": "a.b"}', '{"type": "s3", "directory_path": "/x", "file_format": {"type": "csv"}}') $$, :team, :shop, :exports, :queue))
       AS "params of another type";
SELECT pg_temp.refused(format($$ SELECT syncmaster.create_transfer(%s, 'mistake 3', %s, %s, %s, '{"type": "mysql", "table_name": "a.b"}', '{"type": "s3", "directory_path": "x", "file_format": {"type": "json"}}') $$, :team, :shop, :exports, :queue))
       AS "a relative directory";
SELECT pg_temp.refused(format($$ SELECT syncmaster.create_transfer(%s, 'mistake 4', %s, %s, %s, '{"type": "mysql", "table_name": "a.b"}', '{"type": "s3", "directory_path": "/x", "file_format": {"type": "csv"}}', transformations => '[{"type": "sql", "query": "DELETE FROM t"}]') $$, :team, :shop, :exports, :queue))
       AS "SQL that is no SELECT";
SELECT pg_temp.refused(format($$ SELECT syncmaster.create_transfer(%s, 'mistake 5', %s, %s, %s, '{"type": "mysql", "table_name": "a.b"}', '{"type": "s3", "directory_path": "/x", "file_format": {"type": "csv"}}', resources => '{"ram_bytes_per_task": "100MB"}') $$, :team, :shop, :exports, :queue))
       AS "too little memory";
SELECT pg_temp.refused(format($$ SELECT syncmaster.create_transfer(%s, 'mistake 6', %s, %s, %s, '{"type": "mysql", "table_name": "a.b"}', '{"type": "s3", "directory_path": "/x", "file_format": {"type": "csv"}}', is_scheduled => true, schedule => '0 25 * * *') $$, :team, :shop, :exports, :queue))
       AS "an hour that does not exist";
RESET ROLE;
SET ROLE edsger;
SELECT pg_temp.refused(format($$ SELECT syncmaster.create_transfer(%s, 'mistake 7', %s, %s, %s, '{"type": "mysql", "table_name": "a.b"}', '{"type": "s3", "directory_path": "/x", "file_format": {"type": "csv"}}') $$, :team, :shop, :exports, :queue))
       AS "Guest edsger creates a transfer";
RESET ROLE;

\echo
\echo '16. Scheduling: barbara runs it every night at 02:30 on weekdays; pg_cron gets one job.'
SET ROLE barbara;
UPDATE syncmaster.transfer SET is_scheduled = true, schedule = '30 2 * * mon-fri' WHERE id = :orders;
SELECT t AS "next fire times (UTC)" FROM syncmaster.schedule_next('30 2 * * mon-fri', now(), 3) t;
RESET ROLE;
SELECT jobname, schedule, command, username AS "runs as" FROM cron.job WHERE jobname LIKE 'syncmaster_transfer_%';
\echo '   What the job runs (here by hand, as the system): a SCHEDULED run.'
SELECT syncmaster.fire_scheduled_transfer(:orders) IS NOT NULL AS fired;
SELECT type, status FROM syncmaster.run WHERE transfer_id = :orders;

\echo
\echo '17. Copies: alan copies the transfer into a new group, with copies of its connections'
\echo '    (without credentials) and its own schedule.'
SET ROLE alan;
SELECT syncmaster.create_group('analytics', 'Reports') AS analytics \gset
SELECT syncmaster.create_queue(:analytics, 'Reports') AS reports_queue \gset
SELECT syncmaster.copy_transfer(:orders, :analytics, :reports_queue) AS copy \gset
SELECT t.name, g.name AS "group", s.name AS source, d.name AS target, t.schedule,
       syncmaster.connection_auth(s.id) AS "source credentials"
FROM syncmaster.transfer t JOIN syncmaster."group" g ON g.id = t.group_id
JOIN syncmaster.connection s ON s.id = t.source_connection_id
JOIN syncmaster.connection d ON d.id = t.target_connection_id
WHERE t.id IN (:orders, :copy) ORDER BY t.id;
RESET ROLE;
SELECT jobname, schedule FROM cron.job WHERE jobname LIKE 'syncmaster_transfer_%' ORDER BY jobname;

\echo
\echo 'Next: the runs, with real workers (demo/runs.sql).'
