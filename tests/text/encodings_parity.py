#!/usr/bin/env python3
"""Checks io's text codecs against CPython's on random text and random bytes.

Usage: encodings_parity.py REPLAY [ROUNDS [SEED]]
For each encoding below (io's own: utf-8, utf-8-sig, latin-1, ascii, cp1252, utf-16, utf-16-le,
utf-16-be; through tables read from iconv: koi8-r, iso8859-3, cp037 (EBCDIC), cp1255; through
iconv itself: gb18030 (decoded from valid bytes only) and, for encoding only, iso2022_jp) and each
errors mode (strict, replace, ignore,
backslash_replace):
- decoding: random bytes (text of the encoding, then damaged: bytes flipped, cut, inserted, BOMs
  and lone surrogates for UTF-16) decoded by io::detail::text_decoder (tests/text/encodings_replay.cpp)
  in pieces of 1..k bytes (k = 1..9) and whole give exactly `data.decode(encoding, errors)`; with
  errors=strict, the same first offset (UnicodeDecodeError.start) and the text before it.
- encoding: random UTF-8 text (sometimes damaged) written through io::text_writer in pieces cut
  anywhere gives exactly what `io.TextIOWrapper(io.BytesIO(), encoding=, errors=, newline=)` writes
  for every newline mode, through the throwing and the std::error_code calls; with errors=strict,
  the same offset (of the first character the encoding lacks, as a byte offset in the UTF-8 text)
  and the bytes of the text before it.
Text that is not valid UTF-8 has no Python str: io writes what `bytes.decode("utf-8", errors)`
makes of it, so that is what CPython is given (strict: errc::invalid_text at the first invalid
byte, unless a character before it cannot be encoded).

Where io follows `bytes.decode` rather than CPython's incremental decoders, this script says so:
- "utf-8-sig": UnicodeDecodeError.start counts from after a BOM; io counts from the first byte
  (3 more). (CPython's incremental decoder also drops a final "EF BB" that bytes.decode replaces.)
- A stateful encoding (ISO-2022-JP) returns to its initial state at the end of the text in io, as
  str.encode does; CPython's TextIOWrapper never writes those bytes (not even at close).
- "utf-16" without a BOM: bytes.decode reads little-endian (the native order here), as io does;
  CPython's incremental decoder, hence TextIOWrapper, raises "UTF-16 stream does not start with BOM".
"""
import codecs
import io
import random
import subprocess
import sys

ERRORS = {"strict": "strict", "replace": "replace", "ignore": "ignore", "backslash_replace": "backslashreplace"}
NEWLINES = {"universal": None, "recognize": "", "lf": "\n", "cr": "\r", "crlf": "\r\n"}
ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "ascii", "cp1252", "utf-16", "utf-16-le", "utf-16-be",
             "koi8-r", "iso8859-3", "cp037", "cp1255", "gb18030"]
# Decoded only from valid bytes: iconv tells no length of an invalid multibyte sequence, so io
# takes each byte it refuses as one unit, where CPython's CJK codecs take one to four.
VALID_ONLY = ["gb18030"]
# Encoded only: a stateful encoding (iconv's shift sequences, and the return to ASCII at the end).
# CPython's and glibc's ISO-2022-JP decoders delimit invalid sequences differently.
ENCODE_ONLY = ["iso2022_jp"]

# Characters to draw text from: ASCII with line ends, Latin-1, cp1252's extra characters and the
# ones it lacks, Cyrillic (KOI8-R), Maltese (ISO 8859-3), Greek, CJK, astral, U+FEFF, U+FFFD.
POOL = ("abcXYZ019 \t\n\n\r\r\n\\?" + "\x00\x7f\x80\x81\x9f\xa0\xe9\xff" + "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ" +
        "жЖщЩё" + "ĦħĊċĠġŻż" + "אבש\u05b0\u05b4\u05c1" + "αβΩ" + "中文字日本あアｱ" + "\U0001F600\U00010000\U0010FFFF" + "\ufeff\ufffd\uffff")


def random_text(rng):
    n = rng.choice([0, 1, 2, 5, 10, 30, 60])
    return "".join(rng.choice(POOL) for _ in range(n))


def damage(rng, data, utf16=False):
    data = bytearray(data)
    for _ in range(rng.choice([0, 0, 1, 2, 4])):
        op = rng.randrange(5)
        pos = rng.randint(0, len(data))
        if op == 0 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op == 1 and data:
            del data[rng.randrange(len(data))]
        elif op == 2:
            data[pos:pos] = bytes([rng.choice([0x80, 0xBF, 0xC0, 0xC3, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF,
                                               0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xA5, 0xFE, 0xD8, 0xDC])])
        elif op == 3 and utf16:
            unit = rng.choice([0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xFEFF, 0xFFFE])
            data[pos:pos] = unit.to_bytes(2, rng.choice(["little", "big"]))
        elif op == 4:
            data = data[:pos]
    return bytes(data)


