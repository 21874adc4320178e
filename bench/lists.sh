#!/usr/bin/env bash
# P4, the list pages at size: list_users over BENCH_LIST_ROWS users (100 000 by default) and
# list_runs over as many runs of one transfer, at the first, a middle and the last page, as a
# member of the transfer's group (a Guest) and as an ordinary user, against the same call by the
# table owner (whom row-level security does not filter); and the other list functions at their
# first page over a group of 1 000 connections, transfers and queues and 200 members. Each call
# runs BENCH_RUNS times in a PL/pgSQL loop (no client round trip), subject and baseline in turn;
# p50 and p95 in ms, and the ratio of the medians (goal: p95 ≤ 1 ms and ≤ 1.5× the owner).
set -euo pipefail
ROWS=${BENCH_LIST_ROWS:-100000}
RUNS=${BENCH_RUNS:-30}

psql -X -q -v ON_ERROR_STOP=1 -v rows="$ROWS" -v schema=bench_lists \
     -v lib="$(dirname "$0")/time_query.sql" <<'SQL'
SET client_min_messages = warning;
SET syncmaster.notify_runs = none;
-- The scripts before this one filled and emptied the tables (a million connections): vacuumed
-- first, the fixture's rows reuse that space and the VACUUM after it gives the empty pages back,
-- so that a scan of the fixture reads the fixture, not the pages of the scripts before.
VACUUM syncmaster.connection, syncmaster.transfer, syncmaster.run, syncmaster."user";
DROP SCHEMA IF EXISTS bench_lists CASCADE;
CREATE SCHEMA bench_lists;
GRANT USAGE ON SCHEMA bench_lists TO PUBLIC;
DROP ROLE IF EXISTS bench_lists_member;
CREATE ROLE bench_lists_member LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('bench_lists_owner') AS owner \gset
SELECT syncmaster.create_user('bench_lists_member') AS member \gset
SELECT syncmaster.create_group('bench_lists', owner_id => :owner) AS team \gset
SELECT syncmaster.add_group_member(:team, :member, 'Guest') \g /dev/null
SELECT syncmaster.create_queue(:team, 'bench lists queue') AS queue \gset
-- The load skips the rules triggers (a fixture, made by the table owner; the rows are valid ones),
-- not those that keep the totals.
-- Usernames of 12 hexadecimal digits, as unlike each other as people's names (a shared prefix
-- would make every user a trigram candidate of every search); one in ten inactive.
CREATE TABLE bench_lists.users (id bigint);
ALTER TABLE syncmaster."user" DISABLE TRIGGER rules;
WITH made AS (
    INSERT INTO syncmaster."user" (username, is_active)
    SELECT left(md5('bench_lists' || i), 12), i % 10 <> 0 FROM generate_series(1, :rows) i
    RETURNING id)
INSERT INTO bench_lists.users SELECT id FROM made;
ALTER TABLE syncmaster."user" ENABLE TRIGGER rules;
INSERT INTO syncmaster.user_group (user_id, group_id, role)
SELECT id, :team, 'Guest' FROM bench_lists.users LIMIT 200;
SELECT substr(md5('bench_lists777'), 2, 8) AS someone \gset
INSERT INTO syncmaster.connection (group_id, type, name, data)
SELECT :team, 'postgres', 'bench_lists_c' || i, '{"host": "h", "database_name": "d"}'
FROM generate_series(1, 1000) i;
SELECT min(id) AS pg FROM syncmaster.connection WHERE group_id = :team \gset
INSERT INTO syncmaster.queue (group_id, name)
SELECT :team, 'bench lists queue ' || i FROM generate_series(1, 999) i;
INSERT INTO syncmaster.transfer (group_id, name, source_connection_id, target_connection_id, queue_id,
                                 source_params, target_params)
SELECT :team, 'bench_lists_t' || i, :pg, :pg, :queue, '{"type": "postgres", "table_name": "a.b"}',
       '{"type": "postgres", "table_name": "a.c"}'
FROM generate_series(1, 1000) i;
SELECT min(id) AS transfer FROM syncmaster.transfer WHERE group_id = :team \gset
ALTER TABLE syncmaster.run DISABLE TRIGGER rules, DISABLE TRIGGER notify;
INSERT INTO syncmaster.run (transfer_id, status, transfer_dump, created_at, started_at, ended_at)
SELECT :transfer, 'FINISHED', '{"bench": true}', now() - make_interval(secs => :rows - n),
       now() - make_interval(secs => :rows - n), now() - make_interval(secs => :rows - n - 1)
