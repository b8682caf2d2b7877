#!/usr/bin/env bash
# gnu_parity.sh IO_WC IO_CAT IO_GREP
# Runs io-wc, io-cat and io-grep beside GNU wc, cat and grep (LC_ALL=C) on files this script
# makes — empty, binary, without a final newline, with CRs and NULs, larger than any buffer, a
# directory, a missing file, standard input — and compares standard output byte for byte, the
# exit status, and standard error (with the program's name aligned).
set -u
io_wc=$1 io_cat=$2 io_grep=$3
export LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

python3 - <<'PY'
import random
rng = random.Random(20261125)
open("empty", "wb").close()
open("text", "wb").write(b"the quick brown fox\njumps over\tthe lazy dog\n\nlast line\n")
open("no_newline", "wb").write(b"one line\nand a second without")
open("crlf", "wb").write(b"dos line\r\nanother\r\n\r\nend\r\n")
open("spaces", "wb").write(b"  lead\x0btab\tform\x0cfeed\rcr  \n\n   \n")
open("binary", "wb").write(bytes(rng.randrange(256) for _ in range(70000)))
open("high", "wb").write(bytes([0xe2, 0x82, 0xac, 32, 0xff, 0x01, 0x41, 10, 0x7f, 0x20, 0x42]))
words = [b"alpha", b"beta", b"gamma", b"delta", b"the", b"a", b"x" * 300]
lines = []
for i in range(60000):
    lines.append(b" ".join(rng.choice(words) for _ in range(rng.randrange(12))))
open("big", "wb").write(b"\n".join(lines) + b"\n")
open("long_line", "wb").write(b"start " + b"y" * 1_000_000 + b" the end\n")
open("late_nul", "wb").write(b"the first\n" + b"z" * 200_000 + b"\x00\nthe second\n")
open("early_nul", "wb").write(b"a\x00b\nthe line\n")
PY
mkdir directory

