#!/usr/bin/env bash
# Growth: how P3 and P4 cost as the tables grow. The same scripts at other sizes: P3 (search.sh)
# and P4 (rls.sh) at 10 000 and 100 000 connections. Their 1 000 000-connection figures come from
# the scripts' own default runs in the same `./sandbox bench` (P2, runs.sh, measures 1 000 and
# 100 000 runs queued itself). Where an index serves, the figures should stay flat.
set -euo pipefail
here=$(dirname "$0")
for rows in 10000 100000; do
  echo "=== P4 (rls.sh) at $rows connections"
  BENCH_RLS_ROWS=$rows bash "$here/rls.sh"
  echo "=== P3 (search.sh) at $rows connections"
  BENCH_SEARCH_ROWS=$rows BENCH_SEARCH_QUERIES=150 bash "$here/search.sh"
done
