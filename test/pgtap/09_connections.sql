-- Connections: data validated and normalized per type on every path, names unique
-- per group, type and existence kept while transfers use them, credentials sealed and never
-- shown but to the system, every read of them audited.
BEGIN;
SELECT plan(84);

CREATE ROLE regress_c_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_c_guest LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_c_stranger LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_c_worker LOGIN IN ROLE syncmaster_service;
CREATE ROLE regress_c_app LOGIN IN ROLE syncmaster_app;
INSERT INTO syncmaster."user" (id, username) VALUES
    (501, 'regress_c_owner'), (502, 'regress_c_guest'), (503, 'regress_c_stranger');
INSERT INTO syncmaster."group" (id, name, owner_id) VALUES (5001, 'regress_c_team', 501),
                                                           (5002, 'regress_c_other', 501),
                                                           (5003, 'regress_c_foreign', 503);
INSERT INTO syncmaster.user_group VALUES (502, 5001, 'Guest'), (502, 5002, 'Guest');

SELECT is(syncmaster.connection_types(),
          ARRAY['clickhouse', 'hive', 'iceberg', 'mssql', 'mysql', 'oracle', 'postgres', 'ftp',
                'ftps', 'hdfs', 's3', 'samba', 'sftp', 'webdav'],
          'connection_types(): the 14 types in SyncMaster''s order');

-- One connection of each kind, through the API, as the owner.
SET ROLE regress_c_owner;
CREATE TEMP TABLE kinds (name text, type text, data jsonb, auth jsonb);
INSERT INTO kinds VALUES
 ('regress_pg', 'postgres', '{"host": "pg", "database_name": "dwh"}', '{"type": "basic", "user": "u", "password": "S3CR3T-pg"}'),
 ('regress_ora', 'oracle', '{"host": "ora", "service_name": "XE"}', '{"type": "basic", "user": "u", "password": "S3CR3T-ora"}'),
 ('regress_ms', 'mssql', '{"host": "ms", "database_name": "db"}', '{"type": "basic", "user": "u", "password": "S3CR3T-ms"}'),
 ('regress_my', 'mysql', '{"host": "my"}', '{"type": "basic", "user": "u", "password": "S3CR3T-my"}'),
 ('regress_ch', 'clickhouse', '{"host": "ch"}', '{"type": "basic", "user": "u", "password": "S3CR3T-ch"}'),
 ('regress_hive', 'hive', '{"cluster": "rnd"}', '{"type": "basic", "user": "u", "password": "S3CR3T-hive"}'),
 ('regress_hdfs', 'hdfs', '{"cluster": "rnd"}', '{"type": "basic", "user": "u", "password": "S3CR3T-hdfs"}'),
 ('regress_ice_direct', 'iceberg', '{"type": "iceberg_rest_s3_direct", "rest_catalog_url": "https://rest", "s3_warehouse_path": "/wh", "s3_host": "s3", "s3_bucket": "b", "s3_region": "r"}',
  '{"type": "iceberg_rest_bearer_s3_basic", "rest_catalog_token": "S3CR3T-ice-token", "s3_access_key": "ak", "s3_secret_key": "S3CR3T-ice-s3"}'),
 ('regress_ice_deleg', 'iceberg', '{"type": "iceberg_rest_s3_delegated", "rest_catalog_url": "https://rest"}',
  '{"type": "iceberg_rest_oauth2_client_credentials", "rest_catalog_oauth2_client_id": "id", "rest_catalog_oauth2_client_secret": "S3CR3T-oauth"}'),
 ('regress_s3', 's3', '{"host": "s3", "bucket": "b", "region": "r", "protocol": "http"}', '{"type": "s3", "access_key": "ak", "secret_key": "S3CR3T-s3"}'),
 ('regress_sftp', 'sftp', '{"host": "sftp"}', '{"type": "basic", "user": "u", "password": "S3CR3T-sftp"}'),
 ('regress_ftp', 'ftp', '{"host": "ftp"}', '{"type": "basic", "user": "u", "password": "S3CR3T-ftp"}'),
 ('regress_ftps', 'ftps', '{"host": "ftps"}', '{"type": "basic", "user": "u", "password": "S3CR3T-ftps"}'),
 ('regress_webdav', 'webdav', '{"host": "dav"}', '{"type": "basic", "user": "u", "password": "S3CR3T-dav"}'),
 ('regress_samba', 'samba', '{"host": "smb", "share": "s"}', '{"type": "samba", "user": "u", "password": "S3CR3T-smb"}');
