#!/usr/bin/env bash
# fuzz/run.sh [SECONDS] — runs every fuzz target of the dev build for SECONDS (default 600) each,
# keeping what they find in build/dev/fuzz/corpus_<target>; prints each target's executions.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-600}
cd "$root/build/dev/fuzz"
for target in views memory_stream mode decompress; do
  mkdir -p "corpus_$target"
  "./fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 "corpus_$target" "$root/fuzz/corpus/$target" 2>&1 |
    grep -E "stat::number_of_executed_units|ERROR|SUMMARY" | sed "s/^/$target: /"
done
