"""``make-exercises``: placeholders, tags, cleared outputs, refused markers, stable bytes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netedu.errors import ExerciseError
from netedu.grading.generate import ANSWER_PROMPT, PLACEHOLDER, generate, make_exercise, strip_solution


def _nb(*cells):
    out = []
    for i, (kind, source, tags) in enumerate(cells):
        cell = {"cell_type": kind, "id": f"cell-{i:03d}", "metadata": {"tags": tags} if tags else {},
                "source": source}
        if kind == "code":
            cell.update(execution_count=i + 1, outputs=[{"output_type": "stream", "name": "stdout", "text": "42\n"}])
        out.append(cell)
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3"}}, "cells": out}


def test_function_body_becomes_raise_at_its_indentation():
    src = ("class Box:\n    def size(self):\n        ### BEGIN SOLUTION\n        x = 2\n        return x\n"
           "        ### END SOLUTION\n\nprint(Box)")
    assert strip_solution(src, where="t") == f"class Box:\n    def size(self):\n        {PLACEHOLDER}\n\nprint(Box)"


def test_region_after_code_in_a_function():
    src = "def f(a):\n    b = a + 1\n    ### BEGIN SOLUTION\n    return b * 2\n    ### END SOLUTION"
    assert strip_solution(src, where="t") == f"def f(a):\n    b = a + 1\n    {PLACEHOLDER}"


def test_top_level_region_keeps_each_assigned_name_once():
    src = "### BEGIN SOLUTION\na, (b, c) = 1, (2, 3)\nn: int = 4\na += 1\nd = e = 5\n### END SOLUTION\ncheck('01.1', a)"
    assert strip_solution(src, where="t") == "a = ...\nb = ...\nc = ...\nn = ...\nd = ...\ne = ...\ncheck('01.1', a)"


def test_top_level_region_without_assignment_becomes_pass():
    assert strip_solution("### BEGIN SOLUTION\nprint(1)\n### END SOLUTION", where="t") == "pass"


def test_region_inside_a_top_level_block_keeps_indentation():
    src = "if True:\n    ### BEGIN SOLUTION\n    mask = '255.0.0.0'\n    ### END SOLUTION"
    assert strip_solution(src, where="t") == "if True:\n    mask = ..."


def test_two_regions_in_one_cell():
    src = "### BEGIN SOLUTION\nx = 1\n### END SOLUTION\ny = 2\n### BEGIN SOLUTION\nz = 3\n### END SOLUTION"
    assert strip_solution(src, where="t") == "x = ...\ny = 2\nz = ..."


@pytest.mark.parametrize("source, message", [
    ("### BEGIN SOLUTION\nx = 1",
     "02-demo.ipynb cell 2 (id cell-001): '### BEGIN SOLUTION' on line 1 is never closed by '### END SOLUTION'"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n### END SOLUTION",
     "02-demo.ipynb cell 2 (id cell-001): '### BEGIN SOLUTION' on line 2 is nested inside the region opened "
     "on line 1; close it with '### END SOLUTION' first"),
    ("x = 1\n### END SOLUTION",
     "02-demo.ipynb cell 2 (id cell-001): '### END SOLUTION' on line 2 has no '### BEGIN SOLUTION' before it"),
])
def test_bad_markers_are_refused_naming_file_and_cell(source, message):
    nb = _nb(("markdown", "# Title", []), ("code", source, []))
    with pytest.raises(ExerciseError) as info:
        make_exercise(nb, name="02-demo.ipynb")
    assert str(info.value) == message


def test_tags_outputs_and_metadata():
    nb = _nb(("markdown", "Task", []), ("markdown", "The answer is 42", ["solution"]),
             ("code", "secret = 1", ["remove-in-exercise"]),
             ("code", "### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION\nprint(answer)", ["nbval-ignore-output"]))
    nb["cells"][3]["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01"}
    ex = make_exercise(nb, name="01-demo.ipynb")
    assert [c["source"] for c in ex["cells"]] == ["Task", ANSWER_PROMPT, "answer = ...\nprint(answer)"]
    code = ex["cells"][2]
    assert code["outputs"] == [] and code["execution_count"] is None
    assert code["metadata"] == {"tags": ["nbval-ignore-output"]}
    assert ex["metadata"]["netedu"] == {"chapter": "01"}
    assert nb["cells"][3]["outputs"], "the solution notebook itself is not modified"


def test_generate_is_deterministic_and_checks_before_writing(tmp_path):
    sol = tmp_path / "solutions"
    sol.mkdir()
    (sol / "01-a.ipynb").write_text(json.dumps(_nb(("code", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION", []))))
    first = [p.read_bytes() for p in generate(sol, tmp_path / "ex1")]
    second = [p.read_bytes() for p in generate(sol, tmp_path / "ex2")]
    assert first == second
    (sol / "02-b.ipynb").write_text(json.dumps(_nb(("code", "### BEGIN SOLUTION\nx = 1", []))))
    with pytest.raises(ExerciseError, match="02-b.ipynb cell 1"):
        generate(sol, tmp_path / "ex3")
    assert not (tmp_path / "ex3").exists()


def test_cli_refuses_bad_markers(tmp_path):
    sol = tmp_path / "solutions"
    sol.mkdir()
    (sol / "03-x.ipynb").write_text(json.dumps(_nb(("code", "def f():\n    ### BEGIN SOLUTION\n    return 1", []))))
    out = subprocess.run([sys.executable, "-m", "netedu.cli", "make-exercises", "--solutions", str(sol),
                          "--out", str(tmp_path / "ex")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr == ("netedu: 03-x.ipynb cell 1 (id cell-000): '### BEGIN SOLUTION' on line 2 "
                          "is never closed by '### END SOLUTION'\n")


def test_cli_missing_solutions_folder(tmp_path):
    out = subprocess.run([sys.executable, "-m", "netedu.cli", "make-exercises", "--solutions",
                          str(tmp_path / "nope"), "--out", str(tmp_path / "ex")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and out.stderr.startswith("netedu: No solutions folder:")


def test_solution_example_in_a_real_folder_layout(tmp_path):
    # A source folder that mirrors the repository's: outputs in, none out.
    root = Path(__file__).resolve().parents[2]
    sols = sorted((root / "solutions").glob("*.ipynb"))
    assert sols, "no solution notebooks"
    written = generate(root / "solutions", tmp_path)
    for path in written:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
