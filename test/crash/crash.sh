#!/usr/bin/env bash
# Crashes: backends killed (kill -9) in the middle of claim_run, start_run and copy_transfer, then
# CRASH_CYCLES times the whole cluster stopped with -m immediate during a burst of API writes by
# four clients. After each recovery: every acknowledged change is there and nothing else is (at
# most the one statement each client had in flight), every credential read that returned has its
# audit row, each scheduled transfer has exactly one pg_cron job and no job outlives its transfer,
# and no run is left in a state no one will leave (the reaper fails what the dead worker held).
#
# Runs, as the OS user that owns the cluster, against a cluster of its own that it may kill: its
# data directory CRASH_DATA and server log CRASH_LOG, reached through PGHOST/PGPORT/PGDATABASE,
# with pg_cron and pg_syncmaster preloaded and created in PGDATABASE (test/t/010_crash.pl sets it
# up). Prints TAP lines ("ok N - ...", "not ok N - ...").
set -uo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
CYCLES=${CRASH_CYCLES:-20}
CLIENTS=4
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
chmod 755 "$LOGS"
TEST=0

q() { "$PGBIN/psql" -X -qtA -v ON_ERROR_STOP=1 "$@"; }
check() { # description, then the condition's exit status
  TEST=$((TEST + 1))
  if [ "$2" -eq 0 ]; then echo "ok $TEST - $1"; else echo "not ok $TEST - $1"; fi
}
is() { # got expected description
  TEST=$((TEST + 1))
  if [ "$1" = "$2" ]; then echo "ok $TEST - $3"; else echo "not ok $TEST - $3 (got '$1', expected '$2')"; fi
}
wait_until_up() {
  local i
  for i in $(seq 1 300); do
    q -c "SELECT 1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

q <<'SQL' >/dev/null
SELECT syncmaster.create_user('crash_owner') AS owner \gset
SELECT syncmaster.create_group('crash_team', owner_id => :owner) AS team \gset
SELECT syncmaster.create_connection(:team, 'crash_src', 'postgres', '{"host": "h", "database_name": "d"}',
         '{"type": "basic", "user": "u", "password": "p"}') AS src \gset
SELECT syncmaster.create_connection(:team, 'crash_dst', 'postgres', '{"host": "h", "database_name": "d"}',
         '{"type": "basic", "user": "u", "password": "p"}') AS dst \gset
SELECT syncmaster.create_queue(:team, 'crash queue') AS queue \gset
SELECT syncmaster.create_transfer(:team, 'crash_transfer', :src, :dst, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}');
SELECT syncmaster.create_transfer(:team, 'crash_scheduled', :src, :dst, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}',
         is_scheduled => true, schedule => '0 3 * * *');
-- A pause that only sessions with crash_test.pause = on take, after the extension's own triggers
-- have done their part of the statement: the place to kill them.
CREATE SCHEMA crash_test;
CREATE FUNCTION crash_test.pause() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('crash_test.pause', true) = 'on' THEN
        PERFORM pg_sleep(60);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER zz_crash_pause AFTER INSERT OR UPDATE ON syncmaster.run
    FOR EACH ROW EXECUTE FUNCTION crash_test.pause();
CREATE TRIGGER zz_crash_pause AFTER INSERT ON syncmaster.transfer
    FOR EACH ROW EXECUTE FUNCTION crash_test.pause();
SQL
TEAM=$(q -c "SELECT id FROM syncmaster.\"group\" WHERE name = 'crash_team'")
SRC=$(q -c "SELECT id FROM syncmaster.connection WHERE name = 'crash_src'")
DST=$(q -c "SELECT id FROM syncmaster.connection WHERE name = 'crash_dst'")
QUEUE=$(q -c "SELECT id FROM syncmaster.queue WHERE name = 'crash queue'")
SLUG=$(q -c "SELECT slug FROM syncmaster.queue WHERE id = $QUEUE")
TRANSFER=$(q -c "SELECT id FROM syncmaster.transfer WHERE name = 'crash_transfer'")
SCHEDULED=$(q -c "SELECT id FROM syncmaster.transfer WHERE name = 'crash_scheduled'")

# How often the postmaster has reinitialized after a backend's crash (its server log says so).
restarts() {
  grep -c 'all server processes terminated; reinitializing' "$CRASH_LOG"
}

