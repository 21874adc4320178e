#!/usr/bin/env bash
# Bulk INSERT ... SELECT through the C++ triggers (guard, rules, search_vector): the backend's
# memory must stay flat in the row count (the goal: no per-row leak in the C++ path). A
# Developer inserts N connections in one statement, in a fresh session each time; the private
# resident memory of that backend (RssAnon: shared buffers are not in it) once the statement is
# done is compared between a small and a 4x larger N: memory the C++ path lost per row would stay.
# The baseline is the same with the extension's triggers disabled. Rows per second are reported
# beside it (P1b: 100 000 and 400 000 rows, through the triggers and without them).
set -euo pipefail
SMALL=${BENCH_BULK_ROWS:-100000}
LARGE=$((SMALL * 4))
export BENCH_PEAK_FILE
BENCH_PEAK_FILE=$(mktemp)
trap 'rm -f "$BENCH_PEAK_FILE"' EXIT

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DROP ROLE IF EXISTS bench_bulk;
CREATE ROLE bench_bulk LOGIN IN ROLE syncmaster_user;
SELECT syncmaster.create_user('bench_bulk_owner') AS owner_id \gset
SELECT syncmaster.create_user('bench_bulk') AS dev_id \gset
SELECT syncmaster.create_group('bench_bulk_group', owner_id => :owner_id) AS group_id \gset
SELECT syncmaster.add_group_member(:group_id, :dev_id, 'Developer') \g /dev/null
SQL
group_id=$(psql -X -At -c "SELECT id FROM syncmaster.\"group\" WHERE name = 'bench_bulk_group'")

peak_kb() { # rows → "kB rows_per_second": the backend's private resident kB (RssAnon) once the
  # insert is done, and the insert's rows per second
  psql -X -q -v ON_ERROR_STOP=1 -U bench_bulk -v n="$1" -v g="$group_id" <<'SQL' >/dev/null
SELECT pg_backend_pid() AS pid, clock_timestamp() AS t0 \gset
\setenv BENCH_PID :pid
INSERT INTO syncmaster.connection (group_id, type, name, data)
SELECT :g, 'sftp', 'bulk_' || :n || '_' || i, '{"host": "h"}' FROM generate_series(1, :n) i;
SELECT round(:n / extract(epoch FROM clock_timestamp() - :'t0')) AS rate \gset
\setenv BENCH_RATE :rate
\! echo "$(awk '/RssAnon/ { print $2 }' /proc/$BENCH_PID/status) $BENCH_RATE" > $BENCH_PEAK_FILE
SQL
  cat "$BENCH_PEAK_FILE"
}

report() { # label "small_kb small_rate" "large_kb large_rate"
  read -r s s_rate <<<"$2"
  read -r l l_rate <<<"$3"
  awk -v label="$1" -v s="$s" -v l="$l" -v sr="$s_rate" -v lr="$l_rate" -v n="$((LARGE - SMALL))" \
    -v a="$SMALL" -v b="$LARGE" \
    'BEGIN { printf "  %-22s %7d rows: %7d kB %7d rows/s  %7d rows: %7d kB %7d rows/s  %6.1f bytes per extra row\n", label, a, s, sr, b, l, lr, (l - s) * 1024 / n }'
}
echo "bulk INSERT ... SELECT: private backend memory after the statement (RssAnon)"
psql -X -q -c "ALTER TABLE syncmaster.connection DISABLE TRIGGER USER"
base_small=$(peak_kb "$SMALL")
base_large=$(peak_kb "$LARGE")
psql -X -q -c "DELETE FROM syncmaster.connection WHERE name LIKE 'bulk\_%'" \
     -c "ALTER TABLE syncmaster.connection ENABLE TRIGGER USER"
report "triggers disabled" "$base_small" "$base_large"
small=$(peak_kb "$SMALL")
large=$(peak_kb "$LARGE")
report "through the triggers" "$small" "$large"
awk -v a="${small#* }" -v b="${base_small#* }" -v c="${large#* }" -v d="${base_large#* }" \
  'BEGIN { printf "  rows/s through the triggers over without: %.2f (%d rows), %.2f (%d rows)\n", a / b, '"$SMALL"', c / d, '"$LARGE"' }'

psql -X -q <<'SQL'
SET client_min_messages = warning;
DELETE FROM syncmaster."group" WHERE name = 'bench_bulk_group';
DELETE FROM syncmaster."user" WHERE username IN ('bench_bulk_owner', 'bench_bulk');
DROP ROLE bench_bulk;
SQL
