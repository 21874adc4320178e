#!/usr/bin/env bash
# libFuzzer targets of test/fuzz/ (clang-14, -fsanitize=fuzzer,address,undefined), each run for $1
# seconds (default 60) from its committed seeds (test/fuzz/corpus/<target>/) into a working corpus
# under build-fuzz/. A crash, leak, hang or sanitizer report stops the target and leaves its input
# in build-fuzz/<target>/artifacts/; each one found becomes a unit test. `./sandbox fuzz [S [T...]]`
# installs clang and runs this.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${1:-60}
build=$ROOT/build-fuzz
status=0
targets=()
[ $# -gt 0 ] && shift
if [ $# -gt 0 ]; then
  for t in "$@"; do
    [ -f "$ROOT/test/fuzz/$t.cpp" ] || { echo "no fuzz target test/fuzz/$t.cpp" >&2; exit 2; }
    targets+=("$ROOT/test/fuzz/$t.cpp")
  done
else
  targets=("$ROOT"/test/fuzz/*.cpp)
fi
flags=(-std=c++17 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
  -fno-sanitize-recover=undefined -I"$ROOT/src")
mkdir -p "$build/core"
echo "== building the pure core with the sanitizers and libFuzzer's coverage"
# The pure core: src/core and every entity's files but its PostgreSQL adapter (pg*).
for t in $(ls "$ROOT"/src/core/*.cpp "$ROOT"/src/*/*.cpp | grep -v -e '/src/pg/' -e '/pg[^/]*\.cpp$'); do
  name=$build/core/$(basename "$(dirname "$t")")_$(basename "${t%.cpp}").o
  [ "$name" -nt "$t" ] && continue
  clang++-14 "${flags[@]}" -fsanitize=fuzzer-no-link -c "$t" -o "$name"
done
for t in "${targets[@]}"; do
  name=$(basename "${t%.cpp}")
  mkdir -p "$build/$name/corpus" "$build/$name/artifacts"
  clang++-14 "${flags[@]}" -fsanitize=fuzzer "$t" "$build"/core/*.o -lcrypto -o "$build/$name/fuzz"
  echo "== fuzz $name for $seconds s"
  if ! "$build/$name/fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/$name/artifacts/" \
    "$build/$name/corpus" "$ROOT/test/fuzz/corpus/$name" >"$build/$name/log" 2>&1; then
    status=1
    tail -n 40 "$build/$name/log"
  fi
  grep -E '^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb' "$build/$name/log" \
    | sed "s/^/  $name: /"
done
if [ "$status" -eq 0 ]; then echo "== no finding"; else echo "== findings: see build-fuzz/*/artifacts/"; fi
exit "$status"