SELECT is((SELECT count(*)::int FROM kinds k WHERE syncmaster.create_connection(5001, k.name, k.type, k.data, k.auth) > 0),
          15, 'the owner creates a connection of every kind');
RESET ROLE;
CREATE TEMP TABLE ids AS SELECT name::text, id FROM syncmaster.connection WHERE group_id = 5001;
GRANT SELECT ON ids, kinds TO PUBLIC;
SELECT is((SELECT data FROM syncmaster.connection WHERE name = 'regress_pg'),
          '{"host": "pg", "port": 5432, "database_name": "dwh", "additional_params": {}}'::jsonb,
          'postgres data: defaults filled in');
SELECT is((SELECT data->'port' FROM syncmaster.connection WHERE name = 'regress_s3'), '80'::jsonb,
          's3 over http: port 80');
SELECT is((SELECT data FROM syncmaster.connection WHERE name = 'regress_samba'),
          '{"host": "smb", "share": "s", "port": null, "protocol": "SMB", "domain": ""}'::jsonb,
          'samba data: defaults filled in');
SELECT is((SELECT count(*)::int FROM syncmaster.auth_data a JOIN ids ON a.connection_id = ids.id), 15,
          'every connection has its sealed credentials');
-- Direct SQL: validated and normalized too.
SET ROLE regress_c_owner;
SELECT lives_ok($$ INSERT INTO syncmaster.connection (group_id, type, name, data)
                   VALUES (5001, 'ftp', 'regress_plain', '{"host": "ftp2"}') $$,
                'INSERT of a connection with valid data');
RESET ROLE;
SELECT is((SELECT data FROM syncmaster.connection WHERE name = 'regress_plain'),
          '{"host": "ftp2", "port": 21}'::jsonb, 'INSERT gets the defaults too');

-- Invalid data, through the API and through SQL alike.
SET ROLE regress_c_owner;
SELECT throws_ok($$ SELECT syncmaster.create_connection(5001, 'regress_bad', 'postgres', '{"host": "pg"}', '{"type": "basic", "user": "u", "password": "p"}') $$,
                 '22023', 'connection data: field "database_name" is required', 'a missing field, API');
SELECT throws_ok($$ INSERT INTO syncmaster.connection (group_id, type, name, data) VALUES (5001, 'postgres', 'regress_bad', '{"host": "pg"}') $$,
                 '22023', 'connection data: field "database_name" is required', 'a missing field, SQL');
SELECT throws_ok($$ SELECT syncmaster.create_connection(5001, 'regress_bad', 'sftp', '{"host": "h", "port": 70000}', '{"type": "basic", "user": "u", "password": "p"}') $$,
                 '22023', 'connection data: field "port" must be an integer from 1 to 65535', 'a bad port, API');
SELECT throws_ok($$ UPDATE syncmaster.connection SET data = '{"host": "h", "port": "22"}' WHERE name = 'regress_sftp' $$,
                 '22023', 'connection data: field "port" must be an integer from 1 to 65535', 'a port as a string, SQL');
SELECT throws_ok($$ UPDATE syncmaster.connection SET data = data || '{"colour": "red"}' WHERE name = 'regress_ftp' $$,
                 '22023', 'connection data: unknown field "colour"', 'an unknown field, SQL');
SELECT throws_ok($$ UPDATE syncmaster.connection SET data = data || '{"sid": "XE"}' WHERE name = 'regress_ora' $$,
                 '22023', 'connection data: You must specify either sid or service_name but not both', 'oracle sid and service_name');
SELECT throws_ok($$ SELECT syncmaster.create_connection(5001, 'regress_bad', 'mongodb', '{}', '{"type": "basic", "user": "u", "password": "p"}') $$,
                 '22023', 'unknown connection type "mongodb"', 'an unknown type');
