#!/usr/bin/env python3
"""Checks io's binary values, varints and records against CPython's struct module.

Usage: struct_parity.py REPLAY [ROUNDS [SEED]]
Each round writes random values of every struct format (b B h H i I q Q f d) in both byte orders
('<' and '>') and random varints (a reference LEB128 / zig-zag encoder below) to a file, has the
REPLAY program (tests/core/binary_replay.cpp) read them with io and write them back, and checks
that io read the values struct wrote and wrote the bytes struct writes. Then it writes arrays of
'<iid' / '>iid' records with struct, before them 0 or 1 stray bytes (aligned and not), with and
without a partial record at the end, and checks what io::views::records reads from the mapped file
and whether its as_span() views the records in place (native order, aligned) or reports why not.
"""
import os
import random
import struct
import subprocess
import sys
import tempfile

FORMATS = "bBhHiIqQfd"
VARINTS = {"u32": (32, False), "s32": (32, True), "u64": (64, False), "s64": (64, True)}


def encode_varint(value, bits, signed):
    """LEB128 as protobuf writes it; signed values zig-zag encoded first (sint32/sint64)."""
    if signed:
        value = ((value << 1) ^ (value >> (bits - 1))) & ((1 << bits) - 1)
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


# Protobuf's published examples check the reference encoder itself.
assert encode_varint(150, 32, False) == bytes([0x96, 0x01])
assert encode_varint(300, 32, False) == bytes([0xAC, 0x02])
assert encode_varint(-1, 32, True) == bytes([0x01])
assert encode_varint(1, 32, True) == bytes([0x02])
assert encode_varint(-2, 32, True) == bytes([0x03])
assert encode_varint(2147483647, 32, True) == bytes([0xFE, 0xFF, 0xFF, 0xFF, 0x0F])
assert encode_varint(-2147483648, 32, True) == bytes([0xFF, 0xFF, 0xFF, 0xFF, 0x0F])


def random_value(rng, fmt):
    if fmt == "f":
        special = [0.0, -0.0, float("inf"), float("-inf"), 1.5, -3.25e-38]
        if rng.random() < 0.2:
            return rng.choice(special)
        return struct.unpack("<f", struct.pack("<f", rng.uniform(-1e30, 1e30)))[0]
    if fmt == "d":
        # Any bit pattern but NaNs, whose payloads are not values to compare.
        while True:
            v = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
            if v == v:
                return v
    size = struct.calcsize("<" + fmt)
    bits = 8 * size
    if fmt.islower():
        return rng.randrange(-(1 << (bits - 1)), 1 << (bits - 1))
    return rng.randrange(0, 1 << bits)


def random_varint(rng, bits, signed):
    width = rng.randint(1, bits)
    if signed:
        return rng.randrange(-(1 << (width - 1)), 1 << (width - 1))
    return rng.randrange(0, 1 << width)


def printed(fmt, value):
    """How binary_replay prints a value: floats as the decimal of their IEEE bits."""
    if fmt == "f":
        return str(struct.unpack("<I", struct.pack("<f", value))[0])
    if fmt == "d":
        return str(struct.unpack("<Q", struct.pack("<d", value))[0])
    return str(value)


def values_round(replay, rng, work):
    spec, data, expected = [], bytearray(), []
    runs = [(fmt, order) for fmt in FORMATS for order in "<>"] + [(v, "<") for v in VARINTS]
    rng.shuffle(runs)
    for fmt, order in runs:
        count = rng.randint(0, 12)
        spec.append(f"{fmt} {order} {count}")
        for _ in range(count):
            if fmt in VARINTS:
                bits, signed = VARINTS[fmt]
                v = random_varint(rng, bits, signed)
                data += encode_varint(v, bits, signed)
                expected.append(str(v))
            else:
                v = random_value(rng, fmt)
                data += struct.pack(order + fmt, v)
                expected.append(printed(fmt, v))
    expected.append("end")
    paths = [os.path.join(work, name) for name in ("spec", "data", "out")]
    with open(paths[0], "w") as f:
        f.write("\n".join(spec) + "\n")
    with open(paths[1], "wb") as f:
        f.write(data)
    result = subprocess.run([replay, "values"] + paths, capture_output=True, text=True)
    got = result.stdout.split("\n")[:-1]
    if result.returncode != 0 or got != expected:
        for i, (a, b) in enumerate(zip(got, expected)):
            if a != b:
                print(f"value {i}: io read {a}, struct wrote {b}")
                break
        print("spec:", spec, "stderr:", result.stderr, "lines:", len(got), len(expected))
        return False
    with open(paths[2], "rb") as f:
        written = f.read()
    if written != bytes(data):
        print("io wrote", written.hex(), "struct wrote", bytes(data).hex(), "spec", spec)
        return False
    return True


def records_round(replay, rng, work):
    order = rng.choice("<>")
    offset = rng.choice([0, 1])
    count = rng.randint(0, 20)
    torn = rng.random() < 0.25
    records = [(random_value(rng, "i"), random_value(rng, "i"), random_value(rng, "d")) for _ in range(count)]
    data = bytes(rng.randrange(256) for _ in range(offset))
    data += b"".join(struct.pack(order + "iid", *r) for r in records)
    if torn:
        data += bytes(rng.randint(1, 15))
    path = os.path.join(work, "records")
    with open(path, "wb") as f:
        f.write(data)
    # iter_unpack refuses the torn file as io must.
    try:
        unpacked = list(struct.iter_unpack(order + "iid", data[offset:]))
        expected = [f"{i} {c} {printed('d', w)}" for i, c, w in unpacked]
    except struct.error:
        expected = ["error unexpected_eof ec"]
    if torn:
        assert expected == ["error unexpected_eof ec"]
    else:
        # as_span views the records in place, as numpy.frombuffer would, when they need no
        # decoding: the machine's byte order, and storage aligned for the record (8 bytes: the
        # mapping is page-aligned, so offset 0 is aligned and offset 1 is not). No records: empty.
        native = "<" if sys.byteorder == "little" else ">"
        if count == 0:
            expected.append("span 0")
        elif order != native:
            expected.append("span-error invalid_argument")
        elif offset % 8 != 0:
            expected.append("span-error misaligned")
        else:
            expected.append(f"span {count} in-place")
    result = subprocess.run([replay, "records", path, order, str(offset)], capture_output=True, text=True)
    got = result.stdout.split("\n")[:-1]
    if result.returncode != 0 or got != expected:
        print("records", order, offset, count, torn, "io:", got[:3], "struct:", expected[:3], result.stderr)
        return False
    return True


def main():
    replay = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 13
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as work:
        for r in range(rounds):
            if not values_round(replay, rng, work) or not records_round(replay, rng, work):
                print(f"mismatch in round {r} (seed {seed})")
                return 1
    print(f"{rounds} rounds: io agrees with struct")
    return 0


if __name__ == "__main__":
    sys.exit(main())
