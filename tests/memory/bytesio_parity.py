#!/usr/bin/env python3
"""Checks io::memory_stream against CPython's io.BytesIO on random operation sequences.

Usage: bytesio_parity.py REPLAY [SEQUENCES [SEED]] [--big] [--view-each] [-- REPLAY_ARGUMENTS...]
Generates SEQUENCES (default 2000) random sequences of construct/write/read/seek (each whence)/
tell/truncate (with and without a size)/view/take/close, runs them through io.BytesIO and through the
REPLAY program (tests/memory/bytesio_replay.cpp, or tests/file/stream_replay.cpp with its
arguments after `--`), and fails on the first differing result. --big adds writes, seeks and
truncates of thousands of bytes (to cross a spooled stream's threshold of 4096 and a page);
--view-each follows every operation with a view of the whole contents.
"""
import io
import random
import subprocess
import sys


BIG = False


def random_bytes(rng):
    sizes = [0, 1, 2, 3, 5, 8, 13, 40] + ([700, 3000, 5000] if BIG else [])
    return bytes(rng.randrange(256) for _ in range(rng.choice(sizes)))


def random_op(rng):
    kind = rng.choices(
        ["write", "read", "readall", "seek", "tell", "truncate", "truncate_pos", "view", "take", "close"],
        weights=[30, 15, 3, 20, 5, 6, 4, 8, 3, 1])[0]
    if kind == "write":
        return ("write", random_bytes(rng))
    if kind == "read":
        return ("read", rng.choice([0, 1, 2, 3, 7, 16, 100]))
    if kind == "seek":
        return ("seek", rng.randint(-30, 9000 if BIG and rng.random() < 0.3 else 60), rng.choice([0, 1, 2]))
    if kind == "truncate":
        return ("truncate", rng.randint(-3, 9000 if BIG and rng.random() < 0.3 else 40))
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
        if kind == "take":
            # io's take(): the contents moved out, the stream left empty at position 0.
            value = b.getvalue()
            b.seek(0)
            b.truncate(0)
            return op_hex(value)
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
    global BIG
    args = sys.argv[1:]
    replay_args = []
    if "--" in args:
        replay_args = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    BIG = "--big" in args
    view_each = "--view-each" in args
    args = [a for a in args if not a.startswith("--")]
    replay = args[0]
    sequences = int(args[1]) if len(args) > 1 else 2000
    seed = int(args[2]) if len(args) > 2 else 20261125
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
            if view_each:
                lines.append(op_line(("view",), False))
                expected.append(apply_bytesio(b, ("view",)))
    result = subprocess.run([replay] + replay_args, input="\n".join(lines) + "\n", capture_output=True, text=True)
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
    print(f"{len(lines)} operations in {sequences} sequences: {' '.join([replay] + replay_args)} matches io.BytesIO")
    return 0


if __name__ == "__main__":
    sys.exit(main())