SELECT throws_ok($$ SELECT syncmaster.create_connection(5001, 'regress_bad', 'postgres', '{"host": "pg", "database_name": "d"}', '{"type": "s3", "access_key": "a", "secret_key": "p"}') $$,
                 '22023', 'auth_data: field "type" must be one of: basic for a postgres connection', 'credentials of the wrong type');
SELECT throws_ok($$ SELECT syncmaster.create_connection(5001, 'regress_bad', 'iceberg', '{"type": "iceberg_rest_s3_direct", "rest_catalog_url": "https://rest", "s3_warehouse_path": "/wh", "s3_host": "s3", "s3_bucket": "b", "s3_region": "r"}', '{"type": "iceberg_rest_bearer", "rest_catalog_token": "t"}') $$,
                 '22023', 'auth_data: Cannot create direct S3 connection without S3 credentials', 'iceberg direct needs S3 credentials');
SELECT throws_ok($$ SELECT syncmaster.create_connection(5001, 'regress_bad', 'sftp', '{"host": "h"}', NULL) $$,
                 '22023', 'auth_data is required', 'the API wants credentials');
SELECT throws_ok($$ SELECT syncmaster.create_connection(5001, 'xy', 'sftp', '{"host": "h"}', '{"type": "basic", "user": "u", "password": "p"}') $$,
                 '22023', 'connection name must have 3 to 128 characters', 'a short name');
SELECT is((SELECT count(*)::int FROM syncmaster.connection WHERE name = 'regress_bad'), 0,
          'no refused statement left a connection behind');

-- Names are unique per group.
SELECT throws_ok($$ SELECT syncmaster.create_connection(5001, 'regress_pg', 'sftp', '{"host": "h"}', '{"type": "basic", "user": "u", "password": "p"}') $$,
                 '23505', 'The connection name already exists in the target group, please specify a new one', 'a taken name, API');
SELECT throws_ok($$ UPDATE syncmaster.connection SET name = 'regress_pg' WHERE name = 'regress_ftp' $$,
                 '23505', 'The connection name already exists in the target group, please specify a new one', 'a rename to a taken name, SQL');
SELECT lives_ok($$ SELECT syncmaster.create_connection(5002, 'regress_pg', 'sftp', '{"host": "h"}', '{"type": "basic", "user": "u", "password": "p"}') $$,
                'the same name in another group is fine');
RESET ROLE;

-- A connection a transfer uses keeps its type and cannot be deleted or moved away.
INSERT INTO syncmaster.queue (id, group_id, name) VALUES (5201, 5001, 'regress queue');
INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id,
                                 source_params, target_params)
SELECT 5001, 'regress_t' || n, (SELECT id FROM ids WHERE name = 'regress_pg'),
       (SELECT id FROM ids WHERE name = 'regress_s3'), 5201,
       '{"type": "postgres", "table_name": "public.t"}',
       '{"type": "s3", "directory_path": "/t", "file_format": {"type": "parquet"}}'
FROM generate_series(1, 2) n;
SET ROLE regress_c_owner;
SELECT throws_ok($$ SELECT syncmaster.delete_connection((SELECT id FROM ids WHERE name = 'regress_pg')) $$,
                 '55000', 'The connection has an associated transfers. Number of the connected transfers: 2', 'delete in use, API');
SELECT throws_ok($$ DELETE FROM syncmaster.connection WHERE name = 'regress_s3' $$,
                 '55000', 'The connection has an associated transfers. Number of the connected transfers: 2', 'delete in use, SQL');
SELECT throws_ok($$ SELECT syncmaster.copy_connection((SELECT id FROM ids WHERE name = 'regress_pg'), 5002, 'regress_moved', remove_source => true) $$,
                 '55000', 'The connection has an associated transfers. Number of the connected transfers: 2', 'move in use');
SELECT throws_ok($$ SELECT syncmaster.update_connection((SELECT id FROM ids WHERE name = 'regress_pg'), 'regress_pg', 'mysql', '{"host": "my"}') $$,
                 '55000', 'You cannot update the connection type of a connection already associated with a transfer.', 'type change in use, API');
SELECT throws_ok($$ UPDATE syncmaster.connection SET type = 'mysql', data = '{"host": "my"}' WHERE name = 'regress_pg' $$,
                 '55000', 'You cannot update the connection type of a connection already associated with a transfer.', 'type change in use, SQL');
