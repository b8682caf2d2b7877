#!/usr/bin/env python3
"""Checks io::open and io::file against CPython's open() in binary modes on random operation sequences.

Usage: open_parity.py REPLAY [SEQUENCES [SEED]]
Generates SEQUENCES (default 400) random sequences, each on a file that is absent or holds random
bytes: open with a random mode among r rb r+ w w+ a a+ x x+ (and their spellings) and a random
buffering (0, meaning CPython's FileIO and io::file; a small size or the default, meaning CPython's
BufferedReader/Writer/Random and io::open; or a small size with io::open_reader in r and
io::open_writer in w, a and x, meaning CPython's BufferedReader and BufferedWriter), then write, read(n), read all, seek with each whence,
tell, truncate (with and without a size), flush and close, then the file's contents. It runs them
through CPython and through the REPLAY program (tests/file/open_replay.cpp) and fails on the first
differing result. Errors compare as classes: closed, unsupported, invalid, oserror ERRNO-NAME.

Where io deliberately differs from CPython, the Python side encodes the difference:
- io's read(n) on a buffered file returns what the buffer holds, refilling it once when it is
  empty (a short count is not the end), as Rust's BufReader; CPython's BufferedReader.read(n)
  loops until n bytes or the end. The replay calls io's read until n bytes or 0 and compares the
  bytes with CPython's read(n). (CPython's read1(n) is no closer: with an empty buffer it reads
  n bytes past the buffer, where io refills the buffer; and before CPython 3.13 BufferedRandom's
  read1 ignores pending writes, gh-115059.)
- In an append mode CPython's buffered objects believe a write lands at the position until it is
  flushed (CPython gh-64281, gh-116376: after seek(0), write(b"ab") tell() says 2, not the size of
  the file), and a later read or tell is off by the same amount. io's buffered file moves to the
  end before such a write, as the kernel does and as CPython's FileIO reports; the Python side
  does that too, with seek(0, SEEK_END) before each buffered write in an append mode (the fix
  proposed in CPython's pull request 21729).
- io::file_reader has no write, truncate or flush, and io::file_writer no read or truncate: they
  are compile-time errors there, so the sequences for them do without.
- An operation on a closed stream is "closed" in io whatever the mode allows; CPython's
  BufferedReader has no write and its BufferedWriter no read, so those say "unsupported" even
  when closed. The Python side asks closed first.
"""
import errno
import io
import os
import random
import subprocess
import sys
import tempfile

MODES = ["r", "rb", "r+", "r+b", "rb+", "w", "wb", "w+", "w+b", "a", "ab", "a+", "a+b", "ab+",
         "x", "xb", "x+", "x+b"]
BUFFERINGS = ["unbuffered", "unbuffered", "default", "2", "3", "4", "5", "8", "16", "reader", "writer"]
SIZES = ["2", "3", "4", "5", "8", "16"]
# What io::file_reader and io::file_writer lack at compile time (CPython's BufferedReader and
# BufferedWriter raise UnsupportedOperation, or for flush and a writer's truncate, work): not
# generated for them.
MISSING = {"reader": {"write", "truncate", "truncate_pos", "flush"}, "writer": {"read", "readall", "truncate", "truncate_pos"}}


def random_bytes(rng):
    return bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 13, 40])))


def random_op(rng, missing=()):
    kind = rng.choices(
        ["write", "read", "readall", "seek", "tell", "truncate", "truncate_pos", "flush", "close"],
        weights=[30, 18, 5, 20, 12, 5, 4, 5, 1])[0]
    if kind in missing:
        return random_op(rng, missing)
    if kind == "write":
        return ("write", random_bytes(rng))
    if kind == "read":
        return ("read", rng.choice([0, 1, 2, 3, 7, 16, 100]))
    if kind == "seek":
        return ("seek", rng.randint(-30, 60), rng.choice([0, 1, 2]))
    if kind == "truncate":
        return ("truncate", rng.randint(-3, 40))
    return (kind,)


def classify(e):
    if isinstance(e, io.UnsupportedOperation):
        return "error unsupported"
    if isinstance(e, ValueError):
        return "error closed" if "closed" in str(e) else "error invalid"
    if isinstance(e, OSError):
        if e.errno == errno.EINVAL:
            return "error invalid"
        return "error oserror " + errno.errorcode.get(e.errno, str(e.errno))
    raise e


def op_hex(data):
    return data.hex() if data else "-"


