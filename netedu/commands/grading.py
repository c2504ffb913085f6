"""``netedu check``, ``netedu grade`` and ``netedu make-exercises``: the grading commands.

``check`` runs one learner's notebook in a fresh kernel and prints its score
table (``--json`` for one JSON object); ``grade`` does it for a whole class and
writes a CSV; ``make-exercises`` writes ``exercises/`` from ``solutions/``.
A notebook that is broken or hangs is reported in its ``errors``, with exit
status 0: only bad arguments or a missing file give 2.

>>> import argparse
>>> sub = argparse.ArgumentParser().add_subparsers()
>>> register(sub)
>>> sorted(sub.choices)
['check', 'grade', 'make-exercises']
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def _error(message: str) -> None:
    print(f"netedu: {message}", file=sys.stderr)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of jobs, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 job, got {text!r}")
    return value


def _chapter(text: str) -> str:
    if len(text) == 2 and text.isdigit():
        return text
    raise argparse.ArgumentTypeError(f"expected a chapter like '02', got {text!r}")


def run_check(args: argparse.Namespace) -> int:
    """Run ``netedu check NOTEBOOK``; a missing file is bad input (status 2).

    >>> run_check(argparse.Namespace(notebook="no-such-notebook.ipynb"))
    2
    """
    from netedu.grading.runner import check_notebook

    path = Path(args.notebook)
    if not path.is_file():
        _error(f"no such notebook: {args.notebook!r}")
        return 2
    report = check_notebook(path, timeout=args.timeout, notebook_timeout=args.notebook_timeout,
                            chapter=args.chapter, name=args.notebook)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(report.table())
    return 0


def run_grade(args: argparse.Namespace) -> int:
    """Run ``netedu grade NOTEBOOK... --out grades.csv``; nothing is graded if a file is missing.

    >>> run_grade(argparse.Namespace(notebooks=["no-such-notebook.ipynb"], out="grades.csv"))
    2
    """
    from netedu.grading.runner import feedback_text, grade_notebooks, write_csv

    missing = [n for n in args.notebooks if not Path(n).is_file()]
    if missing:
        _error(f"no such notebook: {missing[0]!r}" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
        return 2
    out = Path(args.out)
    if out.is_dir():
        _error(f"--out {args.out!r} is a folder; give a file name like grades.csv")
        return 2
    # Refuse an output that cannot be written before grading a whole class, not after.
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        _error(f"--out {args.out!r}: the folder {str(parent)!r} does not exist")
        return 2
    if not os.access(parent, os.W_OK):
        _error(f"--out {args.out!r}: the folder {str(parent)!r} is not writable")
        return 2
    reports = grade_notebooks(list(args.notebooks), jobs=args.jobs, timeout=args.timeout,
                              notebook_timeout=args.notebook_timeout, chapter=args.chapter)
    try:
        write_csv(reports, out)
        if args.feedback:
            folder = Path(args.feedback)
            folder.mkdir(parents=True, exist_ok=True)
            used: set[str] = set()
            for r in reports:
                stem = Path(r.notebook).stem or "notebook"
                name, n = stem, 1
                while name in used:
                    n += 1
                    name = f"{stem}-{n}"
                used.add(name)
                (folder / f"{name}.md").write_text(feedback_text(r), encoding="utf-8")
    except OSError as exc:
        _error(f"cannot write the grades: {exc.strerror or exc} ({exc.filename or args.out})")
        return 2
    from netedu.grading.checking import format_points as fp

    for r in reports:
        note = f"  ({len(r.errors)} error(s))" if r.errors else ""
        print(f"{r.notebook}: {fp(r.score)}/{fp(r.max_score)}{note}")
    print(f"netedu: wrote {out} ({len(reports)} submission(s))")
    return 0


def run_make_exercises(args: argparse.Namespace) -> int:
    """Run ``netedu make-exercises``; a missing solutions folder is bad input (status 2).

    >>> run_make_exercises(argparse.Namespace(solutions="no-such-folder", out="exercises"))
    2
    """
    from netedu.errors import ExerciseError
    from netedu.grading.generate import generate

    try:
        written = generate(Path(args.solutions), Path(args.out))
    except ExerciseError as exc:
        _error(str(exc))
        return 2
    except OSError as exc:
        _error(f"cannot write the exercises: {exc.strerror or exc} ({exc.filename or args.out})")
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``netedu check``, ``netedu grade`` and ``netedu make-exercises``.

    >>> parser = argparse.ArgumentParser(prog="netedu")
    >>> register(parser.add_subparsers())
    >>> args = parser.parse_args(["grade", "a.ipynb", "b.ipynb", "--out", "g.csv", "--jobs", "2"])
    >>> args.notebooks, args.out, args.jobs
    (['a.ipynb', 'b.ipynb'], 'g.csv', 2)
    """
    p = sub.add_parser("check", help="run a learner's notebook in a fresh kernel and print its score")
    p.add_argument("notebook", help="the notebook (.ipynb) to check; it is never modified")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--timeout", type=_positive, default=30.0, help="seconds allowed per cell (default 30)")
    p.add_argument("--notebook-timeout", type=_positive, default=600.0,
                   help="seconds allowed for the whole notebook (default 600)")
    p.add_argument("--chapter", type=_chapter, default=None,
                   help="the chapter (NN) when the file name does not start with it")
    p.set_defaults(func=run_check)

    g = sub.add_parser("grade", help="check many notebooks and write a CSV of scores")
    g.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="the submissions (.ipynb)")
    g.add_argument("--out", required=True, help="the CSV file to write (replaced atomically)")
    g.add_argument("--jobs", type=_jobs, default=2, help="kernels run at once (default 2)")
    g.add_argument("--timeout", type=_positive, default=30.0, help="seconds allowed per cell (default 30)")
    g.add_argument("--notebook-timeout", type=_positive, default=600.0,
                   help="seconds allowed per notebook (default 600)")
    g.add_argument("--chapter", type=_chapter, default=None,
                   help="the chapter (NN) of every submission, when it cannot be told otherwise")
    g.add_argument("--feedback", metavar="DIR", default=None,
                   help="write one Markdown feedback file per submission into DIR")
    g.set_defaults(func=run_grade)

    m = sub.add_parser("make-exercises", help="write exercises/ from solutions/ (solutions stripped)")
    m.add_argument("--solutions", default="solutions", help="folder of solution notebooks (default solutions/)")
    m.add_argument("--out", default="exercises", help="folder to write the exercises to (default exercises/)")
    m.set_defaults(func=run_make_exercises)
