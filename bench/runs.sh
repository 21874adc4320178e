#!/usr/bin/env bash
# Workers claiming and finishing runs (the goal: at least 0.9× a bare SKIP LOCKED queue), with
# 1, 4 and 8 workers, with 1 000 and with 100 000 runs queued.
#
# Each worker (a pgbench client, as the system) loops: claim_run_id() in one transaction, then
# finish_run() in another — a real worker's two commits. The baseline is the same loop on a bare
# copy of the run table (LIKE syncmaster.run: the same columns, defaults, checks and indexes, the
# same rows) with no trigger, no permission, no notification: a CTE taking the oldest CREATED row
# of the queue FOR UPDATE SKIP LOCKED and an UPDATE stamping what the run's rules stamp (status,
# worker, started_at, lease, updated_at), then an UPDATE finishing it (status, ended_at, lease
# cleared, updated_at). Both sides are driven alike: pgbench's extended protocol with prepared
# statements, one statement per transaction. Rounds alternate the order of the two; each round
# refills both queues; the medians are reported. Afterwards every run must have been claimed
# exactly once: as many FINISHED runs as transactions, none left STARTED. A third way, `direct`,
# sends the claim and the finish as the same two plain statements on the run table itself, which
# the run's rules judge (a worker may): it splits the subject's cost between the rules triggers and
# the functions around them.
set -euo pipefail
QUEUED=${BENCH_QUEUED:-"1000 100000"}
CLAIMS=${BENCH_CLAIMS:-960}  # claims per measurement, fewer than the smallest queue
ROUNDS=${BENCH_ROUNDS:-5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench_runs CASCADE;
CREATE SCHEMA bench_runs;
CREATE TABLE bench_runs.bare (LIKE syncmaster.run INCLUDING ALL);
CREATE TABLE bench_runs.samples (queued int, way text, clients int, round int, tps float8,
                                 claimed bigint);
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
CREATE TABLE bench_runs.setup AS
SELECT :t::bigint AS transfer_id, :queue::bigint AS queue_id,
       (SELECT slug FROM syncmaster.queue WHERE id = :queue) AS slug;
SQL
SLUG=$(psql -X -qtA -c "SELECT slug FROM bench_runs.setup")

refill() { # runs
  psql -X -q -v ON_ERROR_STOP=1 -v runs="$1" <<'SQL'
SET client_min_messages = warning;
SET syncmaster.notify_runs = none;
DELETE FROM syncmaster.run WHERE transfer_id = (SELECT transfer_id FROM bench_runs.setup);
-- As the system, with a dump, as a restore brings runs: the setup itself is not measured.
INSERT INTO syncmaster.run (transfer_id, transfer_dump, created_at)
SELECT s.transfer_id, '{"bench": true}', now() - make_interval(secs => :runs - n)
FROM bench_runs.setup s, generate_series(1, :runs) n;
-- Emptied the same way as the run table (not TRUNCATE, which would give the baseline fresh,
-- compact indexes where the subject's carry the dead pages of earlier rounds).
DELETE FROM bench_runs.bare;
INSERT INTO bench_runs.bare SELECT * FROM syncmaster.run
WHERE transfer_id = (SELECT transfer_id FROM bench_runs.setup);
VACUUM ANALYZE syncmaster.run, bench_runs.bare;
-- Each measurement starts from a clean shared buffer pool: no checkpoint of the refill's writes
-- in the middle of it.
CHECKPOINT;
SQL
}

cat >"$WORK/ours.sql" <<EOF
SELECT syncmaster.claim_run_id('$SLUG', 'bench') AS id \gset
SELECT syncmaster.finish_run(:id, 'FINISHED');
EOF
cat >"$WORK/bare.sql" <<EOF
WITH next AS (SELECT r.id FROM bench_runs.bare r
              WHERE r.queue_id = (SELECT q.id FROM syncmaster.queue q WHERE q.slug = '$SLUG')
                AND r.status = 'CREATED'
              ORDER BY r.created_at, r.id LIMIT 1 FOR UPDATE SKIP LOCKED)
UPDATE bench_runs.bare r SET status = 'STARTED', worker = 'bench', started_at = now(),
       lease_expires_at = now() + interval '5 minutes', updated_at = now()
FROM next WHERE r.id = next.id RETURNING r.id \gset
UPDATE bench_runs.bare SET status = 'FINISHED', ended_at = now(), lease_expires_at = NULL,
       updated_at = now() WHERE id = :id;
EOF

cat >"$WORK/direct.sql" <<EOF
WITH next AS (SELECT r.id FROM syncmaster.run r
              WHERE r.queue_id = (SELECT q.id FROM syncmaster.queue q WHERE q.slug = '$SLUG')
                AND r.status = 'CREATED'
              ORDER BY r.created_at, r.id LIMIT 1 FOR UPDATE SKIP LOCKED)
UPDATE syncmaster.run r SET status = 'STARTED', worker = 'bench'
FROM next WHERE r.id = next.id RETURNING r.id \gset
UPDATE syncmaster.run SET status = 'FINISHED' WHERE id = :id;
EOF

measure() { # queued way clients round
  local queued=$1 way=$2 clients=$3 round=$4 script tps claimed per_client
  script=$WORK/$way.sql
  per_client=$((CLAIMS / clients))
  tps=$(pgbench -n -M prepared -f "$script" -c "$clients" -j "$clients" -t "$per_client" 2>&1 \
        | awk '/^tps/ { print $3; exit }')
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
  [ "$claimed" = $((per_client * clients)) ] \
    || { echo "$way, $clients workers: $claimed runs finished, expected $((per_client * clients))" >&2; exit 1; }
  psql -X -q -c "INSERT INTO bench_runs.samples VALUES ($queued, '$way', $clients, $round, $tps, $claimed)"
}

for queued in $QUEUED; do
  for clients in 1 4 8; do
    for round in $(seq 1 "$ROUNDS"); do
      order="bare ours direct"
      [ $((round % 2)) -eq 0 ] && order="direct ours bare"
      for way in $order; do
        refill "$queued"
        measure "$queued" "$way" "$clients" "$round"
      done
    done
  done
done

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
\pset footer off
\echo 'workers claiming and finishing runs: runs per second (a claim and a finish, two commits), medians of the rounds'
SELECT queued AS runs_queued, clients AS workers,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'bare')::numeric) AS bare_skip_locked,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'ours')::numeric) AS pg_syncmaster,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'ours')
            / percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'bare'))::numeric, 2) AS ratio,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'direct')::numeric) AS plain_statements,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'direct')
            / percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) FILTER (WHERE way = 'bare'))::numeric, 2) AS plain_ratio,
       sum(claimed) FILTER (WHERE way <> 'bare') AS runs_claimed_once
FROM bench_runs.samples GROUP BY queued, clients ORDER BY queued, clients;
SET client_min_messages = warning;
DELETE FROM syncmaster."group" WHERE name = 'bench_runs';
DROP SCHEMA bench_runs CASCADE;
SQL
