#!/usr/bin/env python3
"""Solve OR-Library's assignment problems (assign100 ... assign800) with the mcf crate and compare each optimum
with the one OR-Library publishes.

No package registry carries these files, and the machines this project is built on reach registries only, so
this script does not download them: fetch them by hand from OR-Library (J. E. Beasley, "assigninfo", files
assign100.txt ... assign800.txt) into a folder, then run

    python3 crates/mcf/scripts/orlib_assign.py FOLDER [--keep-dimacs]

from the repository root. For each file found it checks the format (n, then n*n integer costs), computes a
hash of its numbers (sha256 of the numbers joined by single spaces, so that line endings and layout do not
matter) and compares it with the one recorded below where there is one, writes the network as DIMACS
(one unit from each row to each column), solves it with `cargo run --release -p mcf --example dimacs`, and
checks the optimum. Exit status 1 if any check fails.

Only assign100's hash is recorded: it is the copy kept in crates/mcf/tests/data. For the larger files the
script prints the hash it computed, so that the first run can record it here.
"""
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

# OR-Library's assigninfo: the optimal value of each file (Beasley, J. Oper. Res. Soc. 41, 1990, Table 2).
PUBLISHED = {100: 305, 200: 475, 300: 626, 400: 804, 500: 991, 600: 1176, 700: 1362, 800: 1552}
NUMBERS_SHA256 = {100: "6fddb4e4f70813335ccefe60f5938704380f229199fda901a1a8f96e0da4c2d2"}


def numbers_hash(numbers: list[int]) -> str:
    return hashlib.sha256(" ".join(map(str, numbers)).encode()).hexdigest()


def as_dimacs(numbers: list[int]) -> str:
    n = numbers[0]
    lines = [f"c OR-Library assign{n}", f"p min {2 * n} {n * n}"]
    lines += [f"n {i + 1} 1" for i in range(n)] + [f"n {n + j + 1} -1" for j in range(n)]
    for i in range(n):
        row = numbers[1 + i * n : 1 + (i + 1) * n]
        lines += [f"a {i + 1} {n + j + 1} 0 1 {c}" for j, c in enumerate(row)]
    return "\n".join(lines) + "\n"


def check(path: Path, size: int, out_dir: Path) -> bool:
    numbers = [int(w) for w in path.read_text().split()]
    if not numbers or numbers[0] != size or len(numbers) != 1 + size * size:
        print(f"{path}: not an {size}x{size} assignment file")
        return False
    digest = numbers_hash(numbers)
    known = NUMBERS_SHA256.get(size)
    if known is not None and digest != known:
        print(f"{path}: numbers sha256 {digest}, expected {known}")
        return False
    dimacs = out_dir / f"assign{size}.dimacs"
    dimacs.write_text(as_dimacs(numbers))
    run = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "-p", "mcf", "--example", "dimacs", "--", str(dimacs)],
        capture_output=True,
        text=True,
    )
    fields = run.stdout.split()
    cost = int(fields[fields.index("min_cost") + 1]) if "min_cost" in fields else None
    ok = cost == PUBLISHED[size]
    print(f"assign{size}: numbers sha256 {digest}{'' if known else ' (not recorded)'}; {run.stdout.strip()}; "
          f"published {PUBLISHED[size]}: {'ok' if ok else 'MISMATCH'}")
    return ok


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    folder = Path(args[0])
    keep = "--keep-dimacs" in sys.argv
    found = [(size, folder / f"assign{size}.txt") for size in PUBLISHED if (folder / f"assign{size}.txt").exists()]
    if not found:
        sys.exit(f"no assign*.txt in {folder}")
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = folder if keep else Path(tmp)
        results = [check(path, size, out_dir) for size, path in found]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