# Runs $1 in a session that pauses in the pause trigger, kills that backend with SIGKILL (the
# postmaster then restarts every backend and recovers), and waits for the server.
kill_in_the_middle() {
  local pid i
  q -c "SET crash_test.pause = on" -c "$1" >/dev/null 2>&1 &
  for i in $(seq 1 100); do
    pid=$(q -c "SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' LIMIT 1" 2>/dev/null)
    [ -n "$pid" ] && break
    sleep 0.1
  done
  local before
  before=$(restarts)
  [ -n "$pid" ] && kill -9 "$pid"
  wait
  # The postmaster notices the death, ends every backend and reinitializes: wait for that, else
  # the next query might meet the server before it restarts.
  for i in $(seq 1 100); do
    [ "$(restarts)" -gt "$before" ] && break
    sleep 0.1
  done
  wait_until_up
}

RUN=$(q -c "SELECT syncmaster.start_run($TRANSFER)")
kill_in_the_middle "SELECT * FROM syncmaster.claim_run('$SLUG', 'victim')"
is "$(q -c "SELECT status || ',' || coalesce(worker, '-') FROM syncmaster.run WHERE id = $RUN")" \
  "CREATED,-" "a backend killed in claim_run: its run is still CREATED, claimed by no one"
RUNS=$(q -c "SELECT count(*) FROM syncmaster.run")
kill_in_the_middle "SELECT syncmaster.start_run($TRANSFER)"
is "$(q -c "SELECT count(*) FROM syncmaster.run")" "$RUNS" "a backend killed in start_run: no run was made"
kill_in_the_middle "SELECT syncmaster.copy_transfer($SCHEDULED, $TEAM, $QUEUE, 'crash_copy', 'crash_src_copy', 'crash_dst_copy')"
is "$(q -c "SELECT (SELECT count(*) FROM syncmaster.transfer WHERE name = 'crash_copy') || ',' ||
                   (SELECT count(*) FROM syncmaster.connection WHERE name LIKE '%_copy') || ',' ||
                   (SELECT count(*) FROM cron.job WHERE jobname LIKE 'syncmaster_transfer_%')")" \
  "0,0,1" "a backend killed in copy_transfer: no copy, no copied connection, no new pg_cron job"
# The claim killed above is claimed by nobody; take it out of the way of the burst's checks.
q -c "SELECT syncmaster.finish_run($RUN, 'STOPPED')" >/dev/null

# One client: API writes, each acknowledged one written to its log once the server answered. Each
# session writes a log of its own (client<c>.<i>.log), so no two processes ever write one file.
client() { # client cycle
  local i=0 log
  while :; do
    i=$((i + 1))
    log=$LOGS/client$1.$i.log
    q -v team="$TEAM" -v src="$SRC" -v dst="$DST" -v queue="$QUEUE" -v transfer="$TRANSFER" \
      -v slug="$SLUG" -v name="crash_${2}_${1}_$i" -v drop=$((i % 2)) <<'SQL' >>"$log" 2>/dev/null || break
SET synchronous_commit = on;
SET syncmaster.run_lease = 10;
SELECT syncmaster.create_connection(:team, :'name', 'postgres', '{"host": "h", "database_name": "d"}',
         '{"type": "basic", "user": "u", "password": "p"}') AS conn \gset
\echo conn :conn
SELECT syncmaster.connection_credentials(:conn) IS NOT NULL AS read \gset
\echo read :conn
SELECT syncmaster.start_run(:transfer) AS run \gset
\echo run :run
SELECT coalesce((SELECT id FROM syncmaster.claim_run(:'slug', 'crash-worker')), 0) AS claim \gset
\echo claim :claim
SELECT syncmaster.create_transfer(:team, :'name', :src, :dst, :queue,
         '{"type": "postgres", "table_name": "a.b"}', '{"type": "postgres", "table_name": "a.c"}',
         is_scheduled => true, schedule => '0 3 * * *') AS sched \gset
\echo sched :sched
\if :drop
\echo deleting :sched
SELECT syncmaster.delete_transfer(:sched) AS deleted \gset
\echo deleted :sched
\endif
SQL
  done
}