SELECT lives_ok($$ SELECT syncmaster.update_connection((SELECT id FROM ids WHERE name = 'regress_my'), 'regress_my', 'postgres', '{"host": "pg2", "database_name": "d"}') $$,
                'an unused connection changes type; its basic credentials still fit');
SELECT lives_ok($$ SELECT syncmaster.delete_connection((SELECT id FROM ids WHERE name = 'regress_ftps')) $$,
                'an unused connection is deleted');
RESET ROLE;

-- Copies carry no credentials.
SET ROLE regress_c_owner;
SELECT isnt(syncmaster.copy_connection((SELECT id FROM ids WHERE name = 'regress_sftp'), 5002), NULL,
            'copy into another group');
SELECT is(syncmaster.connection_auth((SELECT id FROM syncmaster.connection WHERE group_id = 5002 AND name = 'regress_sftp')),
          NULL, 'the copy has no credentials');
SELECT lives_ok($$ SELECT syncmaster.copy_connection((SELECT id FROM ids WHERE name = 'regress_webdav'), 5002, 'regress_dav2', remove_source => true) $$,
                'move an unused connection');
SELECT is((SELECT count(*)::int FROM syncmaster.connection WHERE name IN ('regress_webdav', 'regress_dav2')), 1,
          'the source is gone, the copy is there');
SELECT throws_ok($$ SELECT syncmaster.copy_connection((SELECT id FROM ids WHERE name = 'regress_ftp'), 5003) $$,
                 'P0002', 'Group not found', 'no copy into a group one is not in');
RESET ROLE;
SET ROLE regress_c_guest;
SELECT throws_ok($$ SELECT syncmaster.copy_connection((SELECT id FROM ids WHERE name = 'regress_ftp'), 5002) $$,
                 '42501', 'You have no power here', 'a Guest of the target group may not copy into it');
SELECT throws_ok($$ SELECT syncmaster.delete_connection((SELECT id FROM ids WHERE name = 'regress_ftp')) $$,
                 '42501', 'You have no power here', 'a Guest may not delete');
RESET ROLE;

-- Credentials: shown without secrets to readers, in full to the system only.
SET ROLE regress_c_guest;
SELECT is(syncmaster.connection_auth((SELECT id FROM ids WHERE name = 'regress_pg')),
          '{"type": "basic", "user": "u"}'::jsonb, 'a Guest sees the credentials without the password');
SELECT is(syncmaster.connection_auth((SELECT id FROM ids WHERE name = 'regress_ice_direct')),
          '{"type": "iceberg_rest_bearer_s3_basic", "s3_access_key": "ak"}'::jsonb, 'no token, no secret key');
SELECT throws_ok($$ SELECT syncmaster.connection_credentials((SELECT id FROM ids WHERE name = 'regress_pg')) $$,
                 '42501', 'You have no power here', 'a user may not read secrets');
SELECT throws_ok($$ SELECT value FROM syncmaster.auth_data $$, '42501',
                 'permission denied for table auth_data', 'auth_data has no privileges for users');
RESET ROLE;
SET ROLE regress_c_stranger;
SELECT throws_ok($$ SELECT syncmaster.connection_auth((SELECT id FROM ids WHERE name = 'regress_pg')) $$,
                 'P0002', 'Connection not found', 'a non-member learns nothing');
RESET ROLE;
SET ROLE regress_c_owner;
SELECT throws_ok($$ SELECT syncmaster.connection_credentials((SELECT id FROM ids WHERE name = 'regress_pg')) $$,
                 '42501', 'You have no power here', 'not even the owner');
RESET ROLE;
SET ROLE regress_c_owner;
SELECT throws_ok($$ SELECT value FROM syncmaster.auth_data $$, '42501',
                 'permission denied for table auth_data', 'nor the table: users never touch it');
RESET ROLE;
SET ROLE regress_c_worker;
SELECT is(syncmaster.connection_credentials((SELECT id FROM ids WHERE name = 'regress_pg')),
          '{"type": "basic", "user": "u", "password": "S3CR3T-pg"}'::jsonb,
          'a worker acting as the system reads the secrets');
