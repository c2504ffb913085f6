"""Run a learner's notebook in a fresh kernel and score it (``netedu check`` and ``netedu grade``).

The notebook is read, never written. Its code cells run one by one in a new
``python3`` kernel whose working folder is the notebook's folder, with
``NETEDU_GRADING=1`` (so the cases kept for grading run too) and
``NETEDU_RESULTS`` naming a temporary file where every ``check(...)`` call
appends its result. Whatever goes wrong (a file that is not a notebook, a
cell that raises, a cell past its time limit, a kernel that dies, the whole
notebook past its cap) becomes one line in ``errors``; the exercises of the
chapter that no check reached score 0.

>>> report = NotebookReport(notebook="x.ipynb", chapter=None, exercises=[], errors=["not a notebook"])
>>> report.to_json()
{'notebook': 'x.ipynb', 'score': 0, 'max_score': 0, 'exercises': [], 'errors': ['not a notebook']}
>>> check_notebook("no/such/file.ipynb")
Traceback (most recent call last):
...
FileNotFoundError: No such notebook: 'no/such/file.ipynb'
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ExerciseScore", "NotebookReport", "check_notebook", "grade_notebooks", "write_csv",
           "feedback_text", "chapter_of", "DEFAULT_CELL_TIMEOUT", "DEFAULT_NOTEBOOK_TIMEOUT"]

DEFAULT_CELL_TIMEOUT = 30.0
DEFAULT_NOTEBOOK_TIMEOUT = 600.0
_CHAPTER = re.compile(r"^(\d\d)-")
_STARTUP_TIMEOUT = 60


@dataclass
class ExerciseScore:
    """The score of one exercise in one notebook.

    >>> ExerciseScore("02.1", 0, 1, False, ["not reached"]).to_json()["passed"]
    False
    """

    id: str
    score: float
    max_score: float
    passed: bool
    messages: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """As a JSON-ready dict with the keys ``id, score, max_score, passed, messages``."""
        return {"id": self.id, "score": _num(self.score), "max_score": _num(self.max_score),
                "passed": self.passed, "messages": list(self.messages)}


@dataclass
class NotebookReport:
    """Everything ``netedu check`` found in one notebook.

    >>> r = NotebookReport("a.ipynb", "02", [ExerciseScore("02.1", 1, 1, True)], [])
    >>> r.score, r.max_score
    (1, 1)
    """

    notebook: str
    chapter: str | None
    exercises: list[ExerciseScore]
    errors: list[str]

    @property
    def score(self) -> float:
        """Total points."""
        return _num(sum(e.score for e in self.exercises))

    @property
    def max_score(self) -> float:
        """Total points possible."""
        return _num(sum(e.max_score for e in self.exercises))

    def to_json(self) -> dict[str, Any]:
        """The object ``netedu check --json`` prints."""
        return {"notebook": self.notebook, "score": self.score, "max_score": self.max_score,
                "exercises": [e.to_json() for e in self.exercises], "errors": list(self.errors)}

    def table(self) -> str:
        """A plain-text score table for people.

        >>> print(NotebookReport("a.ipynb", "02", [ExerciseScore("02.1", 0, 1, False, ["no answer yet"])], []).table())
        a.ipynb: 0/1
          02.1      0/1   not yet  no answer yet
        """
        from netedu.grading.checking import format_points as fp

        lines = [f"{self.notebook}: {fp(self.score)}/{fp(self.max_score)}"]
        for e in self.exercises:
            verdict = "passed " if e.passed else "not yet"
            first = e.messages[0] if e.messages else ""
            more = f" (+{len(e.messages) - 1} more)" if len(e.messages) > 1 else ""
            pts = f"{fp(e.score)}/{fp(e.max_score)}"
            lines.append(f"  {e.id:<7} {pts:>5}   {verdict}  {first}{more}".rstrip())
        if self.errors:
            lines.append("errors:")
            lines.extend(f"  - {err}" for err in self.errors)
        return "\n".join(lines)


def _num(value: float) -> float:
    return int(value) if float(value).is_integer() else round(float(value), 4)


def chapter_of(path: Path, nb: Any = None) -> str | None:
    """The chapter of a notebook: its metadata ``netedu.chapter``, else its name's ``NN-`` prefix.

    >>> chapter_of(Path("02-ip-addresses-and-subnets.ipynb"))
    '02'
    >>> chapter_of(Path("alice.ipynb"), {"metadata": {"netedu": {"chapter": "01"}}})
    '01'
    >>> chapter_of(Path("alice.ipynb")) is None
    True
    """
    if isinstance(nb, dict):
        meta = nb.get("metadata")
        if isinstance(meta, dict) and isinstance(meta.get("netedu"), dict):
            chapter = meta["netedu"].get("chapter")
            if isinstance(chapter, str) and re.fullmatch(r"\d\d", chapter):
                return chapter
    m = _CHAPTER.match(Path(path).name)
    return m.group(1) if m else None


def _read_notebook(path: Path, errors: list[str]) -> Any:
    """Return the notebook node, or None with an entry in ``errors``."""
    import nbformat

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        errors.append("not a notebook: the file is not UTF-8 text")
        return None
    except OSError as exc:
        errors.append(f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        errors.append(f"not a notebook: not valid JSON ({exc.msg} at line {exc.lineno})")
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        errors.append("not a notebook: JSON without a list of cells")
        return None
    if raw.get("nbformat") != 4:
        errors.append(f"not a notebook this tool can run: nbformat {raw.get('nbformat')!r}, expected 4")
        return None
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # noqa: BLE001
        errors.append(f"not a notebook: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
        return None
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
    return nb


def _error_lines(cell: Any, number: int) -> list[str]:
    if "raises-exception" in cell.get("metadata", {}).get("tags", []):
        return []
    out = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            evalue = str(o.get("evalue", "")).strip().splitlines()
            detail = f": {evalue[0][:200]}" if evalue else ""
            out.append(f"cell {number} raised {o.get('ename', 'an error')}{detail}")
    return out


def _run_cells(nb: Any, folder: Path, results_file: Path, cell_timeout: float, notebook_timeout: float,
               errors: list[str]) -> None:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    env = dict(os.environ)
    env.update({"NETEDU_GRADING": "1", "NETEDU_RESULTS": str(results_file), "PYTHONHASHSEED": "0",
                "MPLBACKEND": "Agg"})
    env.pop("JPY_PARENT_PID", None)
    import logging

    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    quiet_log = logging.getLogger("netedu.grading.kernel")
    quiet_log.setLevel(logging.CRITICAL)
    quiet_log.propagate = False
    client = NotebookClient(nb, log=quiet_log, timeout=max(1, int(cell_timeout)), kernel_name="python3", allow_errors=True,
                            interrupt_on_timeout=False, startup_timeout=_STARTUP_TIMEOUT,
                            record_timing=False, shutdown_kernel="immediate", resources={"metadata": {"path": str(folder)}})
    try:
        import subprocess

        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        with client.setup_kernel(env=env, cwd=str(folder), **quiet):
            started = time.monotonic()  # the notebook's time, not the kernel's start-up
            for index, cell in enumerate(nb.cells):
                if cell.get("cell_type") != "code" or not cell.get("source", "").strip():
                    continue
                left = notebook_timeout - (time.monotonic() - started)
                if left <= 0:
                    errors.append(f"stopped at cell {index + 1}: the whole notebook ran longer than "
                                  f"{_num(notebook_timeout)} s; the cells from here on were not run")
                    return
                capped = left < cell_timeout  # the notebook's time runs out before the cell's
                client.timeout = max(1, math.ceil(min(cell_timeout, left)))
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    if capped:
                        errors.append(f"stopped at cell {index + 1}: the whole notebook ran longer than "
                                      f"{_num(notebook_timeout)} s; the cells from here on were not run")
                        return
                    errors.append(f"cell {index + 1} did not finish within {client.timeout} s "
                                  "(an endless loop, or a socket without a timeout?)")
                    if not _recover(client):
                        errors.append(f"the kernel did not respond after cell {index + 1} was stopped; "
                                      "the cells after it were not run")
                        return
                    continue
                except DeadKernelError:
                    errors.append(f"the kernel died while running cell {index + 1} "
                                  "(os._exit, a crash, or too much memory?); the cells after it were not run")
                    return
                errors.extend(_error_lines(cell, index + 1))
    except DeadKernelError:
        errors.append("the kernel died; the cells after it were not run")
    except Exception as exc:  # noqa: BLE001 - kernel start-up problems become an error entry
        text = str(exc).strip().splitlines()
        errors.append(f"could not run the notebook: {type(exc).__name__}" + (f": {text[0][:200]}" if text else ""))


def _recover(client: Any) -> bool:
    """Interrupt the kernel after a time-out; True when it answers a trivial cell again."""
    import nbformat
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from jupyter_core.utils import ensure_async, run_sync

    async def interrupt() -> None:
        await ensure_async(client.km.interrupt_kernel())

    for _ in range(2):
        try:
            run_sync(interrupt)()
        except Exception:  # noqa: BLE001
            return False
        probe = nbformat.v4.new_code_cell("pass")
        client.timeout = 3
        try:
            client.execute_cell(probe, 0)
            return True
        except CellTimeoutError:
            continue
        except (DeadKernelError, Exception):  # noqa: BLE001
            return False
    return False


def _read_results(path: Path) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return found
    for line in lines:
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            found[item["id"]] = item
    return found


def check_notebook(path: str | os.PathLike[str], *, timeout: float = DEFAULT_CELL_TIMEOUT,
                   notebook_timeout: float = DEFAULT_NOTEBOOK_TIMEOUT, chapter: str | None = None,
                   name: str | None = None) -> NotebookReport:
    """Run the notebook at ``path`` in a fresh kernel and score the checks of its chapter.

    ``timeout`` caps each cell, ``notebook_timeout`` the whole run (seconds).
    Raises ``FileNotFoundError`` only when the file is missing; everything else
    is reported in ``errors``.

    >>> check_notebook("no-such-notebook.ipynb")
    Traceback (most recent call last):
    ...
    FileNotFoundError: No such notebook: 'no-such-notebook.ipynb'
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"No such notebook: {str(path)!r}")
    from netedu.grading.registry import exercises_of_chapter

    errors: list[str] = []
    nb = _read_notebook(p, errors)
    ch = chapter or chapter_of(p, nb)
    results: dict[str, dict[str, Any]] = {}
    if nb is not None:
        fd, tmp = tempfile.mkstemp(prefix="netedu-results-", suffix=".jsonl")
        os.close(fd)
        try:
            _run_cells(nb, p.resolve().parent, Path(tmp), timeout, notebook_timeout, errors)
            results = _read_results(Path(tmp))
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    if ch is None:
        seen = sorted({r.split(".")[0] for r in results if re.fullmatch(r"\d\d\.\w+", r)})
        if len(seen) == 1:
            ch = seen[0]
        else:
            errors.append("cannot tell the chapter of this notebook: name it 'NN-....ipynb' "
                          "or pass --chapter NN")
    exercises: list[ExerciseScore] = []
    if ch is not None:
        try:
            registered = exercises_of_chapter(ch)
        except Exception as exc:  # noqa: BLE001
            registered = []
            errors.append(f"cannot load the exercises of chapter {ch}: {type(exc).__name__}: {exc}")
        for ex in registered:
            got = results.get(ex.id)
            if got is None:
                exercises.append(ExerciseScore(ex.id, 0, ex.max_score, False,
                                               [f'not reached: check("{ex.id}", ...) did not run']))
                continue
            try:
                score = max(0.0, min(float(got.get("score", 0)), float(ex.max_score)))
            except (TypeError, ValueError):
                score = 0.0
            messages = [str(m) for m in got.get("messages", []) if isinstance(m, (str, int, float))]
            exercises.append(ExerciseScore(ex.id, score, ex.max_score,
                                           bool(got.get("passed")) and score >= ex.max_score, messages))
    return NotebookReport(notebook=name if name is not None else str(path), chapter=ch,
                          exercises=exercises, errors=errors)