for cycle in $(seq 1 "$CYCLES"); do
  : >"$LOGS/ack"
  for c in $(seq 1 $CLIENTS); do client "$c" "$cycle" & done
  # The crash comes once every client has an acknowledged connection (whatever the machine's
  # speed: the check below asserts that acknowledged writes survive, so there must be some), then
  # after a random moment more of load.
  for _ in $(seq 1 600); do
    acked=0
    for c in $(seq 1 $CLIENTS); do
      cat "$LOGS"/client"$c".*.log 2>/dev/null | grep -q '^conn ' && acked=$((acked + 1))
    done
    [ "$acked" -eq "$CLIENTS" ] && break
    sleep 0.1
  done
  sleep "0.$((RANDOM % 9 + 1))"
  "$PGBIN/pg_ctl" -D "$CRASH_DATA" -m immediate -w stop >/dev/null 2>&1
  wait
  "$PGBIN/pg_ctl" -D "$CRASH_DATA" -l "$CRASH_LOG" -w start >/dev/null 2>&1
  wait_until_up
  cat "$LOGS"/client*.log >"$LOGS/ack"
  echo "# cycle $cycle: $(grep -c '^conn ' "$LOGS/ack") connections, $(grep -c '^claim [1-9]' "$LOGS/ack") claims, $(grep -c '^sched ' "$LOGS/ack") scheduled transfers acknowledged"
  rm -f "$LOGS"/client*.log
  # Every fact in one query, so that a failure names what went wrong.
  got=$(q -v cycle="$cycle" -v ack="$LOGS/ack" <<'SQL'
CREATE TEMP TABLE ack (kind text, id bigint);
COPY ack FROM :'ack' (DELIMITER ' ');
SELECT concat_ws(' ',
  'acknowledged=' || (SELECT count(*) > 0 FROM ack WHERE kind = 'conn'),
  'lost_connections=' || (SELECT count(*) FROM ack a WHERE kind = 'conn'
                          AND NOT EXISTS (SELECT FROM syncmaster.connection c WHERE c.id = a.id)),
  'unacknowledged_ok=' || ((SELECT count(*) FROM syncmaster.connection c
                            WHERE c.name LIKE 'crash\_' || :'cycle' || '\_%'
                              AND NOT EXISTS (SELECT FROM ack a WHERE a.kind = 'conn' AND a.id = c.id)) <= 4),
  'unaudited_reads=' || (SELECT count(*) FROM ack a WHERE kind = 'read'
                         AND NOT EXISTS (SELECT FROM syncmaster.credential_access x WHERE x.connection_id = a.id)),
  'lost_runs=' || (SELECT count(*) FROM ack a WHERE kind = 'run'
                   AND NOT EXISTS (SELECT FROM syncmaster.run r WHERE r.id = a.id)),
  'unclaimed=' || (SELECT count(*) FROM ack a JOIN syncmaster.run r ON r.id = a.id
                   WHERE a.kind = 'claim' AND r.status = 'CREATED'),
  -- A delete in flight when the server stopped may have committed, unacknowledged.
  'lost_transfers=' || (SELECT count(*) FROM ack a WHERE kind = 'sched'
                        AND NOT EXISTS (SELECT FROM syncmaster.transfer t WHERE t.id = a.id)
                        AND NOT EXISTS (SELECT FROM ack d WHERE d.kind = 'deleting' AND d.id = a.id)),
  'undeleted=' || (SELECT count(*) FROM ack a JOIN syncmaster.transfer t ON t.id = a.id WHERE a.kind = 'deleted'),
  'jobless=' || (SELECT count(*) FROM syncmaster.transfer t WHERE t.is_scheduled
                 AND NOT EXISTS (SELECT FROM cron.job j WHERE j.jobname = 'syncmaster_transfer_' || t.id)),
  'orphan_jobs=' || (SELECT count(*) FROM cron.job j WHERE j.jobname LIKE 'syncmaster\_transfer\_%'
                     AND NOT EXISTS (SELECT FROM syncmaster.transfer t
                                     WHERE t.is_scheduled AND j.jobname = 'syncmaster_transfer_' || t.id)),
  'duplicate_jobs=' || (SELECT count(*) - count(DISTINCT jobname) FROM cron.job),
  'to_sync=' || (SELECT count(*) FROM syncmaster.sync_schedules()));
SQL
  )
  is "$got" "acknowledged=true lost_connections=0 unacknowledged_ok=true unaudited_reads=0 lost_runs=0 unclaimed=0 lost_transfers=0 undeleted=0 jobless=0 orphan_jobs=0 duplicate_jobs=0 to_sync=0" \
    "cycle $cycle: -m immediate during $CLIENTS clients' API writes, then recovery"
done

# The worker that held the claimed runs died with the cluster: once their leases (10 s) are
# over, the reaper fails them, and no run is left STARTED.
sleep 11
q -c "SELECT syncmaster.reap_stale_runs()" >/dev/null
is "$(q -c "SELECT count(*) FROM syncmaster.run WHERE status IN ('STARTED', 'SEND_STOP_SIGNAL')")" "0" \
  "after the leases, the reaper leaves no run STARTED by the dead worker"
is "$(q -c "SELECT count(*) > 0 FROM syncmaster.run WHERE status = 'FAILED' AND worker = 'crash-worker'")" "t" \
  "and the runs it held are FAILED"
echo "1..$TEST"
