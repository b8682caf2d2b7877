#!/usr/bin/env python3
"""Checks io::text_reader against CPython's io.TextIOWrapper on random bytes.

Usage: text_parity.py REPLAY [FILES [SEED]] [--encodings]
For each of FILES (default 80) random byte strings (valid UTF-8 of every length, overlong forms,
surrogates, code points past U+10FFFF, stray continuation bytes, sequences cut short, byte order
marks, and \\r, \\n, \\r\\n in every arrangement), runs REPLAY (tests/text/text_replay.cpp) with the
encodings utf-8 (under some of its other names) and utf-8-sig, and compares, for every errors= and
newline= mode and every source buffer size:
  keep, drop  the lines with and without their ends  with  list(io.TextIOWrapper(...))
  read, peek  the whole text                          with  TextIOWrapper(...).read()
  rest        two lines, a break, then the rest       with  the same cut of Python's lines
Under errors='strict' the offset of the first invalid byte must be bytes.decode's
UnicodeDecodeError.start (counted from the file's start: plus 3 after a dropped byte order mark),
and what came before it the text before that byte.
With --encodings the files are random text of the other encodings io decodes (latin-1, cp1252,
koi8-r, utf-16 with and without a byte order mark, utf-16-le, utf-16-be), with bytes those leave
undefined, lone and cut surrogates and odd lengths among them, compared the same way.
"""
import io
import os
import random
import subprocess
import sys
import tempfile

NEWLINES = {"none": None, "empty": "", "lf": "\n", "cr": "\r", "crlf": "\r\n"}
ERRORS = ["strict", "replace", "ignore", "backslashreplace"]

PIECES = [
    b"a", b"hello", b" ", b"\t", b"\x00", b"\x7f",
    "é".encode(), "€".encode(), "😀".encode(), "\u07ff".encode(), "\uffff".encode(), "\U0010ffff".encode(),
    "\ud7ff".encode(), "\ue000".encode(), "\U00010000".encode(),
    b"\x80", b"\xbf", b"\xc0\x80", b"\xc1\xbf", b"\xc2", b"\xdf",            # stray, overlong, cut short
    b"\xe0\x80\x80", b"\xe0\x9f\xbf", b"\xe0\xa0", b"\xe2\x82",              # overlong, cut short
    b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xed\x9f\xbf", b"\xed\xa0",          # surrogates
    b"\xf0\x80\x80\x80", b"\xf0\x8f\xbf\xbf", b"\xf0\x9f\x98", b"\xf0\x9f", b"\xf0",
    b"\xf4\x8f\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xf8", b"\xfe", b"\xff",
    b"\xef\xbb\xbf", b"\xef\xbb", b"\xef",
    b"\r", b"\n", b"\r\n", b"\r\r", b"\n\r", b"\r\r\n", b"\n\n",
]


def random_data(rng):
    kind = rng.random()
    if kind < 0.15:
        return bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 3, 10, 40])))
    pieces = []
    if rng.random() < 0.3:
        pieces.append(rng.choice([b"\xef\xbb\xbf", b"\xef\xbb", b"\xef", b"\xef\xbb\xbf\xef\xbb\xbf"]))
    valid_only = kind < 0.35
    for _ in range(rng.choice([0, 1, 3, 8, 20, 60, 300])):
        piece = rng.choice(PIECES)
        if valid_only:
            try:
                piece.decode("utf-8")
            except UnicodeDecodeError:
                continue
        pieces.append(piece * rng.choice([1, 1, 1, 2, 5, 20]))
    return b"".join(pieces)


OTHER_ENCODINGS = ["latin-1", "cp1252", "koi8-r", "utf-16", "utf-16-le", "utf-16-be"]
TEXT_PIECES = ["a", "hello", " ", "\x00", "\x7f", "\x80", "\x9f", "é", "ÿ", "€", "Ж", "ж", "ё", "─", "😀",
               "\U0010ffff", "\ufeff", "\ufffd", "\r", "\n", "\r\n", "\r\r", "\n\r", "\r\r\n"]
UTF16_DAMAGE = [b"\x00\xd8", b"\x00\xdc", b"\xff\xdb", b"\x00", b"\x0d\x00", b"\x0a\x00"]


def other_data(rng, encoding):
    """Random bytes of `encoding`: its text, and bytes that are not."""
    if encoding in ("latin-1", "cp1252", "koi8-r"):
        pieces = [b"\r", b"\n", b"\r\n", b"abc", b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d", b"\x80", b"\xe9", b"\xff"]
        if rng.random() < 0.3:
            return bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 5, 40, 300])))
        return b"".join(rng.choice(pieces) * rng.choice([1, 1, 3]) for _ in range(rng.choice([0, 1, 4, 20, 200])))
    text = "".join(rng.choice(TEXT_PIECES) * rng.choice([1, 1, 1, 2, 20]) for _ in range(rng.choice([0, 1, 3, 10, 60, 200])))
    if encoding == "utf-16":
        order = rng.choice(["le", "be", "none"])
        data = (b"\xff\xfe" + text.encode("utf-16-le") if order == "le" else
                b"\xfe\xff" + text.encode("utf-16-be") if order == "be" else text.encode("utf-16-le"))
    else:
        data = text.encode(encoding)
    if rng.random() < 0.5:
        # Lone or cut surrogates, odd bytes, '\r' and '\n' units cut anywhere.
        for _ in range(rng.choice([1, 2, 5])):
            at = rng.randrange(len(data) + 1)
            if rng.random() < 0.7:
                at -= at % 2
            data = data[:at] + rng.choice(UTF16_DAMAGE) + data[at:]
    return data


