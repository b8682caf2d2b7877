#!/usr/bin/env python3
"""Checks io's views and read_line against CPython on random files.

Usage: views_parity.py REPLAY [FILES [SEED]]
For each of FILES (default 150) random files (lines of random lengths with \\n, \\r\\n and lone \\r,
whitespace of every ASCII kind, NULs and high bytes, with or without a last newline), runs REPLAY
(tests/views/views_replay.cpp) and compares, for every kind of source it uses:
  keep      io::views::lines({.keep_ends = true})  with  list(open(path, 'rb'))
  words     io::views::words                        with  data.split()
  rest      lines up to a break, then read_all      with  for line in f: ... break; f.read()
  readline  read_line(max_length = N, keep_ends)    with  f.readline(N) and f.tell()
"""
import os
import random
import subprocess
import sys
import tempfile


def random_file(rng):
    pieces = []
    for _ in range(rng.choice([0, 1, 2, 5, 20, 60])):
        length = rng.choice([0, 0, 1, 2, 3, 7, 12, 30, 100])
        alphabet = rng.choice([b"ab", b"abc \t", b"x y\x0b\x0c\r", bytes(range(256))])
        pieces.append(bytes(rng.choice(alphabet) for _ in range(length)))
        pieces.append(rng.choice([b"\n", b"\n", b"\r\n", b"\r", b" ", b"\n\n"]))
    data = b"".join(pieces)
    if data and rng.random() < 0.4:
        data = data[: rng.randrange(len(data))]
    return data


def h(b):
    return "x" + b.hex()


def expected(path, data, break_after, read_max):
    out = {}
    with open(path, "rb") as f:
        out["keep"] = [h(line) for line in f]
    out["words"] = [h(w) for w in data.split()]
    with open(path, "rb") as f:
        items = []
        for n, line in enumerate(f):
            if n == break_after:
                break
            items.append(h(line))
        items.append(h(f.read()))
    out["rest"] = items
    with open(path, "rb") as f:
        items = []
        while True:
            line = f.readline(read_max if read_max else -1)
            if not line:
                break
            items.append(h(line) + "@" + str(f.tell()))
    out["readline"] = items
    return out


def main():
    replay = sys.argv[1]
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 150
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20261126)
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "data")
        for case in range(files):
            data = random_file(rng)
            with open(path, "wb") as f:
                f.write(data)
            break_after = rng.randrange(0, 8)
            read_max = rng.choice([0, 0, 1, 2, 3, 5, 8, 40])
            want = expected(path, data, break_after, read_max)
            run = subprocess.run([replay, path, str(break_after), str(read_max)], capture_output=True, check=True)
            for line in run.stdout.decode().splitlines():
                op, source, *items = line.split(" ")
                if items != want[op]:
                    print(f"case {case}: {op} over {source} differs (break after {break_after}, max {read_max})")
                    print(f"  data:   {data!r}")
                    print(f"  python: {want[op]}")
                    print(f"  io:     {items}")
                    return 1
                checked += 1
    print(f"{checked} results over {files} files identical to CPython")
    return 0


if __name__ == "__main__":
    sys.exit(main())