def _check_one(args: tuple[str, float, float, str | None]) -> NotebookReport:
    path, timeout, notebook_timeout, chapter = args
    try:
        return check_notebook(path, timeout=timeout, notebook_timeout=notebook_timeout, chapter=chapter)
    except FileNotFoundError:
        return NotebookReport(notebook=path, chapter=chapter, exercises=[], errors=["file not found"])
    except Exception as exc:  # noqa: BLE001 - one broken submission costs only its row
        return NotebookReport(notebook=path, chapter=chapter, exercises=[],
                              errors=[f"could not check: {type(exc).__name__}: {exc}"])


def grade_notebooks(paths: list[str], *, jobs: int = 2, timeout: float = DEFAULT_CELL_TIMEOUT,
                    notebook_timeout: float = DEFAULT_NOTEBOOK_TIMEOUT,
                    chapter: str | None = None) -> list[NotebookReport]:
    """Check every notebook, ``jobs`` kernels at a time; reports come back in the order given.

    >>> grade_notebooks([])
    []
    """
    if not paths:
        return []
    work = [(str(p), timeout, notebook_timeout, chapter) for p in paths]
    if jobs <= 1 or len(paths) == 1:
        return [_check_one(w) for w in work]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("spawn")
    reports: list[NotebookReport | None] = [None] * len(work)
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=ctx) as pool:
            futures = [pool.submit(_check_one, w) for w in work]
            for i, fut in enumerate(futures):
                try:
                    reports[i] = fut.result()
                except Exception:  # noqa: BLE001 - a worker that died: redo its notebook below
                    reports[i] = None
    except Exception:  # noqa: BLE001 - the pool itself broke: the rest is checked one by one
        pass
    return [r if r is not None else _check_one(w) for r, w in zip(reports, work)]