def h(s):
    return "x" + s.encode("utf-8").hex()


def python_lines(data, encoding, errors, newline):
    if encoding == "utf-8-sig" and data in (b"\xef", b"\xef\xbb"):
        # CPython's utf-8-sig incremental decoder drops a file that is only the start of a byte
        # order mark (it waits for a third byte even at the end); bytes.decode and io report it.
        data = data.decode(encoding, errors).encode("utf-8")
        encoding = "utf-8"
    if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # CPython's incremental UTF-16 decoder (so TextIOWrapper) refuses text without a byte order
        # mark ("UTF-16 stream does not start with BOM"); bytes.decode and io read it in the native
        # order, little-endian here.
        encoding = "utf-16-le"
    with io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors=errors, newline=newline) as f:
        return list(f)


def strip_end(line, newline):
    ends = {None: ["\n"], "": ["\r\n", "\r", "\n"], "\n": ["\n"], "\r": ["\r"], "\r\n": ["\r\n"]}[newline]
    for end in ends:
        if line.endswith(end):
            return line[: -len(end)]
    return line


def first_error(data, encoding):
    try:
        data.decode(encoding)
        return None
    except UnicodeDecodeError as e:
        bom = 3 if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf") else 0
        return e.start + bom


def expected_for(data, encoding, errors, newline):
    """What each method should print (a list of items), for one errors/newline pair."""
    out = {}
    offset = first_error(data, encoding) if errors == "strict" else None
    if offset is None:
        lines = python_lines(data, encoding, errors, newline)
        text = "".join(lines)
        out["keep"] = [h(x) for x in lines]
        out["drop"] = [h(strip_end(x, newline)) for x in lines]
        out["read"] = [h(text)]
        out["peek"] = [h(text)]
        out["rest"] = [h(x) for x in lines[:2]] + [h("".join(lines[2:]))]
        return out, None
    before = python_lines(data[:offset], encoding, errors, newline)
    text = "".join(before)
    out["read"] = [h(text), "E%d" % offset]
    out["peek"] = [h(text), "E%d" % offset]
    return out, (before, offset)


def check_strict_lines(got, before, offset, method, newline):
    """Lines handed out before an error: Python's lines of the bytes before it, but maybe the last."""
    if not got or got[-1] != ("E%d" % offset if method == "keep" else "E?"):
        return False
    items = got[:-1]
    want = [h(x) if method == "keep" else h(strip_end(x, newline)) for x in before]
    return items == want[: len(items)] and len(items) >= len(want) - 1


def main():
    replay = sys.argv[1]
    others = "--encodings" in sys.argv
    args = [a for a in sys.argv if a != "--encodings"]
    files = int(args[2]) if len(args) > 2 else 80
    seed = int(args[3]) if len(args) > 3 else 20261126
    rng = random.Random(seed)
    failures = 0
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "data.txt")
        for n in range(files):
            if others:
                encodings = [OTHER_ENCODINGS[n % len(OTHER_ENCODINGS)]]
                data = other_data(rng, encodings[0])
            else:
                encodings = [rng.choice(["utf-8", "UTF8", "u8", "utf_8", "UTF-8"]), "utf-8-sig"]
                data = random_data(rng)
            with open(path, "wb") as f:
                f.write(data)
            for encoding in encodings:
                result = subprocess.run([replay, path, encoding], capture_output=True, text=True)
                if result.returncode != 0:
                    print("FAIL: replay exited with %d on %r (%s): %s" % (result.returncode, data, encoding, result.stderr))
                    return 1
                expected = {}
                for errors in ERRORS:
                    for name, newline in NEWLINES.items():
                        expected[(errors, name)] = expected_for(data, encoding, errors, newline)
                for row in result.stdout.splitlines():
                    errors, name, buffer, method, *items = row.split(" ")
                    want, strict = expected[(errors, name)]
                    if method in want:
                        ok = items == want[method]
                    elif strict is not None and method in ("keep", "drop"):
                        ok = check_strict_lines(items, strict[0], strict[1], method, NEWLINES[name])
                    else:
                        ok = False
                    checked += 1
                    if not ok:
                        failures += 1
                        if failures <= 10:
                            print("FAIL data=%r encoding=%s errors=%s newline=%s buffer=%s %s:\n  io:     %s\n  python: %s"
                                  % (data, encoding, errors, name, buffer, method, items,
                                     want.get(method, strict and strict[0])))
    print("%d comparisons over %d files, %d failures" % (checked, files, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
