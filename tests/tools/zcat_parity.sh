#!/usr/bin/env bash
# zcat_parity.sh IO_ZCAT IO_WC IO_GREP
# Runs io-zcat beside the gzip, zstd, xz and bzip2 tools (`gzip -dcf`, `zstd -dcf`, ...) on files
# this script makes — empty, plain, each format at several sizes, concatenated members, cut short,
# corrupted, with trailing zeros and garbage, standard input, a missing file, a directory — and
# compares standard output byte for byte and the exit status; with gzip, standard error too (with
# the program's name aligned). io-wc -z and io-grep -z are compared with `zcat -f | wc` and `| grep`.
set -u
io_zcat=$1 io_wc=$2 io_grep=$3
export LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

python3 - <<'PY'
import random
rng = random.Random(20261126)
open("empty", "wb").close()
open("text", "wb").write(b"the quick brown fox\njumps over\tthe lazy dog\n\nlast line\n")
open("one", "wb").write(b"x")
open("random", "wb").write(bytes(rng.randrange(256) for _ in range(200000)))
words = [b"alpha", b"beta", b"gamma", b"the", b"x" * 300]
open("big", "wb").write(b"\n".join(b" ".join(rng.choice(words) for _ in range(rng.randrange(12))) for _ in range(80000)) + b"\n")
open("boundary", "wb").write(b"a" * 65535 + b"\n" + b"b" * 65536)
PY
mkdir directory
plain="empty text one random big boundary"
for f in $plain; do
  gzip -c "$f" >"$f.gz"; zstd -q -c "$f" >"$f.zst"; xz -c "$f" >"$f.xz"; bzip2 -c "$f" >"$f.bz2"
done
for ext in gz zst xz bz2; do
  cat "text.$ext" "empty.$ext" "big.$ext" "one.$ext" >"multi.$ext"
  size=$(stat -c %s "big.$ext")
  head -c $((size / 2)) "big.$ext" >"cut.$ext"
  head -c $((size - 1)) "big.$ext" >"cut_end.$ext"
  cp "big.$ext" "flipped.$ext"
  printf '\x55' | dd of="flipped.$ext" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
done
cp text.gz zeros.gz; head -c 1000 /dev/zero >>zeros.gz
cp text.gz garbage.gz; printf 'garbage' >>garbage.gz

passed=0 failed=0
# compare LABEL STDIN GNU_COMMAND IO_COMMAND [stderr] — both run with STDIN as input; stdout and
# the exit status must agree, and standard error too when the fifth argument is "stderr".
compare() {
  local label=$1 input=$2 gnu=$3 ours=$4 errors=${5:-}
  (eval "$gnu") <"$input" >gnu.out 2>gnu.err; local gnu_rc=$?
  (eval "$ours") <"$input" >io.out 2>io.err; local io_rc=$?
  sed -E 's/^gzip:/io-zcat:/' gnu.err >gnu.err.aligned
  if cmp -s gnu.out io.out && [ "$gnu_rc" = "$io_rc" ] && { [ "$errors" != stderr ] || cmp -s gnu.err.aligned io.err; }; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "DIFFERS: $label"
    echo "  gnu: $gnu (exit $gnu_rc, $(wc -c <gnu.out) bytes)"; sed 's/^/    err: /' gnu.err.aligned
    echo "  io:  $ours (exit $io_rc, $(wc -c <io.out) bytes)"; sed 's/^/    err: /' io.err
  fi
}

