#!/usr/bin/env bash
# The cost of the permission check per single-row statement (the goal: at most 2.5 µs added; a
# direct index probe or a cache may reach 1 µs).
#
# The statement: a Developer's single-row UPDATE of a light table carrying only the permission
# trigger of transfers (syncmaster.transfer_rules(), which on an UPDATE that changes none of its
# columns checks only the permission on the row's group_id), so that the trigger's cost is not drowned by GIN maintenance or other triggers. Baseline: the same statement
# with the trigger disabled. The statements run
# in one plpgsql loop, one statement per row (each a new command), so that no client round trip
# (some 150 µs here, noisier than the whole trigger) drowns the difference. The permission lookups are
# cached across statements and transactions until a write to users, groups or memberships
# invalidates them. Each round runs without and with the trigger back to back, in alternating
# order; the median of the per-round differences is reported.
set -euo pipefail
N=${BENCH_ROWS:-100000}
ROUNDS=${BENCH_ROUNDS:-9}
export BENCH_CPU_FILE
BENCH_CPU_FILE=$(mktemp)
trap 'rm -f "$BENCH_CPU_FILE"' EXIT

psql -X -q -v ON_ERROR_STOP=1 -v rows=$((N * ROUNDS * 3)) <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
DROP ROLE IF EXISTS bench_dev;
CREATE ROLE bench_dev LOGIN IN ROLE syncmaster_user;
GRANT USAGE ON SCHEMA bench TO bench_dev;
SELECT syncmaster.create_user('bench_owner') AS owner_id \gset
SELECT syncmaster.create_user('bench_dev') AS dev_id \gset
SELECT syncmaster.create_group('bench_group', owner_id => :owner_id) AS group_id \gset
SELECT syncmaster.add_group_member(:group_id, :dev_id, 'Developer') \g /dev/null
-- The columns transfer_rules() reads and its column rights name, so that it runs; an UPDATE of
-- hits changes none of them, so it reads no document, probes no name and checks no schedule: the
-- permission and the column rights' comparison are all it does.
CREATE TABLE bench.probe (id bigint PRIMARY KEY, group_id bigint NOT NULL, name text NOT NULL DEFAULT 'probe',
    source_connection_id bigint NOT NULL DEFAULT 0, target_connection_id bigint NOT NULL DEFAULT 0,
    queue_id bigint NOT NULL DEFAULT 0, source_params jsonb NOT NULL DEFAULT '{}',
    target_params jsonb NOT NULL DEFAULT '{}', strategy_params jsonb NOT NULL DEFAULT '{}',
    transformations jsonb NOT NULL DEFAULT '[]', resources jsonb NOT NULL DEFAULT '{}',
    is_scheduled boolean NOT NULL DEFAULT false, schedule text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
    search_vector tsvector NOT NULL DEFAULT '', hits int NOT NULL DEFAULT 0)
    WITH (fillfactor = 50);
INSERT INTO bench.probe SELECT i, :group_id FROM generate_series(1, :rows) i;
VACUUM ANALYZE bench.probe;
GRANT SELECT, UPDATE ON bench.probe TO bench_dev;
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON bench.probe
    FOR EACH ROW EXECUTE FUNCTION syncmaster.transfer_rules();
