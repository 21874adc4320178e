-- Search: search_query() builds SyncMaster's query, and the C++ trigger keeps each
-- search_vector equal to SyncMaster's generated column, recomputing it only when its sources change.
BEGIN;
SELECT plan(38);

CREATE FUNCTION selftest_jsonb_values_read() RETURNS bigint
    LANGUAGE c STRICT AS 'pg_syncmaster_probes', 'syncmaster_selftest_jsonb_values_read';
CREATE FUNCTION selftest_jsonb_values_written() RETURNS bigint
    LANGUAGE c STRICT AS 'pg_syncmaster_probes', 'syncmaster_selftest_jsonb_values_written';
CREATE FUNCTION selftest_vectors_built() RETURNS bigint
    LANGUAGE c STRICT AS 'pg_syncmaster_probes', 'syncmaster_selftest_search_vectors_built';
CREATE FUNCTION selftest_searches_by_index() RETURNS bigint
    LANGUAGE c STRICT AS 'pg_syncmaster_probes', 'syncmaster_selftest_searches_by_index';
GRANT EXECUTE ON FUNCTION selftest_searches_by_index() TO PUBLIC;

-- SyncMaster's expression, in SQL, to compare with.
CREATE FUNCTION pg_temp.t(x text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT translate(coalesce(x, ''), './-_:\', '      ') $$;
CREATE FUNCTION pg_temp.name_vector(name text) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
    SELECT to_tsvector('russian', coalesce(name, '')) || to_tsvector('simple', coalesce(name, ''))
           || to_tsvector('simple', pg_temp.t(name)) $$;

SELECT is(syncmaster.search_query('some word 12345'),
          to_tsquery('simple', $$('some' & 'word' & '12345') | ('some':* & 'word':* & '12345':*)$$)
          || plainto_tsquery('russian', 'some word 12345'),
          'search_query: the words, the prefixes, and plainto_tsquery(russian)');
SELECT is(syncmaster.search_query('with_underscore_123'),
          to_tsquery('simple', $$('with_underscore_123') | ('with_underscore_123':*) | ('with':* & 'underscore':* & '123':*)$$)
          || plainto_tsquery('russian', 'with_underscore_123'),
          'search_query: split words as prefixes too');
SELECT is(numnode(syncmaster.search_query('!@#')), 0, 'only punctuation: the empty query, which matches nothing');
SELECT is(syncmaster.search_query(NULL), NULL, 'NULL in, NULL out');

INSERT INTO syncmaster."user" (id, username) VALUES (601, 'regress_s_owner');
INSERT INTO syncmaster."group" (id, name, owner_id) VALUES (6001, 'Data-Platform.team', 601);
INSERT INTO syncmaster.queue (id, group_id, name, slug) VALUES (6201, 6001, 'etl queue', '6001-etl_queue');
INSERT INTO syncmaster.connection (id, group_id, type, name, data) VALUES
    (6101, 6001, 'postgres', 'warehouse', '{"host": "db-1.example.com", "port": 5432, "database_name": "dwh"}'),
    (6102, 6001, 'hdfs', 'lake', '{"cluster": "rnd"}');
INSERT INTO syncmaster.transfer (id, group_id, name, source_connection_id, target_connection_id, queue_id,
                                 source_params, target_params)
VALUES (6301, 6001, 'nightly_load', 6101, 6102, 6201,
        '{"type": "postgres", "table_name": "public.orders"}',
        '{"type": "hdfs", "directory_path": "/data/orders", "file_format": {"type": "parquet"}}');

SELECT is((SELECT search_vector FROM syncmaster."group" WHERE id = 6001),
          pg_temp.name_vector('Data-Platform.team'), 'group: SyncMaster''s vector');
SELECT is((SELECT search_vector FROM syncmaster.queue WHERE id = 6201),
          pg_temp.name_vector('etl queue'), 'queue: SyncMaster''s vector');
SELECT is((SELECT search_vector FROM syncmaster.connection WHERE id = 6101),
          pg_temp.name_vector('warehouse') || to_tsvector('simple', 'db-1.example.com')
          || to_tsvector('simple', pg_temp.t('db-1.example.com')),
          'connection: name and host');
SELECT is((SELECT search_vector FROM syncmaster.connection WHERE id = 6102),
          pg_temp.name_vector('lake') || to_tsvector('simple', '') || to_tsvector('simple', ''),
          'connection without host: name only');
SELECT is((SELECT search_vector FROM syncmaster.transfer WHERE id = 6301),
          pg_temp.name_vector('nightly_load')
          || to_tsvector('simple', 'public.orders') || to_tsvector('simple', '')
          || to_tsvector('simple', pg_temp.t('public.orders')) || to_tsvector('simple', '')
          || to_tsvector('simple', '') || to_tsvector('simple', '/data/orders')
          || to_tsvector('simple', '') || to_tsvector('simple', pg_temp.t('/data/orders')),
          'transfer: name, table names, directory paths, in SyncMaster''s order');

-- Many shapes at once: names and hosts with and without separators, repeated words, empty and
-- missing hosts (the trigger reuses the vector of a part equal to an earlier one and skips empty
-- parts; the result must still be SyncMaster's, bit for bit).
INSERT INTO syncmaster.connection (id, group_id, type, name, data)
SELECT 6500 + i, 6001, 'sftp',
       (ARRAY['plain', 'two words', 'a.b-c_d:e\f', 'Заказы склад', 'db-7', 'x x x'])[i % 6 + 1] || ' n' || i,
       CASE i % 4 WHEN 0 THEN jsonb_build_object('host', 'h' || i || '.example.com')
                  WHEN 1 THEN jsonb_build_object('host', 'plain')
                  WHEN 2 THEN jsonb_build_object('host', '')
                  ELSE jsonb_build_object('host', 'plain' || i) END
FROM generate_series(1, 48) i;
SELECT is((SELECT count(*)::int FROM syncmaster.connection
           WHERE id > 6500 AND search_vector IS DISTINCT FROM
                 pg_temp.name_vector(name) || to_tsvector('simple', coalesce(data->>'host', ''))
                 || to_tsvector('simple', pg_temp.t(data->>'host'))), 0,
          '48 connections of every shape: each vector is SyncMaster''s');
DELETE FROM syncmaster.connection WHERE id > 6500;

-- Only a change of a source recomputes the vector.
CREATE TEMP TABLE built AS SELECT selftest_vectors_built() AS n;
UPDATE syncmaster.connection SET description = 'unrelated', data = data || '{"port": 6432}' WHERE id = 6101;
UPDATE syncmaster.transfer SET is_scheduled = false, description = 'x' WHERE id = 6301;
UPDATE syncmaster."group" SET description = 'about us' WHERE id = 6001;
SELECT is(selftest_vectors_built() - (SELECT n FROM built), 0::bigint,
          'an UPDATE of other columns computes no vector');
UPDATE syncmaster.connection SET data = data || '{"host": "db-2.example.com"}' WHERE id = 6101;
SELECT is(selftest_vectors_built() - (SELECT n FROM built), 1::bigint,
          'a new host computes one');
SELECT ok((SELECT search_vector @@ to_tsquery('simple', 'db-2.example.com')
           FROM syncmaster.connection WHERE id = 6101), 'and the vector follows the new host');
UPDATE syncmaster.transfer SET target_params = '{"type": "hdfs", "directory_path": "/archive", "file_format": {"type": "parquet"}}' WHERE id = 6301;
SELECT ok((SELECT search_vector @@ to_tsquery('simple', 'archive') AND NOT search_vector @@ to_tsquery('simple', 'data')
           FROM syncmaster.transfer WHERE id = 6301), 'a new directory path replaces the old one');
UPDATE syncmaster.queue SET search_vector = to_tsvector('simple', 'forged') WHERE id = 6201;
SELECT is((SELECT search_vector FROM syncmaster.queue WHERE id = 6201), pg_temp.name_vector('etl queue'),
          'a vector written by hand is put back');

-- A large data value (TOASTed) is not even read when an UPDATE leaves it and the type alone:
-- neither the rules trigger nor the search trigger fetches it.
UPDATE syncmaster.connection
   SET data = data || jsonb_build_object('additional_params', jsonb_build_object('blob', (SELECT string_agg(md5(i::text), '') FROM generate_series(1, 3200) i)))
 WHERE id = 6101;
SELECT cmp_ok((SELECT pg_column_size(data) FROM syncmaster.connection WHERE id = 6101), '>', 8000,
              'the data is stored out of line');
CREATE TEMP TABLE read_before AS SELECT selftest_jsonb_values_read() AS n, selftest_vectors_built() AS v;
UPDATE syncmaster.connection SET description = 'big data, small change' WHERE id = 6101;
SELECT is(selftest_jsonb_values_read() - (SELECT n FROM read_before), 0::bigint,
          'an UPDATE of the description reads no jsonb value');
UPDATE syncmaster.transfer SET description = 'only this', is_scheduled = false WHERE id = 6301;
SELECT is(selftest_jsonb_values_read() - (SELECT n FROM read_before), 0::bigint,
          'nor does one of a transfer''s description, whose documents stay unread');
UPDATE syncmaster.connection SET name = 'warehouse2' WHERE id = 6101;
SELECT is(selftest_vectors_built() - (SELECT v FROM read_before), 1::bigint,
          'and the rename alone recomputes the vector');
UPDATE syncmaster.connection SET name = 'warehouse' WHERE id = 6101;

-- Documents sent as they are normalized are stored as sent: the rules triggers build no jsonb.
CREATE TEMP TABLE written_before AS SELECT selftest_jsonb_values_written() AS n;
INSERT INTO syncmaster.connection (id, group_id, type, name, data)
SELECT 6103, 6001, type, 'normalized', data FROM syncmaster.connection WHERE id = 6101;
SELECT is(selftest_jsonb_values_written() - (SELECT n FROM written_before), 0::bigint,
          'a connection whose data is normalized: no jsonb written back');
INSERT INTO syncmaster.transfer (id, group_id, name, source_connection_id, target_connection_id, queue_id,
                                 source_params, target_params, strategy_params, transformations, resources)
SELECT 6302, group_id, 'normalized', source_connection_id, target_connection_id, queue_id,
       source_params, target_params, strategy_params, transformations, resources
FROM syncmaster.transfer WHERE id = 6301;
SELECT is(selftest_jsonb_values_written() - (SELECT n FROM written_before), 0::bigint,
          'nor for a transfer whose five documents are');
INSERT INTO syncmaster.connection (id, group_id, type, name, data)
VALUES (6104, 6001, 'postgres', 'defaults', '{"host": "db-4", "database_name": "dwh"}');
SELECT is(selftest_jsonb_values_written() - (SELECT n FROM written_before), 1::bigint,
          'data missing its defaults is written back, once');
SELECT is((SELECT data FROM syncmaster.connection WHERE id = 6104),
          '{"host": "db-4", "port": 5432, "database_name": "dwh", "additional_params": {}}'::jsonb,
          'with the defaults filled in');
DELETE FROM syncmaster.transfer WHERE id = 6302;
DELETE FROM syncmaster.connection WHERE id IN (6103, 6104);

-- Searching.
SELECT results_eq($$ SELECT id FROM syncmaster.connection WHERE search_vector @@ syncmaster.search_query('example') $$,
                  $$ VALUES (6101::bigint) $$, 'a host word finds its connection');
SELECT results_eq($$ SELECT id FROM syncmaster.transfer WHERE search_vector @@ syncmaster.search_query('orders') $$,
                  $$ VALUES (6301::bigint) $$, 'a table word finds its transfer');
SELECT results_eq($$ SELECT id FROM syncmaster."group" WHERE search_vector @@ syncmaster.search_query('platf') $$,
                  $$ VALUES (6001::bigint) $$, 'a prefix finds the group');

-- Across the caller's groups: search_connections() finds in every group the caller reads, and
-- nowhere else.
CREATE ROLE regress_s_owner LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_s_other LOGIN IN ROLE syncmaster_user;
CREATE ROLE regress_s_stranger LOGIN IN ROLE syncmaster_user;
INSERT INTO syncmaster."user" (id, username) VALUES (602, 'regress_s_other'), (603, 'regress_s_stranger');
INSERT INTO syncmaster."group" (id, name, owner_id) VALUES (6002, 'other team', 602), (6003, 'shared team', 602);
INSERT INTO syncmaster.user_group (user_id, group_id, role) VALUES (601, 6003, 'Guest');
INSERT INTO syncmaster.connection (id, group_id, type, name, data) VALUES
    (6105, 6002, 'postgres', 'orders example', '{"host": "db-9.example.com", "database_name": "dwh"}'),
    (6106, 6003, 'postgres', 'example', '{"host": "db-8.example.org", "database_name": "dwh"}');
SET ROLE regress_s_owner;
SELECT results_eq($$ SELECT id, group_id, total FROM syncmaster.search_connections('example') $$,
                  $$ VALUES (6106::bigint, 6003::bigint, 2::bigint), (6101, 6001, 2) $$,
                  'search_connections: the matches of the groups the caller owns or is a member of, best first');
SELECT results_eq($$ SELECT id, total FROM syncmaster.search_connections('example', page => 2, page_size => 1) $$,
                  $$ VALUES (6101::bigint, 2::bigint) $$, 'paged like the list functions');
RESET ROLE;
SET ROLE regress_s_other;
SELECT results_eq($$ SELECT id FROM syncmaster.search_connections('example') ORDER BY id $$,
                  $$ VALUES (6105::bigint), (6106) $$, 'another user finds in its own groups only');
RESET ROLE;
SET ROLE regress_s_stranger;
SELECT is_empty($$ SELECT * FROM syncmaster.search_connections('example') $$,
                'a user of no group finds nothing');
RESET ROLE;
SELECT results_eq($$ SELECT id FROM syncmaster.search_connections('example') WHERE id BETWEEN 6101 AND 6106 ORDER BY id $$,
                  $$ VALUES (6101::bigint), (6105), (6106) $$, 'a superuser finds in every group');
SELECT throws_ok($$ SELECT * FROM syncmaster.search_connections(NULL) $$, '22023', 'search is required',
                 'search_connections needs a search');
SELECT throws_ok($$ SELECT * FROM syncmaster.search_connections('example', page_size => 51) $$, '22023',
                 'page_size should be between 1 and 50', 'and takes the pages of the list functions');

-- A member's search takes the GIN index for a word few rows have, and the rows of its groups for
-- a word most rows of the table have (estimated from ANALYZE's statistics); both find the same
-- rows a plain query finds. A word in 2 000 rows of its groups: the first 1 000 found are ranked,
-- and counted. (4 000 rows of a group it does not read make the table larger than its groups; 50
-- words of 2 % each give ANALYZE a range of shares.)
INSERT INTO syncmaster."group" (id, name, owner_id) VALUES (6004, 'big team', 602), (6005, 'far team', 601);
INSERT INTO syncmaster.connection (group_id, type, name, data)
SELECT CASE WHEN i <= 2000 THEN 6004 ELSE 6005 END, 'postgres', 'common item w' || i % 50 || ' ' || i,
       '{"host": "h.example.net", "database_name": "d"}'
FROM generate_series(1, 6000) i;
INSERT INTO syncmaster.connection (id, group_id, type, name, data)
VALUES (6107, 6004, 'postgres', 'needle', '{"host": "n.example.net", "database_name": "d"}');
ANALYZE syncmaster.connection;
SET ROLE regress_s_other;
CREATE TEMP TABLE by_index AS SELECT selftest_searches_by_index() AS n;
SELECT results_eq($$ SELECT id, group_id, total FROM syncmaster.search_connections('needle') $$,
                  $$ VALUES (6107::bigint, 6004::bigint, 1::bigint) $$, 'a rare word is found');
SELECT is(selftest_searches_by_index() - (SELECT n FROM by_index), 1::bigint, 'through the GIN index');
SELECT is((SELECT DISTINCT total FROM syncmaster.search_connections('common')), 1000::bigint,
          'a word in 2 000 rows: 1 000 candidates');
SELECT is(selftest_searches_by_index() - (SELECT n FROM by_index), 1::bigint,
          'found walking the groups'' rows');
SELECT is((SELECT count(*) FROM syncmaster.search_connections('commo', page_size => 50)), 50::bigint,
          'a prefix, a full page');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
