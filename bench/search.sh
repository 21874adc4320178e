#!/usr/bin/env bash
# P3, search: BENCH_SEARCH_ROWS connections (1 000 000 by default) across 1 000 groups, with names
# and hosts from a generator, and a reader who is a Guest of 15 groups.
#
#   in-group   list_connections(g, search) by the reader, the terms from a rotation of 600 (never
#              one repeated term in a row), against the same query as the superuser without RLS;
#   cross-group  search_connections(search) by the reader (its 15 groups), against the same query
#              as the superuser without RLS, with the 15 groups spelled out, every match ranked;
#   ranked     search_connections(search) by the superuser (every group; ranked among the first
#              1 000 matches found), against ranking every match (search_vector @@ q ORDER BY
#              ts_rank DESC LIMIT 20);
#   zero hits  each of the three with terms no row has.
#
# Each kind runs BENCH_SEARCH_QUERIES queries in PL/pgSQL loops (no client round trip), in three
# rounds that alternate subject and baseline; p50/p95/p99 in ms.
set -euo pipefail
N=${BENCH_SEARCH_ROWS:-1000000}
Q=${BENCH_SEARCH_QUERIES:-600}

psql -X -q -v ON_ERROR_STOP=1 -v n="$N" <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench_p3 CASCADE;
DELETE FROM syncmaster."group" WHERE name LIKE 'bench_p3_%';
DELETE FROM syncmaster."user" WHERE username IN ('bench_p3_owner', 'bench_p3_reader');
DROP ROLE IF EXISTS bench_p3_reader;
CREATE ROLE bench_p3_reader LOGIN IN ROLE syncmaster_user;
CREATE SCHEMA bench_p3;
GRANT USAGE ON SCHEMA bench_p3 TO bench_p3_reader;
CREATE TABLE bench_p3.samples (query text, way text, ms float8);
GRANT INSERT ON bench_p3.samples TO bench_p3_reader;
-- The vocabulary names and hosts are made of (120 words), and 600 search terms drawn from it:
-- single words, word prefixes and host fragments.
CREATE TABLE bench_p3.words AS
SELECT row_number() OVER () AS i, w FROM unnest(string_to_array(
  'orders billing payments ledger invoices customers accounts users sessions events clicks views '
  'metrics logs audit inventory stock catalog products pricing shipping returns refunds tax '
  'finance hr payroll crm marketing campaigns leads sales quotes contracts vendors suppliers '
  'warehouse lake mart staging raw curated gold silver bronze archive backup replica primary '
  'analytics reporting dashboard forecast budget risk fraud compliance security identity auth '
  'geo maps routes fleet telemetry sensors iot devices firmware mobile web api gateway search '
  'recommend ranking ads bids auctions cart checkout wallet loyalty rewards coupons gifts '
  'support tickets chat email sms push notify alerts oncall incidents deploy build release '
  'europe asia america africa oceania north south east west central alpha beta gamma delta', ' ')) w;
GRANT SELECT ON bench_p3.words TO bench_p3_reader;
CREATE TABLE bench_p3.terms AS
SELECT row_number() OVER () AS i, t FROM (
    SELECT w AS t FROM bench_p3.words
    UNION ALL SELECT left(w, 4) FROM bench_p3.words WHERE length(w) > 5
    UNION ALL SELECT a.w || ' ' || b.w FROM bench_p3.words a JOIN bench_p3.words b ON b.i = (a.i * 7) % 120 + 1
    UNION ALL SELECT 'db-' || (i * 37) FROM generate_series(1, 200) i
    UNION ALL SELECT a.w || '-' || b.w FROM bench_p3.words a JOIN bench_p3.words b ON b.i = (a.i * 11) % 120 + 1
) t LIMIT 600;
CREATE TABLE bench_p3.missing AS
SELECT row_number() OVER () AS i, 'zq' || md5(i::text) AS t FROM generate_series(1, 600) i;
GRANT SELECT ON bench_p3.terms, bench_p3.missing TO bench_p3_reader;

SELECT syncmaster.create_user('bench_p3_owner') AS owner_id \gset
SELECT syncmaster.create_user('bench_p3_reader') AS reader_id \gset
INSERT INTO syncmaster."group" (name, owner_id)
SELECT 'bench_p3_' || g, :owner_id FROM generate_series(1, 1000) g;
CREATE TABLE bench_p3.groups AS
SELECT row_number() OVER (ORDER BY id) AS i, id FROM syncmaster."group" WHERE name LIKE 'bench_p3_%';
-- The reader is a Guest of 15 groups, spread over the range.
INSERT INTO syncmaster.user_group (user_id, group_id, role)
SELECT :reader_id, id, 'Guest' FROM bench_p3.groups WHERE i % 67 = 1 LIMIT 15;
CREATE TABLE bench_p3.reader_groups AS
SELECT row_number() OVER (ORDER BY group_id) AS i, group_id AS id
FROM syncmaster.user_group WHERE user_id = :reader_id;
GRANT SELECT ON bench_p3.reader_groups TO bench_p3_reader;
\echo generating the connections
-- Names like "orders-warehouse europe 7", hosts like "db-4711.finance.example.com", through the
-- triggers (the search vectors are theirs).
INSERT INTO syncmaster.connection (group_id, type, name, data)
SELECT g.id, 'postgres',
       w1.w || '-' || w2.w || ' ' || w3.w || ' ' || s,
       jsonb_build_object('host', 'db-' || s || '.' || w3.w || '.example.com', 'database_name', 'dwh')
