#!/usr/bin/env python3
"""Benchmark ``netedu grade``: 30 copies of a solution notebook, ``--jobs 2``.

Prints the median wall-clock time per submission over several runs, and, as a
reference measured in the same run, the median time of ``netedu check`` on one
copy alone (one kernel, serially): the ratio says what the pool buys.

Usage: python bench/grade.py [--copies 30] [--jobs 2] [--runs 3] [--notebook solutions/02-....ipynb]
Never part of the test run.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=30)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--notebook", type=Path, default=ROOT / "solutions" / "02-ip-addresses-and-subnets.ipynb")
    a = ap.parse_args()
    netedu = [sys.executable, "-m", "netedu.cli"]
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        names = []
        for i in range(a.copies):
            name = f"student{i:02d}.ipynb"
            shutil.copyfile(a.notebook, folder / name)
            names.append(name)
        chapter = a.notebook.name[:2]
        single, per_submission = [], []
        for run in range(a.runs):
            single.append(timed([*netedu, "check", "--chapter", chapter, "--json", names[0]], folder))
            total = timed([*netedu, "grade", *names, "--out", "grades.csv", "--jobs", str(a.jobs),
                           "--chapter", chapter], folder)
            per_submission.append(total / a.copies)
            rows = list(csv.DictReader((folder / "grades.csv").open()))
            full = sum(r["total"] == r["max"] and not r["errors"] for r in rows)
            print(f"run {run + 1}: grade {total:.1f} s for {a.copies} ({total / a.copies:.2f} s each, "
                  f"{full}/{len(rows)} full marks); check alone {single[-1]:.2f} s")
    med_one, med_each = statistics.median(single), statistics.median(per_submission)
    print(f"notebook: {a.notebook.relative_to(ROOT) if a.notebook.is_relative_to(ROOT) else a.notebook}")
    print(f"median per submission (grade --jobs {a.jobs}, {a.copies} copies): {med_each:.2f} s")
    print(f"median netedu check of one notebook alone: {med_one:.2f} s")
    print(f"ratio per-submission / single check: {med_each / med_one:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
