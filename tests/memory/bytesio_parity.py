#!/usr/bin/env python3
"""Checks io::memory_stream against CPython's io.BytesIO on random operation sequences.

Usage: bytesio_parity.py REPLAY [SEQUENCES [SEED]]
Generates SEQUENCES (default 2000) random sequences of construct/write/read/seek (each whence)/
tell/truncate (with and without a size)/view/close, runs them through io.BytesIO and through the
REPLAY program (tests/memory/bytesio_replay.cpp), and fails on the first differing result.
"""
import io
import random
import subprocess
import sys


def random_bytes(rng):
    return bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 13, 40])))


def random_op(rng):
    kind = rng.choices(
        ["write", "read", "readall", "seek", "tell", "truncate", "truncate_pos", "view", "close"],
        weights=[30, 15, 3, 20, 5, 6, 4, 8, 1])[0]
    if kind == "write":
        return ("write", random_bytes(rng))
    if kind == "read":
        return ("read", rng.choice([0, 1, 2, 3, 7, 16, 100]))
    if kind == "seek":
        return ("seek", rng.randint(-30, 60), rng.choice([0, 1, 2]))
    if kind == "truncate":
        return ("truncate", rng.randint(-3, 40))
    return (kind,)


def apply_bytesio(b, op):
    try:
        kind = op[0]
        if kind == "write":
            b.write(op[1])
            return "ok"
        if kind == "read":
            return op_hex(b.read(op[1]))
        if kind == "readall":
            return op_hex(b.read())
        if kind == "seek":
            return str(b.seek(op[1], op[2]))
        if kind == "tell":
            return str(b.tell())
        if kind == "truncate":
            return str(b.truncate(op[1]))
        if kind == "truncate_pos":
            return str(b.truncate())
        if kind == "view":
            return op_hex(b.getvalue())
        if kind == "close":
            b.close()
            return "ok"
    except (ValueError, OverflowError) as e:
        return "error closed" if "closed" in str(e) else "error invalid"
    raise AssertionError(op)


def op_hex(data):
    return data.hex() if data else "-"


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


def main():
    replay = sys.argv[1]
    sequences = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261125
    rng = random.Random(seed)
    lines, expected = [], []
    for _ in range(sequences):
        initial = random_bytes(rng) if rng.random() < 0.5 else None
        lines.append("new" if initial is None else "new " + op_hex(initial))
        expected.append("ok")
        b = io.BytesIO(initial) if initial is not None else io.BytesIO()
        for _ in range(rng.randint(1, 40)):
            op = random_op(rng)
            lines.append(op_line(op, rng.random() < 0.5))
            expected.append(apply_bytesio(b, op))
    result = subprocess.run([replay], input="\n".join(lines) + "\n", capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr)
        print(f"replay exited with {result.returncode}")
        return 1
    actual = result.stdout.splitlines()
    for i, (line, want) in enumerate(zip(lines, expected)):
        got = actual[i] if i < len(actual) else "<missing>"
        if got != want:
            start = max(0, max(j for j in range(i + 1) if lines[j].startswith("new")))
            print("mismatch; the sequence up to it:")
            for j in range(start, i + 1):
                print(f"  {lines[j]:<40} BytesIO: {expected[j]}   io: {actual[j] if j < len(actual) else '<missing>'}")
            return 1
    if len(actual) != len(expected):
        print(f"replay printed {len(actual)} results for {len(expected)} operations")
        return 1
    print(f"{len(lines)} operations in {sequences} sequences: io::memory_stream matches io.BytesIO")
    return 0


if __name__ == "__main__":
    sys.exit(main())