SELECT throws_ok($$ SELECT syncmaster.connection_credentials((SELECT id FROM syncmaster.connection WHERE group_id = 5002 AND name = 'regress_sftp')) $$,
                 '55000', format('Credentials not set for connection %s', (SELECT id FROM syncmaster.connection WHERE group_id = 5002 AND name = 'regress_sftp')),
                 'a copy has none');
SELECT throws_ok($$ SELECT syncmaster.connection_credentials(-1) $$, 'P0002', 'Connection not found',
                 'an unknown connection');
RESET ROLE;
SET ROLE regress_c_app;
SET syncmaster.acting_user = 'regress_c_owner';
SELECT throws_ok($$ SELECT syncmaster.connection_credentials((SELECT id FROM ids WHERE name = 'regress_pg')) $$,
                 '42501', 'You have no power here', 'an application acting for a user may not');
RESET syncmaster.acting_user;
RESET ROLE;
SELECT is((SELECT string_agg(concat_ws(' ', session_role, current_role_name, accessed_at = now()), ',')
           FROM syncmaster.credential_access
           WHERE connection_id = (SELECT id FROM ids WHERE name = 'regress_pg')),
          session_user || ' regress_c_worker t',
          'the read is audited: which connection, which roles, when');
SET ROLE regress_c_owner;
SELECT throws_ok($$ SELECT * FROM syncmaster.credential_access $$, '42501',
                 'permission denied for table credential_access', 'the audit is for superusers');
RESET ROLE;

-- Updating credentials: a secret left out stays only while the auth type stays.
SET ROLE regress_c_owner;
SELECT lives_ok($$ SELECT syncmaster.update_connection((SELECT id FROM ids WHERE name = 'regress_ch'), 'regress_ch', 'clickhouse', '{"host": "ch2"}', '{"type": "basic", "user": "new"}') $$,
                'an update without the password');
SELECT throws_ok($$ SELECT syncmaster.update_connection((SELECT id FROM ids WHERE name = 'regress_ice_deleg'), 'regress_ice_deleg', 'iceberg', '{"type": "iceberg_rest_s3_delegated", "rest_catalog_url": "https://rest"}', '{"type": "iceberg_rest_bearer"}') $$,
                 '55000', 'You cannot update the connection auth type without providing a new secret value.',
                 'a new auth type without its secret is refused');
RESET ROLE;
SELECT is(syncmaster.connection_credentials((SELECT id FROM ids WHERE name = 'regress_ch')),
          '{"type": "basic", "user": "new", "password": "S3CR3T-ch"}'::jsonb, 'the old password was kept');
SELECT is((SELECT data->>'host' FROM syncmaster.connection WHERE name = 'regress_ch'), 'ch2', 'and the data changed');

-- A type change keeps the credentials only where they fit the new type, on every path: re-sealed
-- for it by the rules trigger, or the change refused.
SET ROLE regress_c_owner;
SELECT lives_ok($$ UPDATE syncmaster.connection SET type = 'mysql', data = '{"host": "my2"}' WHERE name = 'regress_ms' $$,
                'a bare UPDATE of the type keeps credentials that fit it');
SELECT throws_ok($$ UPDATE syncmaster.connection SET type = 's3', data = '{"host": "s3", "bucket": "b", "region": "r"}' WHERE name = 'regress_my' $$,
                 '55000', 'The credentials of the connection do not fit its new type',
                 'a bare UPDATE to a type its credentials do not fit is refused');
SELECT throws_ok($$ SELECT syncmaster.update_connection((SELECT id FROM ids WHERE name = 'regress_my'), 'regress_my', 's3', '{"host": "s3", "bucket": "b", "region": "r"}') $$,
                 '55000', 'The credentials of the connection do not fit its new type',
                 'so is the API without new credentials');
SELECT lives_ok($$ SELECT syncmaster.update_connection((SELECT id FROM ids WHERE name = 'regress_my'), 'regress_my', 's3', '{"host": "s3", "bucket": "b", "region": "r"}', '{"type": "s3", "access_key": "ak", "secret_key": "S3CR3T-new"}') $$,
                'with new credentials the API changes the type');
