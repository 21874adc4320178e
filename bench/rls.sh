#!/usr/bin/env bash
# Row-level security at 1 000 000 connections: a user who belongs to one group of
# 100 sees 10 000 rows (1 %), spread over the table. Each query runs as that user through the
# policies, and as the baseline without row-level security (the table owner) with the user's
# groups spelled out; p50 and p95 of 10 runs, and the ratio of the medians. A last case reads the
# whole table as a syncmaster superuser, whose list of visible groups holds all 100.
set -euo pipefail
ROWS=${BENCH_RLS_ROWS:-1000000}
RUNS=${BENCH_RUNS:-30}

psql -X -q -v ON_ERROR_STOP=1 -v rows="$ROWS" -v schema=bench \
     -v lib="$(dirname "$0")/time_query.sql" <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
GRANT USAGE ON SCHEMA bench TO PUBLIC;
DROP ROLE IF EXISTS bench_reader;
DROP ROLE IF EXISTS bench_root;
CREATE ROLE bench_reader LOGIN IN ROLE syncmaster_user;
CREATE ROLE bench_root LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('bench_owner') AS owner_id \gset
SELECT syncmaster.create_user('bench_reader') AS reader_id \gset
SELECT syncmaster.create_user('bench_root', is_superuser => true) AS root_id \gset
INSERT INTO syncmaster."group" (name, owner_id)
SELECT 'bench_group_' || g, :owner_id FROM generate_series(1, 100) g;
SELECT min(id) AS first_group FROM syncmaster."group" WHERE name LIKE 'bench\_group\_%' \gset
SELECT :first_group + 41 AS reader_group \gset
SELECT syncmaster.add_group_member(:reader_group, :reader_id, 'Guest') \g /dev/null
-- The load skips the triggers (a bench fixture, made by the table owner).
ALTER TABLE syncmaster.connection DISABLE TRIGGER USER;
INSERT INTO syncmaster.connection (group_id, type, name)
SELECT :first_group + (i % 100), 'postgres', 'bench_' || i FROM generate_series(1, :rows) i;
ALTER TABLE syncmaster.connection ENABLE TRIGGER USER;
VACUUM ANALYZE syncmaster.connection;

\i :lib

CREATE TABLE bench.cases (ord int, name text, rls_query text, plain_query text, reader name DEFAULT 'bench_reader');
INSERT INTO bench.cases (ord, name, rls_query, plain_query) VALUES
 (1, 'all visible rows (1 %), no WHERE',
  'SELECT id, name FROM syncmaster.connection',
  format('SELECT id, name FROM syncmaster.connection WHERE group_id = ANY (%L::bigint[])', ARRAY[:reader_group])),
 (2, 'the rows of the group, WHERE group_id',
  format('SELECT id, name FROM syncmaster.connection WHERE group_id = %s', :reader_group),
  format('SELECT id, name FROM syncmaster.connection WHERE group_id = %s', :reader_group)),
 (3, 'a 50-row page, ORDER BY id LIMIT 50',
  'SELECT id, name FROM syncmaster.connection ORDER BY id LIMIT 50',
  format('SELECT id, name FROM syncmaster.connection WHERE group_id = ANY (%L::bigint[]) ORDER BY id LIMIT 50', ARRAY[:reader_group])),
 (4, 'a 50-row page of the group, WHERE group_id ORDER BY name',
  format('SELECT id, name FROM syncmaster.connection WHERE group_id = %s ORDER BY name LIMIT 50', :reader_group),
  format('SELECT id, name FROM syncmaster.connection WHERE group_id = %s ORDER BY name LIMIT 50', :reader_group));
-- The API's page as a member, against the same call by the table owner (no row-level security;
-- the function's own group filter). A plain query with count(*) OVER () would not do: its count
-- is planned away when only the rows are counted.
INSERT INTO bench.cases (ord, name, rls_query, plain_query) VALUES
 (6, 'list_connections() page of 50 as a member of the group',
  format('SELECT id, name FROM syncmaster.list_connections(%s, page_size => 50)', :reader_group),
  format('SELECT id, name FROM syncmaster.list_connections(%s, page_size => 50)', :reader_group));
INSERT INTO bench.cases VALUES
 (5, 'a superuser (every group listed) reads every row',
  'SELECT id, name FROM syncmaster.connection',
  'SELECT id, name FROM syncmaster.connection', 'bench_root');
GRANT SELECT ON bench.cases TO PUBLIC;
CREATE TABLE bench.results (ord int, rls boolean, p50_ms float8, p95_ms float8);
GRANT INSERT ON bench.results TO PUBLIC;
SQL

# Each case runs plain, then through the policies, in turn, so that both see the same cache.
psql -X -q -v ON_ERROR_STOP=1 -v runs="$RUNS" -v rows="$ROWS" <<'SQL'
SET ROLE bench_reader;
SELECT count(*) AS visible FROM syncmaster.connection \gset
RESET ROLE;
SELECT format($$INSERT INTO bench.results SELECT %s, false, t.* FROM bench.time_query(%L, %s) t;
SET ROLE %I;
INSERT INTO bench.results SELECT %s, true, t.* FROM bench.time_query(%L, %s) t;
RESET ROLE;$$, ord, plain_query, least(:runs, 10), reader, ord, rls_query, least(:runs, 10))
FROM bench.cases ORDER BY ord \gexec
\pset footer off
\echo 'row-level security,' :rows 'connections, the reader sees' :visible '(milliseconds)'
SELECT c.name AS query,
       round(p.p50_ms::numeric, 2) AS plain_p50, round(p.p95_ms::numeric, 2) AS plain_p95,
       round(r.p50_ms::numeric, 2) AS rls_p50, round(r.p95_ms::numeric, 2) AS rls_p95,
       round((r.p50_ms / p.p50_ms)::numeric, 2) AS ratio
FROM bench.cases c
JOIN bench.results p ON p.ord = c.ord AND NOT p.rls
JOIN bench.results r ON r.ord = c.ord AND r.rls
ORDER BY c.ord;
SET client_min_messages = warning;
ALTER TABLE syncmaster.connection DISABLE TRIGGER USER;
DELETE FROM syncmaster.connection WHERE name LIKE 'bench\_%';
ALTER TABLE syncmaster.connection ENABLE TRIGGER USER;
DELETE FROM syncmaster."group" WHERE name LIKE 'bench\_group\_%';
DELETE FROM syncmaster."user" WHERE username IN ('bench_owner', 'bench_reader', 'bench_root');
DROP SCHEMA bench CASCADE;
DROP ROLE bench_reader, bench_root;
SQL