FROM generate_series(1, :rows) n;
ALTER TABLE syncmaster.run ENABLE TRIGGER rules, ENABLE TRIGGER notify;
VACUUM ANALYZE syncmaster."user", syncmaster.user_group, syncmaster.connection, syncmaster.queue,
               syncmaster.transfer, syncmaster.run;

\i :lib
CREATE TABLE bench_lists.cases (ord int, name text, query text);
-- 20 rows a page: the first, the middle and the last page of each set.
INSERT INTO bench_lists.cases VALUES
 (1, 'list_users page 1', 'SELECT * FROM syncmaster.list_users()'),
 (2, 'list_users middle page', format('SELECT * FROM syncmaster.list_users(page => %s)', :rows / 40)),
 (3, 'list_users last page', format('SELECT * FROM syncmaster.list_users(page => %s)', :rows * 9 / 200)),
 (4, 'list_users search', format('SELECT * FROM syncmaster.list_users(%L)', :'someone')),
 (5, 'list_runs page 1', format('SELECT * FROM syncmaster.list_runs(%s)', :transfer)),
 (6, 'list_runs middle page', format('SELECT * FROM syncmaster.list_runs(%s, page => %s)', :transfer, :rows / 40)),
 (7, 'list_runs last page', format('SELECT * FROM syncmaster.list_runs(%s, page => %s)', :transfer, :rows / 20)),
 (8, 'list_runs FINISHED page 1', format('SELECT * FROM syncmaster.list_runs(%s, ARRAY[''FINISHED''])', :transfer)),
 (9, 'list_groups page 1', 'SELECT * FROM syncmaster.list_groups()'),
 (10, 'list_group_members page 1', format('SELECT * FROM syncmaster.list_group_members(%s)', :team)),
 (11, 'list_connections page 1', format('SELECT * FROM syncmaster.list_connections(%s)', :team)),
 (12, 'list_queues page 1', format('SELECT * FROM syncmaster.list_queues(%s)', :team)),
 (13, 'list_transfers page 1', format('SELECT * FROM syncmaster.list_transfers(%s)', :team));
GRANT SELECT ON bench_lists.cases TO PUBLIC;
CREATE TABLE bench_lists.results (ord int, member boolean, p50_ms float8, p95_ms float8);
GRANT INSERT ON bench_lists.results TO PUBLIC;
SQL

psql -X -q -v ON_ERROR_STOP=1 -v runs="$RUNS" -v rows="$ROWS" <<'SQL'
SELECT format($$INSERT INTO bench_lists.results SELECT %s, false, t.* FROM bench_lists.time_query(%L, %s) t;
SET ROLE bench_lists_member;
INSERT INTO bench_lists.results SELECT %s, true, t.* FROM bench_lists.time_query(%L, %s) t;
RESET ROLE;$$, ord, query, :runs, ord, query, :runs)
FROM bench_lists.cases ORDER BY ord \gexec
\pset footer off
\echo 'list pages,' :rows 'users and' :rows 'runs of one transfer; the member is a Guest (milliseconds)'
SELECT c.name AS call,
       round(o.p50_ms::numeric, 2) AS owner_p50, round(o.p95_ms::numeric, 2) AS owner_p95,
       round(m.p50_ms::numeric, 2) AS member_p50, round(m.p95_ms::numeric, 2) AS member_p95,
       round((m.p50_ms / o.p50_ms)::numeric, 2) AS ratio
FROM bench_lists.cases c
JOIN bench_lists.results o ON o.ord = c.ord AND NOT o.member
JOIN bench_lists.results m ON m.ord = c.ord AND m.member
ORDER BY c.ord;
SET client_min_messages = warning;
SET syncmaster.notify_runs = none;
DELETE FROM syncmaster."group" WHERE name = 'bench_lists';
DELETE FROM syncmaster."user"
WHERE username LIKE 'bench\_lists\_%' OR id IN (SELECT id FROM bench_lists.users);
DROP SCHEMA bench_lists CASCADE;
DROP ROLE bench_lists_member;
SQL