# Each format's own tool, on its files and on plain ones (the tools pass those through with -f).
declare -A tool=([gz]="gzip -dcf" [zst]="zstd -q -dcf" [xz]="xz -dcf" [bz2]="bzip2 -dcf")
for ext in gz zst xz bz2; do
  for f in $plain multi; do
    compare "$ext $f" /dev/null "${tool[$ext]} $f.$ext" "$io_zcat $f.$ext"
    compare "$ext $f (standard input)" "$f.$ext" "${tool[$ext]}" "$io_zcat"
    compare "$ext $f (- from a pipe)" /dev/null "cat $f.$ext | ${tool[$ext]} -" "cat $f.$ext | $io_zcat -"
  done
  compare "$ext all files" /dev/null "${tool[$ext]} text.$ext big.$ext empty.$ext" "$io_zcat text.$ext big.$ext empty.$ext"
  # Damaged files: an error status (bzip2's is 2, gzip's and io-zcat's 1), with what the tool decoded.
  for f in cut cut_end flipped; do
    compare "$ext $f (status)" /dev/null "${tool[$ext]} $f.$ext >/dev/null 2>&1 && exit 0 || exit 1" \
            "$io_zcat $f.$ext >/dev/null 2>&1"
  done
  # zstd and bzip2 hold back the data of a frame or block whose end is cut off (zstd's last bytes
  # are its checksum); io-zcat, as gzip and xz, writes what it decoded, then reports the error.
  [ "$ext" = gz ] || [ "$ext" = xz ] && compare "$ext cut_end (output)" /dev/null "${tool[$ext]} cut_end.$ext 2>/dev/null; exit 0" "$io_zcat cut_end.$ext 2>/dev/null; exit 0"
done
# Mixed formats and plain files in one run (each file through its own tool).
compare "mixed" /dev/null "gzip -dc text.gz; zstd -q -dc big.zst; cat random; xz -dc multi.xz; bzip2 -dc one.bz2" \
        "$io_zcat text.gz big.zst random multi.xz one.bz2"
for f in $plain; do compare "plain $f" /dev/null "gzip -dcf $f" "$io_zcat $f" stderr; done

# GNU gzip's messages and status: cut short, corrupted, trailing zeros and garbage, standard
# input, a directory, a full standard output.
for f in cut cut_end flipped; do
  compare "gzip $f" /dev/null "gzip -dcf $f.gz >/dev/null" "$io_zcat $f.gz >/dev/null"
  grep -q "^io-zcat: $f.gz: " io.err || { failed=$((failed + 1)); echo "DIFFERS: gzip $f message: $(cat io.err)"; }
done
compare "gzip cut (standard input)" cut.gz "gzip -dcf >/dev/null" "$io_zcat >/dev/null" stderr
compare "gzip cut_end" /dev/null "gzip -dcf cut_end.gz" "$io_zcat cut_end.gz" stderr
# After a member, io-zcat does as `gzip -dc` does (gzip -dcf would copy the bytes to the output).
compare "gzip trailing zeros" /dev/null "gzip -dc zeros.gz" "$io_zcat zeros.gz" stderr
compare "gzip trailing garbage" /dev/null "gzip -dc garbage.gz text.gz" "$io_zcat garbage.gz text.gz" stderr
compare "gzip directory" /dev/null "gzip -dcf text.gz directory" "$io_zcat text.gz directory" stderr
compare "gzip garbage then cut" /dev/null "gzip -dc garbage.gz cut_end.gz" "$io_zcat garbage.gz cut_end.gz" stderr
compare "gzip to /dev/full" /dev/null "gzip -dcf big.gz >/dev/full" "$io_zcat big.gz >/dev/full" stderr
# A missing file: gzip tries NAME.gz too and names that; io-zcat names the file as given.
compare "missing file" /dev/null "gzip -dcf missing.gz text.gz" "$io_zcat missing.gz text.gz" stderr

# io-wc -z and io-grep -z read the decompressed contents (from pipes on both sides, so that wc
# picks the same column width).
for f in multi.gz big.zst big.xz boundary.bz2 text; do
  case $f in *.zst) dec="zstd -q -dcf" ;; *.xz) dec="xz -dcf" ;; *.bz2) dec="bzip2 -dcf" ;; *) dec="gzip -dcf" ;; esac
  for opts in "" -l -w -c; do
    compare "wc -z $opts $f" /dev/null "$dec $f | wc $opts" "cat $f | $io_wc -z $opts"
  done
  compare "grep -z $f" "$f" "$dec | grep -F the" "$io_grep -z -F the"
  compare "grep -z $f (no match)" "$f" "$dec | grep -F zzz" "$io_grep -z -F zzz"
done
compare "wc -z cut.gz" /dev/null "gzip -dc cut.gz 2>/dev/null | wc; exit \${PIPESTATUS[0]}" "cat cut.gz | $io_wc -z 2>/dev/null"

echo "zcat parity: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