def random_bytes(rng, encoding):
    if encoding in VALID_ONLY:
        return random_text(rng).encode(encoding)
    choice = rng.randrange(10)
    if choice == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 12)))
    text = random_text(rng)
    data = text.encode(encoding, "ignore") if encoding != "utf-8-sig" or rng.random() < 0.5 else text.encode("utf-8")
    utf16 = encoding.startswith("utf-16")
    if utf16 and rng.random() < 0.3:
        data = rng.choice([b"\xff\xfe", b"\xfe\xff", b"\xff", b"\xfe"]) + data
    if encoding == "utf-8-sig" and rng.random() < 0.3:
        data = rng.choice([b"\xef\xbb\xbf", b"\xef\xbb", b"\xef"]) + data
    return damage(rng, data, utf16)


def expected_decode(data, encoding, errors):
    try:
        return "ok " + (data.decode(encoding, ERRORS[errors]).encode("utf-8").hex() or "-")
    except UnicodeDecodeError as e:
        start = e.start
        if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
            start += 3  # CPython counts from after the BOM, io from the first byte
        return "error invalid_text %d %s" % (start, data[:start].decode(encoding).encode("utf-8").hex() or "-")


def written(text, encoding, errors, newline):
    buffer = io.BytesIO()
    writer = io.TextIOWrapper(buffer, encoding=encoding, errors=ERRORS[errors], newline=NEWLINES[newline])
    writer.write(text)
    writer.flush()
    return buffer.getvalue()


def encodable(c, encoding):
    try:
        c.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


def final_bytes(text, encoding, errors, newline):
    """What an encoder writes at the end (a stateful encoding's return to its initial state):
    io writes it when the text ends, as str.encode does; CPython's TextIOWrapper never does."""
    encoder = codecs.getincrementalencoder(encoding)(ERRORS[errors])
    if NEWLINES[newline] in ("\r", "\r\n"):
        text = text.replace("\n", NEWLINES[newline])
    encoder.encode(text)
    return encoder.encode("", final=True)


def expected_encode(data, encoding, errors, newline):
    try:
        text, bad = data.decode("utf-8", ERRORS[errors]), None
    except UnicodeDecodeError as e:
        text, bad = data[:e.start].decode("utf-8"), e.start
    try:
        out = written(text, encoding, errors, newline)
    except UnicodeEncodeError:
        # e.start counts in the text after newline translation: find the character in the text given.
        first = next(i for i, c in enumerate(text) if not encodable(c, encoding))
        offset = len(text[:first].encode("utf-8"))
        return "error unencodable %d %s" % (offset, written(text[:first], encoding, errors, newline).hex() or "-")
    if bad is not None:
        return "error invalid_text %d %s" % (bad, out.hex() or "-")
    return "ok " + ((out + final_bytes(text, encoding, errors, newline)).hex() or "-")


def main():
    replay = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261126
    rng = random.Random(seed)
    cases, expected = [], []
    for encoding in ENCODINGS + ENCODE_ONLY:
        for errors in ERRORS:
            for r in range(rounds):
                data = random_bytes(rng, encoding)
                for chunk in range(10 if encoding in ENCODINGS else 0):
                    cases.append("decode %s %s %d %d %s" % (encoding, errors, chunk, rng.randrange(1 << 30), data.hex() or "-"))
                    expected.append(expected_decode(data, encoding, errors))
                text = random_text(rng).encode("utf-8")
                if rng.random() < 0.3:
                    text = damage(rng, text)
                for newline in NEWLINES:
                    chunk = rng.randrange(10)
                    mode = rng.choice("te")
                    cases.append("encode %s %s %s %d %d %s %s" % (encoding, errors, newline, chunk, rng.randrange(1 << 30),
                                                                mode, text.hex() or "-"))
                    expected.append(expected_encode(text, encoding, errors, newline))
    result = subprocess.run([replay], input="\n".join(cases) + "\n", capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr)
        sys.exit("replay failed with status %d" % result.returncode)
    got = result.stdout.splitlines()
    if len(got) != len(cases):
        sys.exit("replay printed %d lines for %d cases" % (len(got), len(cases)))
    failures = 0
    for case, want, have in zip(cases, expected, got):
        if want != have:
            failures += 1
            if failures <= 10:
                print("case:     %s\nexpected: %s\nio:       %s\n" % (case, want, have))
    print("%d cases, %d differences" % (len(cases), failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