FROM generate_series(1, :n) s
JOIN bench_p3.groups g ON g.i = s % 1000 + 1
JOIN bench_p3.words w1 ON w1.i = (s * 7) % 120 + 1
JOIN bench_p3.words w2 ON w2.i = (s / 120 * 13 + s) % 120 + 1
JOIN bench_p3.words w3 ON w3.i = (s / 14400 * 17 + s * 3) % 120 + 1;
VACUUM ANALYZE syncmaster.connection;

-- One sample per query. way 'subject': list_connections (as whoever calls), or for 'ranked top-20'
-- the superuser's cross-group search; way 'baseline': the same query spelled out, with the group
-- filter, run by the superuser (no RLS).
CREATE FUNCTION bench_p3.run(kind text, way text, n int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    g bigint;
    term text;
    q tsquery;
    ignored bigint;
BEGIN
    FOR k IN 1 .. n LOOP
        g := (SELECT id FROM bench_p3.reader_groups WHERE i = k % 15 + 1);
        IF kind LIKE '%zero hits' THEN
            term := (SELECT t FROM bench_p3.missing WHERE i = k % 600 + 1);
        ELSE
            term := (SELECT t FROM bench_p3.terms WHERE i = (k * 7) % 600 + 1);
        END IF;
        q := syncmaster.search_query(term);
        t0 := clock_timestamp();
        IF kind LIKE 'ranked top-20%' AND way = 'baseline' THEN
            SELECT count(*) INTO ignored FROM (
                SELECT c.id FROM syncmaster.connection c WHERE c.search_vector @@ q
                ORDER BY ts_rank(c.search_vector, q) DESC, c.name LIMIT 20) r;
        ELSIF kind LIKE 'cross-group%' AND way = 'baseline' THEN
            SELECT count(*) INTO ignored FROM (
                SELECT c.id, count(*) OVER () FROM syncmaster.connection c
                WHERE c.group_id = ANY (ARRAY(SELECT id FROM bench_p3.reader_groups))
                  AND c.search_vector @@ q
                ORDER BY ts_rank(c.search_vector, q) DESC, c.name LIMIT 20) r;
        ELSIF kind LIKE 'ranked top-20%' OR kind LIKE 'cross-group%' THEN
            SELECT count(*) INTO ignored FROM syncmaster.search_connections(term);
        ELSIF way = 'subject' THEN
            SELECT count(*) INTO ignored FROM syncmaster.list_connections(g, search => term);
        ELSE
            SELECT count(*) INTO ignored FROM (
                SELECT c.id, count(*) OVER () FROM syncmaster.connection c
                WHERE c.group_id = g AND c.search_vector @@ q
                ORDER BY ts_rank(c.search_vector, q) DESC, c.name LIMIT 20) r;
        END IF;
        INSERT INTO bench_p3.samples VALUES (kind, way, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION bench_p3.run(text, text, int) TO bench_p3_reader;
SQL

echo "running $Q queries of each kind"
for round in 1 2 3; do
  n=$((Q / 3))
  psql -X -q -U bench_p3_reader -c "SELECT bench_p3.run('in-group', 'subject', $n)" \
       -c "SELECT bench_p3.run('zero hits', 'subject', $n)" \
       -c "SELECT bench_p3.run('cross-group', 'subject', $n)" \
       -c "SELECT bench_p3.run('cross-group, zero hits', 'subject', $n)" >/dev/null
  psql -X -q -c "SELECT bench_p3.run('in-group', 'baseline', $n)" \
       -c "SELECT bench_p3.run('zero hits', 'baseline', $n)" \
       -c "SELECT bench_p3.run('cross-group', 'baseline', $n)" \
       -c "SELECT bench_p3.run('cross-group, zero hits', 'baseline', $n)" \
       -c "SELECT bench_p3.run('ranked top-20', 'subject', $n)" \
       -c "SELECT bench_p3.run('ranked top-20, zero hits', 'subject', $n)" \
       -c "SELECT bench_p3.run('ranked top-20', 'baseline', $n)" \
       -c "SELECT bench_p3.run('ranked top-20, zero hits', 'baseline', $n)" >/dev/null
done

psql -X -q -v ON_ERROR_STOP=1 -v n="$N" <<'SQL'
\pset footer off
\echo 'P3 search over' :n 'connections in 1 000 groups; ms per query'
\echo '(subject: list_connections or search_connections as a Guest of 15 groups, or'
\echo ' search_connections as the superuser; baseline: the same query spelled out as the'
\echo ' superuser, without RLS, with the group filter, every match ranked)'
SELECT query, way, count(*) AS queries,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS p50,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS p95,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS p99
FROM bench_p3.samples GROUP BY query, way ORDER BY query, way DESC;
SET client_min_messages = warning;
DROP SCHEMA bench_p3 CASCADE;
DELETE FROM syncmaster."group" WHERE name LIKE 'bench_p3_%';
DELETE FROM syncmaster."user" WHERE username IN ('bench_p3_owner', 'bench_p3_reader');
DROP ROLE bench_p3_reader;
SQL
