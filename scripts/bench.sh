#!/usr/bin/env bash
# Measure what the lessons compare, print the tables, and put tables and
# plots into lessons 05, 07, 08 and the README.
#
#   scripts/bench.sh            the numbers the lessons show (about 3 minutes)
#   scripts/bench.sh --quick    every table, shorter runs (about 1 minute); printed
#                               only: the lessons keep the full run's numbers
#   scripts/bench.sh --no-write print only; leave the lessons as they are
#   scripts/bench.sh scale      one comparison (servers scale transfer framing build)
#
# Run it on a quiet machine: anything else running shows up in the numbers.
# The Python comparisons need python3 (or $PYTHON).
set -euo pipefail
cd "$(dirname "$0")/.."

size=()
write=(--write .)
comparisons=()
for arg in "$@"; do
  case "$arg" in
    --quick) size=(--quick); write=() ;;
    --no-write) write=() ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "bench.sh: unknown option $arg" >&2; exit 2 ;;
    *) comparisons+=("$arg") ;;
  esac
done

# The bench is not a default member: a student's `cargo build` never
# compiles it (or tokio). Built here, optimised, like any benchmark.
cargo build --release --quiet -p bench
mkdir -p target/bench
./target/release/bench run "${size[@]}" "${write[@]}" "${comparisons[@]}" | tee target/bench/report.md
echo "(the same tables are in target/bench/report.md)"
