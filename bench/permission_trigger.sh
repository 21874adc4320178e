#!/usr/bin/env bash
# The cost of the guard trigger per single-row statement (DESIGN §12: at most 2.5 µs added; a
# direct index probe or a cache may reach 1 µs).
#
# The statement: a Developer's single-row UPDATE of a light table carrying only the guard trigger
# (the same C++ function the extension's tables use, judging the row's group_id), so that the
# trigger's cost is not drowned by GIN maintenance or other triggers. Baseline: the same statement
# with the trigger disabled. Two ways:
#  * in one plpgsql loop, one statement per row (each a new command): no client round trip;
#  * pgbench, one autocommit statement per transaction (the guard's lookups are cached across
#    transactions until a write to users, groups or memberships invalidates them).
# Rounds alternate with and without the trigger; the median of each is reported.
set -euo pipefail
N=${BENCH_ROWS:-50000}
ROUNDS=${BENCH_ROUNDS:-7}
SECONDS_PER_RUN=${BENCH_SECONDS:-5}

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
DROP ROLE IF EXISTS bench_dev;
CREATE ROLE bench_dev LOGIN IN ROLE syncmaster_user;
GRANT USAGE ON SCHEMA bench TO bench_dev;
SELECT syncmaster.create_user('bench_owner') AS owner_id \gset
SELECT syncmaster.create_user('bench_dev') AS dev_id \gset
SELECT syncmaster.create_group('bench_group', owner_id => :owner_id) AS group_id \gset
SELECT syncmaster.add_group_member(:group_id, :dev_id, 'Developer');
CREATE TABLE bench.probe (id bigint PRIMARY KEY, group_id bigint NOT NULL, hits int NOT NULL DEFAULT 0)
    WITH (fillfactor = 50);
INSERT INTO bench.probe SELECT i, :group_id FROM generate_series(1, 1000000) i;
VACUUM ANALYZE bench.probe;
GRANT SELECT, UPDATE ON bench.probe TO bench_dev;
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON bench.probe
    FOR EACH ROW EXECUTE FUNCTION syncmaster.guard('connection');
CREATE FUNCTION bench.updates(first bigint, n int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
    FOR i IN 0 .. n - 1 LOOP
        UPDATE bench.probe SET hits = hits + 1 WHERE id = first + i;
    END LOOP;
    RETURN extract(epoch FROM clock_timestamp() - t0) * 1e6 / n;
END $$;
GRANT EXECUTE ON FUNCTION bench.updates(bigint, int) TO bench_dev;
CREATE TABLE bench.samples (way text, guard boolean, us float8);
SQL

script=$(mktemp)
trap 'rm -f "$script"' EXIT
echo '\set id random(1, 1000000)' >"$script"
echo 'UPDATE bench.probe SET hits = hits + 1 WHERE id = :id;' >>"$script"

first=1
for round in $(seq 1 "$ROUNDS"); do
  for guard in on off; do
    if [ "$guard" = on ]; then action=ENABLE; else action=DISABLE; fi
    psql -X -q -c "ALTER TABLE bench.probe $action TRIGGER guard"
    us=$(psql -X -At -U bench_dev -c "SELECT bench.updates($first, $N)")
    first=$((first + N))
    tps=$(pgbench -n -M prepared -U bench_dev -T "$SECONDS_PER_RUN" -f "$script" 2>/dev/null |
          sed -n 's/^tps = \([0-9.]*\).*/\1/p')
    psql -X -q -c "INSERT INTO bench.samples VALUES ('loop', '$guard' = 'on', $us),
                                                   ('pgbench', '$guard' = 'on', 1e6 / $tps)"
  done
done
psql -X -q -c "ALTER TABLE bench.probe ENABLE TRIGGER guard"

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
\pset footer off
\echo 'guard trigger: microseconds per single-row UPDATE (median of the rounds)'
SELECT way,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY us) FILTER (WHERE NOT guard)::numeric, 2) AS without_us,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY us) FILTER (WHERE guard)::numeric, 2) AS with_us,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY us) FILTER (WHERE guard)
            - percentile_cont(0.5) WITHIN GROUP (ORDER BY us) FILTER (WHERE NOT guard))::numeric, 2) AS added_us,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY us) FILTER (WHERE guard)
            / percentile_cont(0.5) WITHIN GROUP (ORDER BY us) FILTER (WHERE NOT guard))::numeric, 3) AS ratio
FROM bench.samples GROUP BY way ORDER BY way DESC;
SET client_min_messages = warning;
DROP SCHEMA bench CASCADE;
DELETE FROM syncmaster."group" WHERE name = 'bench_group';
DELETE FROM syncmaster."user" WHERE username IN ('bench_owner', 'bench_dev');
DROP ROLE bench_dev;
SQL
