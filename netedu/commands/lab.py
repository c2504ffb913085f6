"""``netedu lab``: copy the course into a folder and open it in JupyterLab.

A learner's work is never overwritten: a notebook already in the folder is
left as it is, and only missing files are copied.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

COURSE_FOLDERS = ("notebooks", "exercises")
START_PAGE = "notebooks/00-start-here.ipynb"


def course_root() -> Path:
    """Return the folder that holds the course's ``notebooks/`` and ``exercises/``.

    In a checkout (an editable install) it is the repository root; a wheel
    installs them under ``<prefix>/share/netedu``.

    >>> (course_root() / "notebooks").is_dir()
    True
    """
    here = Path(__file__).resolve().parent.parent.parent
    if (here / "notebooks").is_dir():
        return here
    return Path(sys.prefix) / "share" / "netedu"


def copy_course(dest: Path, source: Path | None = None) -> list[Path]:
    """Copy the course's notebooks into ``dest``; return the files copied.

    Files that already exist in ``dest`` are kept, never overwritten.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     first = copy_course(Path(d))
    ...     again = copy_course(Path(d))
    >>> len(first) > 0, again
    (True, [])
    """
    source = source or course_root()
    copied = []
    for folder in COURSE_FOLDERS:
        for src in sorted((source / folder).glob("*.ipynb")):
            target = dest / folder / src.name
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
            copied.append(target)
    return copied


def run(args: argparse.Namespace) -> int:
    """Copy the course into ``args.dir`` and run JupyterLab there; return its exit status.

    A ``--dir`` that is a file, not a folder, prints one ``netedu:`` line on
    stderr and returns 2 (nothing copied, JupyterLab not started).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as f:
    ...     run(argparse.Namespace(dir=f.name, port=8888, no_browser=True))
    2
    """
    dest = Path(args.dir).expanduser()
    if dest.exists() and not dest.is_dir():
        print(f"netedu: --dir {str(dest)!r} exists and is not a folder", file=sys.stderr)
        return 2
    copied = copy_course(dest)
    print(f"netedu: {len(copied)} notebook(s) copied into {dest} (your own files are kept)")
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--ip=127.0.0.1",
        f"--port={args.port}",
        f"--ServerApp.root_dir={dest.resolve()}",
        f"--LabApp.default_url=/lab/tree/{START_PAGE}",
    ]
    if args.no_browser:
        cmd.append("--no-browser")
    sys.stdout.flush()
    # Become JupyterLab (exec, not a child process), so that Ctrl-C and a terminate signal
    # reach the server directly and nothing is left running.
    os.execv(sys.executable, cmd)
    return 0  # not reached


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``netedu lab`` to the command's parser.

    >>> p = argparse.ArgumentParser(prog="netedu"); register(p.add_subparsers())
    >>> a = p.parse_args(["lab", "--dir", "course", "--no-browser"])
    >>> a.dir, a.port, a.no_browser
    ('course', 8888, True)
    """
    p = sub.add_parser("lab", help="copy the course into a folder and open it in JupyterLab")
    p.add_argument("--dir", default="netedu-course", help="where to put the course (default ./netedu-course)")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.add_argument("--port", type=int, default=8888, help="port for JupyterLab on 127.0.0.1 (default 8888)")
    p.set_defaults(func=run)