passed=0 failed=0
# compare LABEL STDIN GNU_COMMAND IO_COMMAND — both commands are run with STDIN as input.
compare() {
  local label=$1 input=$2 gnu=$3 ours=$4
  (eval "$gnu") <"$input" >gnu.out 2>gnu.err; local gnu_rc=$?
  (eval "$ours") <"$input" >io.out 2>io.err; local io_rc=$?
  sed -E 's/^(wc|cat|grep):/io-\1:/' gnu.err >gnu.err.aligned
  if cmp -s gnu.out io.out && cmp -s gnu.err.aligned io.err && [ "$gnu_rc" = "$io_rc" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "DIFFERS: $label"
    echo "  gnu: $gnu (exit $gnu_rc)"; head -c 400 gnu.out | sed 's/^/    /'; sed 's/^/    err: /' gnu.err.aligned
    echo "  io:  $ours (exit $io_rc)"; head -c 400 io.out | sed 's/^/    /'; sed 's/^/    err: /' io.err
  fi
}

files="empty text no_newline crlf spaces binary high big long_line late_nul early_nul"
for opts in "" -l -w -c -lw -lc -wc -lwc "-l -c"; do
  for f in $files; do compare "wc $opts $f" /dev/null "wc $opts $f" "$io_wc $opts $f"; done
  compare "wc $opts (all files)" /dev/null "wc $opts $files" "$io_wc $opts $files"
  compare "wc $opts (standard input from a pipe)" text "cat | wc $opts" "cat | $io_wc $opts"
  compare "wc $opts (standard input from a file, as -)" big "wc $opts text - empty" "$io_wc $opts text - empty"
  compare "wc $opts (a missing file first)" /dev/null "wc $opts missing text" "$io_wc $opts missing text"
  compare "wc $opts (a missing file last)" /dev/null "wc $opts text big missing" "$io_wc $opts text big missing"
  compare "wc $opts (a directory)" /dev/null "wc $opts text directory" "$io_wc $opts text directory"
done
compare "wc (standard input, no operand, empty)" empty "wc" "$io_wc"
# io-wc --threads N: a regular file is mapped and counted in N shards cut at line boundaries;
# standard input, pipes and what cannot be mapped are read on one thread. Counts, layout and
# errors must stay GNU wc's.
for threads in 2 3; do
  for opts in "" -l -w -c -lw -wc; do
    for f in $files; do compare "wc $opts $f (--threads $threads)" /dev/null "wc $opts $f" "$io_wc --threads $threads $opts $f"; done
    compare "wc $opts (all files, --threads $threads)" /dev/null "wc $opts $files" "$io_wc $opts --threads=$threads $files"
    compare "wc $opts (standard input from a pipe, --threads $threads)" big "cat | wc $opts" "cat | $io_wc --threads $threads $opts"
    compare "wc $opts (standard input from a file, as -, --threads $threads)" big "wc $opts text - empty" "$io_wc --threads $threads $opts text - empty"
    compare "wc $opts (missing file, directory, --threads $threads)" /dev/null "wc $opts missing text directory" "$io_wc --threads $threads $opts missing text directory"
  done
done

# -m: the characters of UTF-8 text, against GNU wc -m under LC_ALL=C.UTF-8, where a byte that
# starts no valid sequence counts nothing (overlong forms and surrogates included, while glibc
# takes 5- and 6-byte forms); io-wc counts UTF-8 whatever the locale. Without -w, whose words
# GNU wc counts differently in a UTF-8 locale.
python3 - <<'PY'
import random
rng = random.Random(20261126)
chars = "aé€😀\n \t\u0800\uffff\U0010ffff\u00a0日本語"
open("utf8", "wb").write("".join(rng.choice(chars) for _ in range(50000)).encode())
pieces = [b"\xc3", b"\xe2\x82", b"\xf0\x9f\x98", b"\xff", b"\xfe", b"\x80", b"\xbf", b"\xc0\x80", b"\xc1\xbf",
          b"\xe0\x80\x80", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf0\x80\x80\x80", b"\xf4\x90\x80\x80",
          b"\xf5\x80\x80\x80", b"\xf8\x88\x80\x80\x80", b"\xfc\x84\x80\x80\x80\x80", b"\xf8\x80\x80\x80\x80",
          b"\x00", b"a", b"\n", "é".encode(), "€".encode(), "😀".encode()]
open("invalid", "wb").write(b"".join(rng.choice(pieces) for _ in range(60000)))
open("random_bytes", "wb").write(bytes(rng.randrange(256) for _ in range(300000)))
# Bytes from the UTF-8 range only (lead and continuation bytes in any order).
open("random_high", "wb").write(bytes(rng.randrange(0x80, 0x100) for _ in range(300000)))
# A 4-byte character across the 256 KiB chunks io-wc reads, and one cut short at the very end.
open("straddle", "wb").write(b"x" * (256 * 1024 - 2) + "😀".encode() * 3 + b"\xe2\x82")
PY
utf8_files="utf8 invalid random_bytes random_high straddle binary high text empty"
for opts in -m -lm -mc -lmc "-m -l"; do
  for f in $utf8_files; do compare "wc $opts $f (UTF-8)" /dev/null "LC_ALL=C.UTF-8 wc $opts $f" "$io_wc $opts $f"; done
  compare "wc $opts (all UTF-8 files)" /dev/null "LC_ALL=C.UTF-8 wc $opts $utf8_files" "$io_wc $opts $utf8_files"
  compare "wc $opts (UTF-8, standard input from a pipe)" invalid "cat | LC_ALL=C.UTF-8 wc $opts" "cat | $io_wc $opts"
done

for f in $files; do compare "cat $f" /dev/null "cat $f" "$io_cat $f"; done
compare "cat (all files)" /dev/null "cat $files" "$io_cat $files"
compare "cat (standard input)" big "cat" "$io_cat"
compare "cat (standard input from a pipe, between files)" /dev/null "cat text | cat empty - crlf" "cat text | $io_cat empty - crlf"
compare "cat (missing file and directory)" /dev/null "cat text missing directory crlf" "$io_cat text missing directory crlf"

for pattern in the a "" zzz "line" "$(printf '\r')" "y y" "$(printf 'alpha\nfox')"; do
  for f in $files; do compare "grep -F '$pattern' $f" /dev/null "grep -F '$pattern' $f" "$io_grep -F '$pattern' $f"; done
  compare "grep -F '$pattern' (several files)" /dev/null "grep -F '$pattern' text crlf no_newline" "$io_grep -F '$pattern' text crlf no_newline"
  compare "grep -F '$pattern' (standard input)" big "grep -F '$pattern'" "$io_grep -F '$pattern'"
  compare "grep -F '$pattern' (missing file, directory)" /dev/null "grep -F '$pattern' text missing directory" "$io_grep -F '$pattern' text missing directory"
done

# A failing standard output: /dev/full refuses every write (ENOSPC); descriptor 7 is a pipe whose
# reader is gone (a FIFO opened by both ends, then its reading end closed), where writes fail with
# EPIPE once SIGPIPE is ignored. The error messages owed before the failure must still appear.
mkfifo gone
exec 8<>gone 7>gone 8<&-
nopipe="trap '' PIPE;"
# The tools under test as io-wc, io-cat and io-grep, so that each command below reads once for both.
mkdir bin && ln -s "$io_wc" bin/io-wc && ln -s "$io_cat" bin/io-cat && ln -s "$io_grep" bin/io-grep
PATH=$work/bin:$PATH
for cmd in "wc text" "wc -l no_newline text" "wc text missing empty" "wc missing text" "wc text directory" "wc -c" "wc -m text big"; do
  compare "$cmd (to /dev/full)" text "$cmd >/dev/full" "io-$cmd >/dev/full"
  compare "$cmd (to a closed pipe)" text "$nopipe $cmd >&7" "$nopipe io-$cmd >&7"
done
for cmd in "cat text" "cat missing text" "cat text missing" "cat empty missing" "cat directory big" "cat -" "cat empty - empty"; do
  compare "$cmd (to /dev/full)" big "$cmd >/dev/full" "io-$cmd >/dev/full"
  compare "$cmd (to a closed pipe)" big "$nopipe $cmd >&7" "$nopipe io-$cmd >&7"
done
compare "cat (standard output closed)" /dev/null "cat text >&-" "io-cat text >&-"
compare "cat (standard output open for reading only)" /dev/null "cat text 1</dev/null" "io-cat text 1</dev/null"
for cmd in "grep -F a text" "grep -F zzz text" "grep -F the big" "grep -F the big missing" "grep -F a missing text" \
           "grep -F a text missing" "grep -F a text missing crlf" "grep -F the text early_nul" "grep -F the"; do
  compare "$cmd (to /dev/full)" big "$cmd >/dev/full" "io-$cmd >/dev/full"
  compare "$cmd (to a closed pipe)" big "$nopipe $cmd >&7" "$nopipe io-$cmd >&7"
done
# The reader leaves after one byte: the writer fills the pipe, then meets EPIPE.
for cmd in "cat big" "grep -F the big"; do
  compare "$cmd | head -c1" /dev/null "set -o pipefail; $nopipe $cmd | head -c1" "set -o pipefail; $nopipe io-$cmd | head -c1"
done

# An input that is the output: appended to itself, a file would grow until the disk is full. Each
# command starts from a fresh copy and shows the file after; ulimit bounds a runaway copy.
for cmd in "cat self >>self" "cat text self crlf >>self" "cat - <self >>self" "cat self 1<>self" "cat self >self" \
           "cat empty self >>self" ": >self; cat self >>self" "exec 3<self; cat - <&3 >/dev/null; cat - <&3 >>self"; do
  compare "$cmd" /dev/null "ulimit -f 4096; cp text self; $cmd; s=\$?; cat self; exit \$s" \
          "ulimit -f 4096; cp text self; ${cmd//cat /io-cat }; s=\$?; cat self; exit \$s"
done

echo "gnu parity: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
