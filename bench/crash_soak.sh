#!/usr/bin/env bash
# The crash test of ./sandbox test (test/crash/crash.sh) as a soak: CRASH_CYCLES (default 200)
# immediate shutdowns during bursts of API writes, on a cluster of its own (the benchmark cluster
# is left alone). Prints the test's summary: every cycle must recover with nothing lost and
# nothing extra. Not a timing: there is no baseline to compare with, only invariants.
set -euo pipefail
exec "$(cd "$(dirname "$0")/.." && pwd)/sandbox" crash "${CRASH_CYCLES:-200}"