def apply_python(f, op, appending, buffered):
    """Applies `op` to the file object `f`; returns its result as the replay prints it."""
    try:
        kind = op[0]
        if kind == "write":
            if appending and buffered and op[1]:
                f.seek(0, os.SEEK_END)  # as the kernel does, see the module's docstring
            return str(f.write(op[1]))
        if kind == "read":
            return op_hex(f.read(op[1]))
        if kind == "readall":
            return op_hex(f.read())
        if kind == "seek":
            return str(f.seek(op[1], op[2]))
        if kind == "tell":
            return str(f.tell())
        if kind == "truncate":
            return str(f.truncate(op[1]))
        if kind == "truncate_pos":
            return str(f.truncate())
        if kind == "flush":
            f.flush()
            return "ok"
        if kind == "close":
            f.close()
            return "ok"
    except (OSError, ValueError) as e:
        if f.closed and isinstance(e, io.UnsupportedOperation):
            return "error closed"  # see the module's docstring
        return classify(e)
    raise AssertionError(op)


def op_line(op, use_ec):
    kind = op[0]
    words = {
        "write": lambda: ["write", op_hex(op[1])],
        "read": lambda: ["read", str(op[1])],
        "seek": lambda: ["seek", str(op[1]), str(op[2])],
        "truncate": lambda: ["truncate", str(op[1])],
        "truncate_pos": lambda: ["truncate"],
    }.get(kind, lambda: [kind])()
    return " ".join(words + (["e"] if use_ec else []))


def file_contents(path):
    try:
        with open(path, "rb") as f:
            return op_hex(f.read())
    except FileNotFoundError:
        return "absent"


def make_file(path, initial):
    if os.path.exists(path):
        os.remove(path)
    if initial is not None:
        with open(path, "wb") as f:
            f.write(initial)


def python_mode(mode):
    return mode if "b" in mode else mode + "b"


def python_buffering(buffering):
    special = {"unbuffered": 0, "default": -1}
    return special[buffering] if buffering in special else int(buffering)


def generate(rng, sequences, path):
    """The lines for the replay and CPython's result for each."""
    lines, expected = [], []
    for _ in range(sequences):
        initial = None if rng.random() < 0.25 else random_bytes(rng)
        make_file(path, initial)
        lines.append(f"new {path} {'absent' if initial is None else op_hex(initial)}")
        expected.append("ok")
        mode, buffering = rng.choice(MODES), rng.choice(BUFFERINGS)
        one_way = buffering in MISSING
        if buffering == "reader":
            mode = rng.choice(["r", "rb"])
        elif buffering == "writer":
            mode = rng.choice([m for m in MODES if "+" not in m and "r" not in m])
        size = rng.choice(SIZES) if one_way else None
        lines.append(f"open {mode} {buffering}" + (f" {size}" if one_way else "") + (" e" if rng.random() < 0.5 else ""))
        try:
            f = open(path, python_mode(mode), buffering=int(size) if one_way else python_buffering(buffering))
            expected.append("ok")
        except OSError as e:
            f = None
            expected.append(classify(e))
        if f is not None:
            appending, buffered = "a" in mode, buffering != "unbuffered"
            for _ in range(rng.randint(1, 30)):
                op = random_op(rng, MISSING.get(buffering, ()))
                lines.append(op_line(op, rng.random() < 0.5))
                expected.append(apply_python(f, op, appending, buffered))
            f.close()
        lines.append("contents")
        expected.append(file_contents(path))
    return lines, expected


def main():
    replay = sys.argv[1]
    sequences = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261125
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "f")
        lines, expected = generate(rng, sequences, path)
        result = subprocess.run([replay], input="\n".join(lines) + "\n", capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr)
        print(f"replay exited with {result.returncode}")
        return 1
    actual = result.stdout.splitlines()
    for i, (line, want) in enumerate(zip(lines, expected)):
        got = actual[i] if i < len(actual) else "<missing>"
        if got != want:
            start = max(j for j in range(i + 1) if lines[j].startswith("new"))
            print("mismatch; the sequence up to it:")
            for j in range(start, i + 1):
                print(f"  {lines[j]:<40} CPython: {expected[j]}   io: {actual[j] if j < len(actual) else '<missing>'}")
            return 1
    if len(actual) != len(expected):
        print(f"replay printed {len(actual)} results for {len(expected)} operations")
        return 1
    print(f"{len(lines)} operations in {sequences} sequences: io::open and io::file match CPython's open()")
    return 0


if __name__ == "__main__":
    sys.exit(main())
