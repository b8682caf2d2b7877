#!/usr/bin/env python3
"""standard_streams.py PRINT_CHILD — io's standard output buffers as C's and Python's: fully into a
pipe (200 lines make one write), by line into a terminal (a pty), flushed before standard input is
read, flushed at exit, and a failed flush at exit gives status 120 with a message on standard
error. Counts the child's write() calls with strace."""
import os
import pty
import shutil
import subprocess
import sys
import tempfile

child = sys.argv[1]
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def expected_lines(n):
    return b"".join(b"line %d of %d\n" % (i + 1, n) for i in range(n))


def traced(args, **kwargs):
    """Runs the child under strace; returns (completed process, the system calls it made on
    descriptors 0 and 1 as (name, fd) pairs)."""
    with tempfile.NamedTemporaryFile(suffix=".trace") as trace:
        proc = subprocess.run(["strace", "-qq", "-e", "trace=read,write", "-o", trace.name, child] + args, **kwargs)
        calls = []
        for line in open(trace.name, encoding="utf-8", errors="replace"):
            for name in ("read", "write"):
                for fd in (0, 1):
                    if line.startswith("%s(%d," % (name, fd)):
                        calls.append((name, fd))
        return proc, calls


env = dict(os.environ)
# LeakSanitizer cannot run under ptrace: off for the runs under strace.
traced_env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
have_strace = shutil.which("strace") is not None
if not have_strace:
    print("strace not found (bootstrap.sh installs it): write counts not checked")

# A pipe: full buffering.
if have_strace:
    proc, calls = traced(["lines", "200"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=traced_env)
    check(proc.returncode == 0 and proc.stdout == expected_lines(200), "200 lines into a pipe arrive intact")
    writes = calls.count(("write", 1))
    check(writes == 1, "200 lines into a pipe make one write() (made %d)" % writes)
else:
    proc = subprocess.run([child, "lines", "200"], stdout=subprocess.PIPE, env=env)
    check(proc.returncode == 0 and proc.stdout == expected_lines(200), "200 lines into a pipe arrive intact")

# A file: full buffering too (a 64 KiB buffer: 20000 lines of ~20 bytes make a few writes).
with tempfile.TemporaryFile() as out:
    proc = subprocess.run([child, "lines", "20000"], stdout=out, env=env)
    out.seek(0)
    check(proc.returncode == 0 and out.read() == expected_lines(20000), "20000 lines into a file arrive intact")


# A terminal: line buffering, one write a line.
def in_pty(args):
    """Runs the child (under strace when available) with standard output on a pty; returns
    (exit status, what the terminal showed, calls)."""
    master, slave = pty.openpty()
    with tempfile.NamedTemporaryFile(suffix=".trace") as trace:
        command = (["strace", "-qq", "-e", "trace=read,write", "-o", trace.name] if have_strace else []) + [child] + args
        proc = subprocess.Popen(command, stdout=slave, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                env=traced_env if have_strace else env)
        os.close(slave)
        shown = b""
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            shown += data
        status = proc.wait()
        os.close(master)
        calls = []
        if have_strace:
            for line in open(trace.name, encoding="utf-8", errors="replace"):
                if line.startswith("write(1,"):
                    calls.append(("write", 1))
        return status, shown, calls


status, shown, calls = in_pty(["lines", "200"])
check(status == 0 and shown.replace(b"\r\n", b"\n") == expected_lines(200), "200 lines into a terminal arrive intact")
if have_strace:
    check(calls.count(("write", 1)) == 200, "200 lines into a terminal make 200 writes (made %d)" % calls.count(("write", 1)))

# Reading standard input writes out standard output's buffer first: the prompt shows before the
# read, even into a pipe. Through raw() nothing is flushed: the prompt waits for the answer.
if have_strace:
    proc, calls = traced(["prompt"], input=b"ada", stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=traced_env)
    check(proc.stdout == b"name? hello ada\n", "prompt and answer arrive")
    check(calls[:2] == [("write", 1), ("read", 0)], "the prompt is written before standard input is read: %s" % calls[:3])
    proc, calls = traced(["prompt-raw"], input=b"ada", stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=traced_env)
    check(calls[:1] == [("read", 0)], "reading raw() flushes nothing: %s" % calls[:3])

# A failed flush at exit: status 120 and the operation, the stream and the reason on stderr.
with open("/dev/full", "wb") as full:
    proc = subprocess.run([child, "lines", "200"], stdout=full, stderr=subprocess.PIPE, env=env)
check(proc.returncode == 120, "a failed flush at exit gives status 120 (got %d)" % proc.returncode)
check(proc.stderr == b"io: cannot flush '<stdout>': No space left on device\n",
      "the failure at exit is reported on stderr: %r" % proc.stderr)

# Nothing buffered at exit, nothing to fail: status 0 even on /dev/full.
with open("/dev/full", "wb") as full:
    proc = subprocess.run([child, "lines", "0"], stdout=full, stderr=subprocess.PIPE, env=env)
check(proc.returncode == 0 and proc.stderr == b"", "no output, no failure at exit")

# A flush failure the program saw and handled is still reported at exit: the bytes stay buffered.
with open("/dev/full", "wb") as full:
    proc = subprocess.run([child, "caught", "3"], stdout=full, stderr=subprocess.PIPE, env=env)
check(proc.returncode == 120 and proc.stderr.startswith(b"flush: No space left on device\n"),
      "a caught failure still ends with status 120: %d %r" % (proc.returncode, proc.stderr))

# io and printf interleave as written when each is flushed before the other is used.
proc = subprocess.run([child, "mixed"], stdout=subprocess.PIPE, env=env)
check(proc.stdout == b"io 1\nprintf 2\nio 3\n", "flushed io and printf output interleave in order")

print("standard streams: %d failed" % len(failures))
sys.exit(1 if failures else 0)