RESET ROLE;
SELECT is(syncmaster.connection_credentials((SELECT id FROM ids WHERE name = 'regress_ms')),
          '{"type": "basic", "user": "u", "password": "S3CR3T-ms"}'::jsonb, 'the kept credentials were re-sealed and still open');
SELECT is(syncmaster.connection_credentials((SELECT id FROM ids WHERE name = 'regress_my')),
          '{"type": "s3", "access_key": "ak", "secret_key": "S3CR3T-new"}'::jsonb, 'the new credentials replaced the old');

-- The plaintext is SyncMaster's: sorted-key JSON, sealed in a Fernet token.
SELECT matches((SELECT value FROM syncmaster.auth_data WHERE connection_id = (SELECT id FROM ids WHERE name = 'regress_pg')),
               '^gAAAAA[A-Za-z0-9_-]+=*$', 'auth_data.value is a Fernet token');

-- No secret anywhere but inside the tokens: not in any row of any other table, not in a token's
-- text, not in an error message.
SELECT is_empty($$
    SELECT 'user' FROM syncmaster."user" t WHERE t::text LIKE '%S3CR3T%'
    UNION ALL SELECT 'group' FROM syncmaster."group" t WHERE t::text LIKE '%S3CR3T%'
    UNION ALL SELECT 'user_group' FROM syncmaster.user_group t WHERE t::text LIKE '%S3CR3T%'
    UNION ALL SELECT 'connection' FROM syncmaster.connection t WHERE t::text LIKE '%S3CR3T%'
    UNION ALL SELECT 'auth_data' FROM syncmaster.auth_data t WHERE t::text LIKE '%S3CR3T%'
    UNION ALL SELECT 'queue' FROM syncmaster.queue t WHERE t::text LIKE '%S3CR3T%'
    UNION ALL SELECT 'transfer' FROM syncmaster.transfer t WHERE t::text LIKE '%S3CR3T%'
    UNION ALL SELECT 'run' FROM syncmaster.run t WHERE t::text LIKE '%S3CR3T%'
    UNION ALL SELECT 'credential_access' FROM syncmaster.credential_access t WHERE t::text LIKE '%S3CR3T%' $$,
    'no table holds a secret in clear');
