"""``netedu check`` and ``netedu grade`` on good, partial, broken and hanging notebooks."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "solutions" / "01-networks-layers-ports.ipynb"


def netedu(*args: str, cwd: Path | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "netedu.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd or ROOT)


def _edit(src: Path, dest: Path, change) -> Path:
    nb = nbformat.read(str(src), as_version=4)
    change(nb)
    nbformat.write(nb, str(dest))
    return dest


def _replace_source(old: str, new: str):
    def change(nb):
        hits = [c for c in nb.cells if old in c.source]
        assert hits, old
        for c in hits:
            c.source = c.source.replace(old, new)
    return change


def _insert_after(marker: str, source: str):
    def change(nb):
        i = next(i for i, c in enumerate(nb.cells) if marker in c.source)
        nb.cells.insert(i + 1, nbformat.v4.new_code_cell(source))
    return change


@pytest.fixture(scope="module")
def submissions(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("class")
    shutil.copy(SOLUTION, d / "good.ipynb")
    _edit(SOLUTION, d / "partial.ipynb",
          _replace_source('headers = ["Ethernet", "IP", "UDP", "TFTP"]', 'headers = ["TFTP", "UDP", "IP", "Ethernet"]'))
    (d / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    _edit(SOLUTION, d / "hanging.ipynb", _insert_after('check("01.1", layers)', "while True:\n    pass"))
    return d


def test_check_missing_file_exits_2(tmp_path):
    out = netedu("check", str(tmp_path / "nope.ipynb"))
    assert out.returncode == 2
    assert out.stderr == f"netedu: no such notebook: {str(tmp_path / 'nope.ipynb')!r}\n"


def test_check_bad_timeout_exits_2():
    out = netedu("check", "--timeout", "-1", str(SOLUTION))
    assert out.returncode == 2


def test_check_not_json_is_an_error_entry(tmp_path):
    bad = tmp_path / "01-broken.ipynb"
    bad.write_text("this is not json", encoding="utf-8")
    out = netedu("check", "--json", str(bad))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert set(report) == {"notebook", "score", "max_score", "exercises", "errors"}
    assert report["errors"] == ["not a notebook: not valid JSON (Expecting value at line 1)"]
    assert report["score"] == 0 and report["max_score"] == 31
    assert [e["id"] for e in report["exercises"]] == ["01.1", "01.2", "01.3", "01.4"]
    assert report["exercises"][0] == {"id": "01.1", "score": 0, "max_score": 8, "passed": False,
                                      "messages": ['not reached: check("01.1", ...) did not run']}


def test_check_wrong_format_json(tmp_path):
    bad = tmp_path / "01-list.ipynb"
    bad.write_text("[1, 2]", encoding="utf-8")
    report = json.loads(netedu("check", "--json", str(bad)).stdout)
    assert report["errors"] == ["not a notebook: JSON without a list of cells"]


def test_check_errors_timeouts_and_dead_kernel(tmp_path):
    def change(nb):
        nb.cells.insert(2, nbformat.v4.new_code_cell("1 / 0"))
        nb.cells.insert(5, nbformat.v4.new_code_cell("import time\nwhile True:\n    time.sleep(0.05)"))
        nb.cells.append(nbformat.v4.new_code_cell("import os\nos._exit(3)"))
        nb.cells.append(nbformat.v4.new_code_cell("print('never')"))

    path = _edit(SOLUTION, tmp_path / "01-mixed.ipynb", change)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    out = netedu("check", "--json", "--timeout", "3", str(path))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["errors"] == [
        "cell 3 raised ZeroDivisionError: division by zero",
        "cell 6 did not finish within 3 s (an endless loop, or a socket without a timeout?)",
        f"the kernel died while running cell {len(nbformat.read(str(path), 4).cells) - 1} "
        "(os._exit, a crash, or too much memory?); the cells after it were not run",
    ]
    assert report["score"] == report["max_score"] == 31, "the rest still counts"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before, "the learner's notebook was written"


def test_check_kernel_that_ignores_interrupt_and_notebook_cap(tmp_path):
    stubborn = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    path = _edit(SOLUTION, tmp_path / "01-stubborn.ipynb", _insert_after('check("01.1", layers)', stubborn))
    report = json.loads(netedu("check", "--json", "--timeout", "2", str(path)).stdout)
    assert report["errors"] == [
        "cell 6 did not finish within 2 s (an endless loop, or a socket without a timeout?)",
        "the kernel did not respond after cell 6 was stopped; the cells after it were not run",
    ]
    assert [e["score"] for e in report["exercises"]] == [8, 0, 0, 0]

    sleepy = _edit(SOLUTION, tmp_path / "01-sleepy.ipynb",
                   _insert_after("from netedu import check", "import time\ntime.sleep(2.5)"))
    report = json.loads(netedu("check", "--json", "--timeout", "10", "--notebook-timeout", "2", str(sleepy)).stdout)
    assert report["errors"][-1].endswith("the whole notebook ran longer than 2 s; the cells from here on were not run")
    assert report["score"] == 0


def test_check_table_output():
    out = netedu("check", str(SOLUTION))
    assert out.returncode == 0
    assert out.stdout.splitlines()[0] == f"{SOLUTION}: 31/31"
    assert "01.4    15/15   passed" in out.stdout


def test_grade_mixed_class(submissions, tmp_path):
    names = ["good.ipynb", "partial.ipynb", "broken.ipynb", "hanging.ipynb"]
    out_csv = tmp_path / "grades.csv"
    feedback = tmp_path / "feedback"
    out = netedu("grade", *names, "--out", str(out_csv), "--jobs", "2", "--timeout", "3",
                 "--chapter", "01", "--feedback", str(feedback), cwd=submissions)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert list(rows[0]) == ["file", "total", "max", "01.1", "01.2", "01.3", "01.4", "errors"]
    table = {r["file"]: r for r in rows}
    assert [r["file"] for r in rows] == names
    assert table["good.ipynb"] == {"file": "good.ipynb", "total": "31", "max": "31", "01.1": "8", "01.2": "6",
                                   "01.3": "2", "01.4": "15", "errors": ""}
    assert (table["partial.ipynb"]["total"], table["partial.ipynb"]["01.3"]) == ("29", "0")
    assert table["broken.ipynb"]["total"] == "0" and table["broken.ipynb"]["01.1"] == "0"
    assert table["broken.ipynb"]["errors"].startswith("not a notebook: not valid JSON")
    assert table["hanging.ipynb"]["total"] == "31"
    assert table["hanging.ipynb"]["errors"] == "cell 6 did not finish within 3 s (an endless loop, or a socket without a timeout?)"
    assert sorted(os.listdir(tmp_path)) == ["feedback", "grades.csv"], "no temporary file left behind"
    assert sorted(p.name for p in feedback.iterdir()) == ["broken.md", "good.md", "hanging.md", "partial.md"]
    partial = (feedback / "partial.md").read_text(encoding="utf-8")
    assert "## 01.3: 0/2 (not yet)" in partial and "not the right answer" in partial
    every = "".join(p.read_text(encoding="utf-8") for p in feedback.iterdir())
    for secret in ("def ", "answer_digest", "port_range_reference", "_case(", "hidden case 1: expected"):
        assert secret not in every


def test_grade_missing_file_exits_2(tmp_path):
    out = netedu("grade", str(tmp_path / "nope.ipynb"), "--out", str(tmp_path / "g.csv"))
    assert out.returncode == 2 and not (tmp_path / "g.csv").exists()
    assert netedu("grade", str(SOLUTION)).returncode == 2  # --out is required


def test_chapter_from_metadata_or_from_the_checks(tmp_path):
    shutil.copy(ROOT / "exercises" / SOLUTION.name, tmp_path / "alice.ipynb")  # carries netedu.chapter
    shutil.copy(SOLUTION, tmp_path / "bob.ipynb")  # no metadata: the ids its checks ran tell
    (tmp_path / "carol.ipynb").write_text("{}", encoding="utf-8")
    out = netedu("grade", "alice.ipynb", "bob.ipynb", "carol.ipynb", "--out", "g.csv", "--jobs", "1", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    rows = {r["file"]: r for r in csv.DictReader((tmp_path / "g.csv").open(encoding="utf-8"))}
    assert (rows["alice.ipynb"]["total"], rows["alice.ipynb"]["max"], rows["alice.ipynb"]["errors"]) == ("0", "31", "")
    assert (rows["bob.ipynb"]["total"], rows["bob.ipynb"]["max"]) == ("31", "31")
    assert rows["carol.ipynb"]["01.1"] == "" and rows["carol.ipynb"]["errors"] == (
        "not a notebook: JSON without a list of cells | cannot tell the chapter of this notebook: "
        "name it 'NN-....ipynb' or pass --chapter NN")
