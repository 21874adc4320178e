#!/usr/bin/env bash
# Workers claiming and finishing runs (the goal: at least 0.8× a bare SKIP LOCKED queue), with
# 1, 4 and 8 workers, and what NOTIFY costs.
#
# Each worker (a pgbench client, as the system) loops: claim_run_id() in one transaction, then
# finish_run() in another — a real worker's two commits. The baseline is the same loop on a bare
# table: a CTE taking the oldest CREATED row FOR UPDATE SKIP LOCKED and an UPDATE to finish it, no
# trigger, no permission, no notification. Rounds alternate the baseline, pg_syncmaster as shipped
# (syncmaster.notify_runs = workers: claims and finishes notify nothing), with every change
# notified (all) and with none, in turns; each round refills the queues; the medians are
# reported. Afterwards every run must have been claimed exactly once: as many
# FINISHED runs as transactions, none left STARTED.
set -euo pipefail
RUNS=${BENCH_RUNS:-4000}
ROUNDS=${BENCH_ROUNDS:-3}
SECONDS_PER_STEP=${BENCH_SECONDS:-5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench_runs CASCADE;
CREATE SCHEMA bench_runs;
CREATE TABLE bench_runs.bare (id bigserial PRIMARY KEY, queue text NOT NULL, status text NOT NULL,
                              worker text, lease timestamptz, created_at timestamptz DEFAULT now());
CREATE INDEX ON bench_runs.bare (queue, created_at, id) WHERE status = 'CREATED';
CREATE TABLE bench_runs.samples (way text, clients int, round int, tps float8, claimed bigint);
DELETE FROM syncmaster."group" WHERE name = 'bench_runs';
-- COALESCE evaluates no argument after the first non-null one: the user is made once.
SELECT coalesce((SELECT id FROM syncmaster."user" WHERE username = 'bench_runs_owner'),
                syncmaster.create_user('bench_runs_owner')) AS owner \gset
SELECT syncmaster.create_group('bench_runs', owner_id => :owner) AS team \gset
SELECT syncmaster.create_connection(:team, 'bench_pg', 'postgres', '{"host": "h", "database_name": "d"}',
         '{"type": "basic", "user": "u", "password": "p"}') AS pg \gset
SELECT syncmaster.create_queue(:team, 'bench queue') AS queue \gset
SELECT syncmaster.create_transfer(:team, 'bench_transfer', :pg, :pg, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}') AS t \gset
CREATE TABLE bench_runs.setup AS SELECT :t::bigint AS transfer_id, (SELECT slug FROM syncmaster.queue WHERE id = :queue) AS slug;
SQL
SLUG=$(psql -X -qtA -c "SELECT slug FROM bench_runs.setup")

refill() {
  psql -X -q -v ON_ERROR_STOP=1 -v runs="$RUNS" <<'SQL'
SET client_min_messages = warning;
SET syncmaster.notify_runs = none;
DELETE FROM syncmaster.run WHERE transfer_id = (SELECT transfer_id FROM bench_runs.setup);
-- As the system, with a dump, as a restore brings runs: the setup itself is not measured.
INSERT INTO syncmaster.run (transfer_id, transfer_dump, created_at)
SELECT s.transfer_id, '{"bench": true}', now() - make_interval(secs => :runs - n)
FROM bench_runs.setup s, generate_series(1, :runs) n;
TRUNCATE bench_runs.bare;
INSERT INTO bench_runs.bare (queue, status, created_at)
SELECT 'q', 'CREATED', now() - make_interval(secs => :runs - n) FROM generate_series(1, :runs) n;
VACUUM ANALYZE syncmaster.run, bench_runs.bare;
SQL
}

cat >"$WORK/ours.sql" <<EOF
SELECT syncmaster.claim_run_id('$SLUG', 'bench') AS id \gset
SELECT syncmaster.finish_run(:id, 'FINISHED');
EOF
cat >"$WORK/bare.sql" <<'EOF'
WITH next AS (SELECT id FROM bench_runs.bare WHERE queue = 'q' AND status = 'CREATED'
              ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
UPDATE bench_runs.bare b SET status = 'STARTED', worker = 'bench', lease = now() + interval '5 minutes'
FROM next WHERE b.id = next.id RETURNING b.id \gset
UPDATE bench_runs.bare SET status = 'FINISHED', lease = NULL WHERE id = :id;
EOF

measure() { # way clients round
  local way=$1 clients=$2 round=$3 script options="" tps claimed
  script=$WORK/ours.sql
  [ "$way" = bare ] && script=$WORK/bare.sql
  [ "$way" = "no-notify" ] && options="-c syncmaster.notify_runs=none"
  [ "$way" = "notify-all" ] && options="-c syncmaster.notify_runs=all"
  # A fixed number of transactions per client, fewer than the runs, so no claim comes back empty.
  tps=$(PGOPTIONS="$options" pgbench -n -f "$script" -c "$clients" -j "$clients" \
        -t $((RUNS * 9 / 10 / clients)) 2>&1 | awk '/^tps/ { print $3; exit }')
  if [ "$way" = bare ]; then
    claimed=$(psql -X -qtA -c "SELECT count(*) FROM bench_runs.bare WHERE status = 'FINISHED'")
  else
    claimed=$(psql -X -qtA -c "SELECT count(*) FROM syncmaster.run r, bench_runs.setup s
                               WHERE r.transfer_id = s.transfer_id AND r.status = 'FINISHED' AND r.worker = 'bench'")
    local stuck
    stuck=$(psql -X -qtA -c "SELECT count(*) FROM syncmaster.run r, bench_runs.setup s
                             WHERE r.transfer_id = s.transfer_id AND r.status = 'STARTED'")
    [ "$stuck" = 0 ] || { echo "runs left STARTED: $stuck" >&2; exit 1; }
  fi
  [ "$claimed" = $((RUNS * 9 / 10 / clients * clients)) ] \
    || { echo "$way, $clients workers: $claimed runs finished, expected $((RUNS * 9 / 10 / clients * clients))" >&2; exit 1; }
  psql -X -q -c "INSERT INTO bench_runs.samples VALUES ('$way', $clients, $round, $tps, $claimed)"
}

for clients in 1 4 8; do
  for round in $(seq 1 "$ROUNDS"); do
    order="bare ours notify-all no-notify"
    [ $((round % 2)) -eq 0 ] && order="no-notify notify-all ours bare"
    for way in $order; do
      refill
      measure "$way" "$clients" "$round"
    done
  done
done

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
\pset footer off
\echo 'workers claiming and finishing runs: runs per second (a claim and a finish, two commits), medians of the rounds'
SELECT clients AS workers,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'bare')::numeric) AS bare_skip_locked,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'ours')::numeric) AS pg_syncmaster,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'notify-all')::numeric) AS notify_all,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'no-notify')::numeric) AS notify_none,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'ours')
            / percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'bare'))::numeric, 2) AS ratio,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'notify-all')
            / percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'no-notify'))::numeric, 2) AS all_vs_none,
       sum(claimed) FILTER (WHERE way <> 'bare') AS runs_claimed_once
FROM bench_runs.samples GROUP BY clients ORDER BY clients;
SET client_min_messages = warning;
DELETE FROM syncmaster."group" WHERE name = 'bench_runs';
DROP SCHEMA bench_runs CASCADE;
SQL