CREATE FUNCTION pg_temp.error_text(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE m text; d text; h text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
    RETURN concat_ws(' | ', m, d, h);
END
$$;
SELECT unalike(pg_temp.error_text($$ SELECT syncmaster.create_connection(5001, 'regress_leak', 'postgres', '{"host": "pg", "database_name": "d"}', '{"type": "basic", "user": "u", "password": "S3CR3T-leak", "pin": "S3CR3T-pin"}') $$),
              '%S3CR3T%', 'an unknown credentials field is named, its value is not shown');
SELECT unalike(pg_temp.error_text($$ SELECT syncmaster.create_connection(5001, 'regress_leak', 'postgres', '{"host": "pg", "database_name": "d"}', '{"type": "basic", "user": "u", "password": ["S3CR3T-list"]}') $$),
              '%S3CR3T%', 'a secret of the wrong JSON type is not shown');
SELECT unalike(pg_temp.error_text($$ SELECT syncmaster.create_connection(5001, 'regress_leak', 'postgres', '{"host": "pg", "database_name": "d"}', '{"type": "S3CR3T-type", "password": "S3CR3T-x"}') $$),
              '%S3CR3T%', 'a wrong auth type is not echoed');

-- list_connections: type filter, search, pagination, only for members.
SET ROLE regress_c_guest;
SELECT is((SELECT count(*)::int FROM syncmaster.list_connections(5001, types => ARRAY['iceberg'])), 2,
          'the type filter');
SELECT throws_ok($$ SELECT * FROM syncmaster.list_connections(5001, types => ARRAY['mongodb']) $$,
                 '22023', 'unknown connection type "mongodb"', 'an unknown type in the filter');
SELECT results_eq($$ SELECT name::text FROM syncmaster.list_connections(5001, search => 'smb') $$,
                  $$ VALUES ('regress_samba') $$, 'search by host');
SELECT is((SELECT max(total)::int FROM syncmaster.list_connections(5001, page => 1, page_size => 5)), 14,
          'each row carries the total');
SELECT is((SELECT count(*)::int FROM syncmaster.list_connections(5001, page => 3, page_size => 5)), 4,
          'the last page holds the rest');
SELECT results_eq($$ SELECT name::text FROM syncmaster.list_connections(5001, page => 2, page_size => 5) $$,
                  $$ SELECT name::text FROM syncmaster.connection WHERE group_id = 5001
                     ORDER BY name OFFSET 5 LIMIT 5 $$,
                  'without a search, pages follow the name order');
SELECT is((SELECT array_agg(DISTINCT total)::int[] FROM syncmaster.list_connections(5001, types => ARRAY['iceberg', 'samba'], page_size => 1)),
          ARRAY[(SELECT count(*)::int FROM syncmaster.connection WHERE group_id = 5001 AND type IN ('iceberg', 'samba'))],
          'the total counts the filtered rows, not the page');
SELECT is((SELECT max(total)::int FROM syncmaster.list_connections(5001, search => 'regress', page_size => 1)),
          (SELECT count(*)::int FROM syncmaster.connection WHERE group_id = 5001 AND search_vector @@ syncmaster.search_query('regress')),
          'with a search, the total counts the matches');
SELECT ok(NOT EXISTS (SELECT FROM syncmaster.list_connections(5001) l WHERE l.data::text LIKE '%S3CR3T%'),
          'lists carry no credentials');
RESET ROLE;
SET ROLE regress_c_stranger;
SELECT throws_ok($$ SELECT * FROM syncmaster.list_connections(5001) $$, 'P0002', 'Group not found',
                 'a non-member cannot list');
RESET ROLE;

-- The key is the server's: hidden from users, never set per database or role.
SET ROLE regress_c_owner;
SELECT throws_ok($$ SHOW syncmaster.encryption_key $$, '42501',
                 'must be superuser or have privileges of pg_read_all_settings to examine "syncmaster.encryption_key"',
                 'SHOW hides the key from users');
SELECT is((SELECT count(*)::int FROM pg_settings WHERE name LIKE 'syncmaster.encryption%'), 0,
          'pg_settings does not list it for them');
RESET ROLE;
SELECT throws_ok($$ ALTER DATABASE postgres SET syncmaster.encryption_key = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=' $$,
                 '55P02', 'parameter "syncmaster.encryption_key" cannot be changed now',
                 'not per database, where every role could read it');
SELECT throws_ok($$ ALTER ROLE regress_c_owner SET syncmaster.encryption_key_file = '/tmp/key' $$,
                 '55P02', 'parameter "syncmaster.encryption_key_file" cannot be changed now',
                 'not per role');
SELECT throws_ok($$ SET syncmaster.encryption_key = 'x' $$, '55P02',
                 'parameter "syncmaster.encryption_key" cannot be changed now', 'not per session');

-- A bulk writer: one INSERT ... SELECT of 20 000 connections, as the owner. Past 256 names the
-- transaction holds the group's name scope instead of a lock per name, so the lock table does not
-- fill ("out of shared memory" at some 30 000 names before), and the rules still hold.
SET ROLE regress_c_owner;
SELECT lives_ok($$ INSERT INTO syncmaster.connection (group_id, type, name, data)
                   SELECT 5002, 'sftp', 'regress_bulk_' || i, jsonb_build_object('host', 'h' || i)
                   FROM generate_series(1, 20000) i $$,
                'one statement writes 20 000 connections');
RESET ROLE;
SELECT cmp_ok((SELECT count(*)::int FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'),
              '<=', 270, 'holding a few hundred advisory locks, not one per name');
SET ROLE regress_c_owner;
SELECT throws_ok($$ INSERT INTO syncmaster.connection (group_id, type, name, data)
                    VALUES (5002, 'sftp', 'regress_bulk_777', '{"host": "h"}') $$,
                 '23505', 'The connection name already exists in the target group, please specify a new one',
                 'a duplicate after the escalation still gets SyncMaster''s message (direct DML)');
SELECT throws_ok($$ SELECT syncmaster.create_connection(5002, 'regress_bulk_778', 'sftp', '{"host": "h"}',
                                                        '{"type": "basic", "user": "u", "password": "p"}') $$,
                 '23505', 'The connection name already exists in the target group, please specify a new one',
                 'and through the API');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
