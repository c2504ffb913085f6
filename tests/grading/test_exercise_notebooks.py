"""Every chapter's exercises, generically: parametrised over ``solutions/*.ipynb``.

* every check passes on the solution notebook (full score through ``netedu check --json``);
* the generated exercise notebook runs top to bottom with no error and every check scores 0;
* the committed ``exercises/`` equal a fresh ``make-exercises``, byte for byte;
* no line of a solution region appears in the exercise.

The notebooks run once per session, two at a time, through the real command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from netedu.grading.generate import BEGIN, END, generate
from netedu.grading.registry import exercises_of_chapter

pytestmark = pytest.mark.timeout(900)  # the module's fixture runs every chapter's notebooks

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
NAMES = [p.name for p in SOLUTIONS]


def _netedu_check(path: Path) -> tuple[int, dict, str]:
    out = subprocess.run([sys.executable, "-m", "netedu.cli", "check", "--json", "--timeout", "60", str(path)],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    try:
        report = json.loads(out.stdout)
    except json.JSONDecodeError:
        report = {}
    return out.returncode, report, out.stderr


@pytest.fixture(scope="module")
def reports() -> dict[str, tuple[int, dict, str]]:
    paths = SOLUTIONS + [ROOT / "exercises" / p.name for p in SOLUTIONS if (ROOT / "exercises" / p.name).exists()]
    with ThreadPoolExecutor(max_workers=2) as pool:
        got = list(pool.map(_netedu_check, paths))
    return {str(p.relative_to(ROOT)): r for p, r in zip(paths, got)}


def _chapter(name: str) -> str:
    return name[:2]


def test_there_are_solutions():
    assert NAMES, "no solutions/*.ipynb"


@pytest.mark.parametrize("name", NAMES)
def test_solution_gets_full_score(reports, name):
    code, report, stderr = reports[f"solutions/{name}"]
    assert code == 0, stderr
    assert report["errors"] == []
    ids = [e.id for e in exercises_of_chapter(_chapter(name))]
    assert ids, f"chapter {_chapter(name)} registers no exercises"
    assert [e["id"] for e in report["exercises"]] == ids
    failed = {e["id"]: e["messages"] for e in report["exercises"] if not e["passed"] or e["score"] != e["max_score"]}
    assert failed == {}
    assert report["score"] == report["max_score"] > 0


@pytest.mark.parametrize("name", NAMES)
def test_exercise_runs_and_scores_zero(reports, name):
    key = f"exercises/{name}"
    assert key in reports, f"{key} missing: run netedu make-exercises"
    code, report, stderr = reports[key]
    assert code == 0, stderr
    assert report["errors"] == [], "the exercise notebook must run top to bottom without an error"
    assert report["max_score"] > 0
    scored = {e["id"]: e["score"] for e in report["exercises"] if e["score"] != 0}
    assert scored == {}
    reached = [e["id"] for e in report["exercises"] if any(m.startswith("not reached") for m in e["messages"])]
    assert reached == [], "every check of the exercise notebook must run (and score 0)"


def test_committed_exercises_equal_a_fresh_generation(tmp_path):
    fresh = generate(ROOT / "solutions", tmp_path)
    assert sorted(p.name for p in fresh) == sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb")), \
        "exercises/ and solutions/ hold different notebooks: run netedu make-exercises"
    stale = [p.name for p in fresh if p.read_bytes() != (ROOT / "exercises" / p.name).read_bytes()]
    assert stale == [], "exercises/ is stale: run netedu make-exercises"


def _solution_lines(nb: dict) -> list[str]:
    lines: list[str] = []
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown" and "solution" in cell.get("metadata", {}).get("tags", []):
            lines.extend(src.splitlines())
            continue
        inside = False
        for line in src.splitlines():
            if line.strip() == BEGIN:
                inside = True
            elif line.strip() == END:
                inside = False
            elif inside:
                lines.append(line)
    return lines


def _trivial(line: str) -> bool:
    text = line.strip()
    return len(text) < 6 or text.startswith("#") or text in {"return None", "else:", "pass", "continue", "break"}


@pytest.mark.parametrize("name", NAMES)
def test_no_solution_text_leaks(name):
    sol = json.loads((ROOT / "solutions" / name).read_text(encoding="utf-8"))
    ex_path = ROOT / "exercises" / name
    assert ex_path.exists()
    ex = json.loads(ex_path.read_text(encoding="utf-8"))
    ex_lines = set()
    for cell in ex["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        ex_lines.update(line.strip() for line in src.splitlines())
        assert not cell.get("outputs"), f"{name}: an exercise cell kept its outputs"
    leaked = [line.strip() for line in _solution_lines(sol) if not _trivial(line) and line.strip() in ex_lines]
    assert leaked == []
    assert BEGIN not in ex_path.read_text(encoding="utf-8")
