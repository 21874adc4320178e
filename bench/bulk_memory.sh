#!/usr/bin/env bash
# Bulk INSERT ... SELECT through the C++ triggers (guard, rules, search_vector): the backend's
# memory must stay flat in the row count (DESIGN §12: no per-row leak in the C++ path). A
# Developer inserts N connections in one statement, in a fresh session each time; the private
# resident memory of that backend (RssAnon: shared buffers are not in it) once the statement is
# done is compared between a small and a 4x larger N: memory the C++ path lost per row would stay.
# The baseline is the same with the extension's triggers disabled.
set -euo pipefail
SMALL=${BENCH_BULK_ROWS:-25000}
LARGE=$((SMALL * 4))
export BENCH_PEAK_FILE
BENCH_PEAK_FILE=$(mktemp)
trap 'rm -f "$BENCH_PEAK_FILE"' EXIT

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DROP ROLE IF EXISTS bench_bulk;
CREATE ROLE bench_bulk LOGIN IN ROLE syncmaster_user LOGIN;
SELECT syncmaster.create_user('bench_bulk_owner') AS owner_id \gset
SELECT syncmaster.create_user('bench_bulk') AS dev_id \gset
SELECT syncmaster.create_group('bench_bulk_group', owner_id => :owner_id) AS group_id \gset
SELECT syncmaster.add_group_member(:group_id, :dev_id, 'Developer') \g /dev/null
SQL
group_id=$(psql -X -At -c "SELECT id FROM syncmaster.\"group\" WHERE name = 'bench_bulk_group'")

peak_kb() { # rows → the backend's private resident kB (RssAnon) once the insert is done
  psql -X -q -v ON_ERROR_STOP=1 -U bench_bulk -v n="$1" -v g="$group_id" <<'SQL' >/dev/null
SELECT pg_backend_pid() AS pid \gset
\setenv BENCH_PID :pid
INSERT INTO syncmaster.connection (group_id, type, name, data)
SELECT :g, 'sftp', 'bulk_' || :n || '_' || i, '{"host": "h"}' FROM generate_series(1, :n) i;
\! awk '/RssAnon/ { print $2 }' /proc/$BENCH_PID/status > $BENCH_PEAK_FILE
SQL
  cat "$BENCH_PEAK_FILE"
}

report() { # label small_kb large_kb
  awk -v label="$1" -v s="$2" -v l="$3" -v n="$((LARGE - SMALL))" -v a="$SMALL" -v b="$LARGE" \
    'BEGIN { printf "  %-22s %7d rows: %7d kB  %7d rows: %7d kB  %6.1f bytes per extra row\n", label, a, s, b, l, (l - s) * 1024 / n }'
}
echo "bulk INSERT ... SELECT: private backend memory after the statement (RssAnon)"
psql -X -q -c "ALTER TABLE syncmaster.connection DISABLE TRIGGER guard, DISABLE TRIGGER rules, DISABLE TRIGGER search_vector" 2>/dev/null ||
  psql -X -q -c "ALTER TABLE syncmaster.connection DISABLE TRIGGER guard" \
       -c "ALTER TABLE syncmaster.connection DISABLE TRIGGER rules" \
       -c "ALTER TABLE syncmaster.connection DISABLE TRIGGER search_vector"
base_small=$(peak_kb "$SMALL")
base_large=$(peak_kb "$LARGE")
psql -X -q -c "DELETE FROM syncmaster.connection WHERE name LIKE 'bulk\_%'" \
     -c "ALTER TABLE syncmaster.connection ENABLE TRIGGER USER"
report "triggers disabled" "$base_small" "$base_large"
small=$(peak_kb "$SMALL")
large=$(peak_kb "$LARGE")
report "through the triggers" "$small" "$large"

psql -X -q <<'SQL'
SET client_min_messages = warning;
DELETE FROM syncmaster."group" WHERE name = 'bench_bulk_group';
DELETE FROM syncmaster."user" WHERE username IN ('bench_bulk_owner', 'bench_bulk');
DROP ROLE bench_bulk;
SQL