def write_csv(reports: list[NotebookReport], out: str | os.PathLike[str]) -> list[str]:
    """Write one row per report to ``out`` atomically (temp file + rename); return the exercise columns.

    Columns: ``file, total, max``, one per exercise id, ``errors``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     cols = write_csv([NotebookReport("a.ipynb", "02", [ExerciseScore("02.1", 1, 2, False)], ["x"])],
    ...                      Path(d) / "g.csv")
    ...     print((Path(d) / "g.csv").read_text(), end="")
    file,total,max,02.1,errors
    a.ipynb,1,2,1,x
    """
    ids: list[str] = []
    for r in reports:
        for e in r.exercises:
            if e.id not in ids:
                ids.append(e.id)
    ids.sort(key=lambda i: [int(x) if x.isdigit() else x for x in i.split(".")])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["file", "total", "max", *ids, "errors"])
    for r in reports:
        by_id = {e.id: e for e in r.exercises}
        w.writerow([r.notebook, _num(r.score), _num(r.max_score),
                    *[_num(by_id[i].score) if i in by_id else "" for i in ids], " | ".join(r.errors)])
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(buf.getvalue())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it 0600; a grades file is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return ids


def feedback_text(report: NotebookReport) -> str:
    """Per-student feedback in Markdown: points and messages per exercise, never test code.

    >>> print(feedback_text(NotebookReport("alice.ipynb", "02", [ExerciseScore("02.1", 0, 1, False, ["got 'B'"])], [])))
    # Feedback: alice.ipynb
    <BLANKLINE>
    Total: 0/1
    <BLANKLINE>
    ## 02.1: 0/1 (not yet)
    <BLANKLINE>
    - got 'B'
    <BLANKLINE>
    """
    from netedu.grading.checking import format_points as fp

    lines = [f"# Feedback: {Path(report.notebook).name}", "", f"Total: {fp(report.score)}/{fp(report.max_score)}", ""]
    for e in report.exercises:
        lines.append(f"## {e.id}: {fp(e.score)}/{fp(e.max_score)} ({'passed' if e.passed else 'not yet'})")
        lines.append("")
        lines.extend(f"- {m}" for m in e.messages)
        if e.messages:
            lines.append("")
    if report.errors:
        lines.append("## Problems while running the notebook")
        lines.append("")
        lines.extend(f"- {err}" for err in report.errors)
        lines.append("")
    return "\n".join(lines)