-- The floor: PostgreSQL's own cost of a BEFORE ROW trigger (locking and fetching the old row,
-- calling the function), with a built-in C trigger that does next to nothing (it compares the
-- two rows' bytes and returns the new one).
CREATE TRIGGER floor BEFORE UPDATE ON bench.probe
    FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
CREATE FUNCTION bench.updates(first bigint, n int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
    FOR i IN 0 .. n - 1 LOOP
        UPDATE bench.probe SET hits = hits + 1 WHERE id = first + i;
    END LOOP;
    RETURN extract(epoch FROM clock_timestamp() - t0) * 1e6 / n;
END $$;
GRANT EXECUTE ON FUNCTION bench.updates(bigint, int) TO bench_dev;
CREATE TABLE bench.samples (mode text, us float8, round int, cpu_us float8);
SQL

first=1
for round in $(seq 1 "$ROUNDS"); do
  # One round: the same number of statements without any trigger, with PostgreSQL's row-trigger
  # machinery alone, and with the guard, back to back, so that all three meet the same machine.
  # The order rotates from round to round: an order effect cancels out.
  case $((round % 3)) in
    1) order="off floor on" ;;
    2) order="floor on off" ;;
    0) order="on off floor" ;;
  esac
  for mode in $order; do
    guard=DISABLE floor=DISABLE
    [ "$mode" = on ] && guard=ENABLE
    [ "$mode" = floor ] && floor=ENABLE
    psql -X -q -c "ALTER TABLE bench.probe $guard TRIGGER guard, $floor TRIGGER floor"
    # The backend's CPU time (user + system, from /proc) as well as the wall clock: CPU time does
    # not count the moments another process had the core.
    read -r us cpu_us < <(psql -X -At -U bench_dev -v first="$first" -v n="$N" <<'SQL'
SELECT pg_backend_pid() AS pid \gset
\setenv BENCH_PID :pid
\! awk '{ print $14 + $15 }' /proc/$BENCH_PID/stat > $BENCH_CPU_FILE
SELECT bench.updates(:first, :n) AS us \gset
\! awk '{ print $14 + $15 }' /proc/$BENCH_PID/stat >> $BENCH_CPU_FILE
\echo :us
SQL
    ) && cpu_us=$(awk -v n="$N" -v hz="$(getconf CLK_TCK)" 'NR == 1 { a = $1 } NR == 2 { print ($1 - a) * 1e6 / hz / n }' $BENCH_CPU_FILE)
    first=$((first + N))
    psql -X -q -c "INSERT INTO bench.samples VALUES ('$mode', $us, $round, $cpu_us)"
  done
done
psql -X -q -c "ALTER TABLE bench.probe ENABLE TRIGGER guard, DISABLE TRIGGER floor"

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
\pset footer off
\echo 'guard trigger: microseconds per single-row UPDATE, the median of the rounds'
\echo '(added: the median of each round''s difference; floor: a built-in C trigger that does next'
\echo ' to nothing, i.e. what PostgreSQL spends on any BEFORE ROW trigger; own: guard minus floor)'
WITH rounds AS (
    SELECT round,
           max(us) FILTER (WHERE mode = 'off') AS off_us, max(us) FILTER (WHERE mode = 'floor') AS floor_us,
           max(us) FILTER (WHERE mode = 'on') AS on_us,
           max(cpu_us) FILTER (WHERE mode = 'off') AS off_cpu,
           max(cpu_us) FILTER (WHERE mode = 'floor') AS floor_cpu,
           max(cpu_us) FILTER (WHERE mode = 'on') AS on_cpu
    FROM bench.samples GROUP BY round
), m AS (
    SELECT 'wall clock' AS measure, off_us AS off, floor_us AS floor, on_us AS guard FROM rounds
    UNION ALL
    SELECT 'backend CPU', off_cpu, floor_cpu, on_cpu FROM rounds
)
SELECT measure, count(*) AS rounds,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY off)::numeric, 2) AS without_us,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY guard)::numeric, 2) AS with_us,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY guard - off)::numeric, 2) AS added_us,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY floor - off)::numeric, 2) AS floor_added_us,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY guard - floor)::numeric, 2) AS own_us,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY guard / off)::numeric, 3) AS ratio
FROM m GROUP BY measure ORDER BY measure DESC;
SET client_min_messages = warning;
DROP SCHEMA bench CASCADE;
DELETE FROM syncmaster."group" WHERE name = 'bench_group';
DELETE FROM syncmaster."user" WHERE username IN ('bench_owner', 'bench_dev');
DROP ROLE bench_dev;
SQL
