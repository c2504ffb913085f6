"""Generate the learner's exercise notebooks from the solution notebooks.

``solutions/NN-*.ipynb`` is the single source. In a code cell, the lines
between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers)
are replaced:

* inside a function body, by ``raise NotImplementedError("Exercise: write your code here")``
  at the markers' indentation;
* anywhere else, by ``name = ...`` for each name the region assigns (``pass``
  when it assigns none), so the notebook still runs top to bottom and every
  check scores 0.

Markdown cells tagged ``solution`` are replaced by a prompt, cells tagged
``remove-in-exercise`` are dropped, and every output and execution count is
cleared. The output is byte-for-byte the same for the same input.

>>> src = "def hosts(prefix):\\n    ### BEGIN SOLUTION\\n    return 2 ** (32 - prefix) - 2\\n    ### END SOLUTION\\n"
>>> print(strip_solution(src, where="demo cell 1"))
def hosts(prefix):
    raise NotImplementedError("Exercise: write your code here")
<BLANKLINE>
>>> print(strip_solution("### BEGIN SOLUTION\\nmask, prefix = '255.0.0.0', 8\\n### END SOLUTION", where="x"))
mask = ...
prefix = ...
>>> strip_solution("### BEGIN SOLUTION\\nx = 1\\n", where="02-demo.ipynb cell 3")
Traceback (most recent call last):
...
netedu.errors.ExerciseError: 02-demo.ipynb cell 3: '### BEGIN SOLUTION' on line 1 is never closed by '### END SOLUTION'
"""

from __future__ import annotations

import ast
import copy
import json
import re
from pathlib import Path
from typing import Any

from netedu.errors import ExerciseError

__all__ = ["BEGIN", "END", "PLACEHOLDER", "ANSWER_PROMPT", "strip_solution", "solution_regions",
           "make_exercise", "generate", "exercise_text"]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
PLACEHOLDER = 'raise NotImplementedError("Exercise: write your code here")'
ANSWER_PROMPT = "*Write your answer here.*"
_CHAPTER = re.compile(r"^(\d\d)-")


def solution_regions(source: str, *, where: str) -> list[tuple[int, int]]:
    """Return ``(begin, end)`` line indexes (0-based) of each marked region of ``source``.

    >>> solution_regions("a\\n### BEGIN SOLUTION\\nb\\n### END SOLUTION", where="x")
    [(1, 3)]
    >>> solution_regions("### END SOLUTION", where="01-x.ipynb cell 2")
    Traceback (most recent call last):
    ...
    netedu.errors.ExerciseError: 01-x.ipynb cell 2: '### END SOLUTION' on line 1 has no '### BEGIN SOLUTION' before it
    """
    regions: list[tuple[int, int]] = []
    start: int | None = None
    for i, line in enumerate(source.split("\n")):
        text = line.strip()
        if text == BEGIN:
            if start is not None:
                raise ExerciseError(f"{where}: '{BEGIN}' on line {i + 1} is nested inside the region "
                                    f"opened on line {start + 1}; close it with '{END}' first") from None
            start = i
        elif text == END:
            if start is None:
                raise ExerciseError(f"{where}: '{END}' on line {i + 1} has no '{BEGIN}' before it") from None
            regions.append((start, i))
            start = None
    if start is not None:
        raise ExerciseError(f"{where}: '{BEGIN}' on line {start + 1} is never closed by '{END}'") from None
    return regions


def _assigned_names(code: str) -> list[str]:
    tree = ast.parse(code)
    names: list[str] = []

    def add_target(t: ast.AST) -> None:
        if isinstance(t, ast.Name):
            if t.id not in names:
                names.append(t.id)
        elif isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                add_target(e)
        elif isinstance(t, ast.Starred):
            add_target(t.value)

    for node in tree.body:
        if isinstance(node, ast.Assign):
            for t in node.targets:
                add_target(t)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            add_target(node.target)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name not in names:
                names.append(node.name)
    return names


def _enclosing_function(tree: ast.AST | None, lineno: int, indent: int) -> bool:
    if tree is None:
        return indent > 0
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            end = getattr(node, "end_lineno", None) or node.lineno
            if node.lineno < lineno <= end and indent > node.col_offset:
                return True
    return False


def strip_solution(source: str, *, where: str) -> str:
    """Replace each marked region of one code cell's ``source`` by its placeholder.

    >>> strip_solution("x = 1", where="x")
    'x = 1'
    """
    regions = solution_regions(source, where=where)
    if not regions:
        return source
    lines = source.split("\n")
    try:
        tree: ast.AST | None = ast.parse(source)
    except SyntaxError:
        tree = None
    out: list[str] = []
    last = 0
    for begin, end in regions:
        out.extend(lines[last:begin])
        marker = lines[begin]
        indent = marker[: len(marker) - len(marker.lstrip())]
        body = lines[begin + 1:end]
        if _enclosing_function(tree, begin + 1, len(indent)):
            out.append(indent + PLACEHOLDER)
        else:
            code = "\n".join(line[len(indent):] if line.startswith(indent) else line.lstrip() for line in body)
            try:
                names = _assigned_names(code)
            except SyntaxError as exc:
                raise ExerciseError(f"{where}: the solution on lines {begin + 2}-{end} is not valid Python "
                                    f"({exc.msg}), so its names cannot be found") from None
            out.extend(f"{indent}{name} = ..." for name in names)
            if not names:
                out.append(indent + "pass")
        last = end + 1
    out.extend(lines[last:])
    return "\n".join(out)


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def make_exercise(nb: dict[str, Any], *, name: str) -> dict[str, Any]:
    """Return the exercise notebook (a new dict) made from the solution notebook ``nb``.

    >>> sol = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
    ...   {"cell_type": "code", "id": "c1", "metadata": {}, "execution_count": 3, "outputs": [{"output_type": "stream"}],
    ...    "source": "### BEGIN SOLUTION\\nanswer = 'A'\\n### END SOLUTION\\ncheck('02.1', answer)"},
    ...   {"cell_type": "markdown", "id": "c2", "metadata": {"tags": ["remove-in-exercise"]}, "source": "notes"}]}
    >>> ex = make_exercise(sol, name="02-demo.ipynb")
    >>> ex["cells"][0]["source"], ex["cells"][0]["outputs"], len(ex["cells"]), ex["metadata"]["netedu"]
    ("answer = ...\\ncheck('02.1', answer)", [], 1, {'chapter': '02'})
    """
    out = copy.deepcopy(nb)
    cells = []
    for index, cell in enumerate(nb.get("cells", [])):
        tags = cell.get("metadata", {}).get("tags", [])
        if "remove-in-exercise" in tags:
            continue
        new = copy.deepcopy(cell)
        where = f"{name} cell {index + 1}" + (f" (id {cell['id']})" if cell.get("id") else "")
        if cell.get("cell_type") == "code":
            new["source"] = strip_solution(_source(cell), where=where)
            new["outputs"] = []
            new["execution_count"] = None
            new.get("metadata", {}).pop("execution", None)
        elif cell.get("cell_type") == "markdown" and "solution" in tags:
            new["source"] = ANSWER_PROMPT
        else:
            new["source"] = _source(cell)
        if "solution" in tags:
            new.pop("attachments", None)
        cells.append(new)
    out["cells"] = cells
    meta = out.setdefault("metadata", {})
    m = _CHAPTER.match(name)
    netedu_meta = dict(meta.get("netedu", {}))
    if m:
        netedu_meta["chapter"] = m.group(1)
    meta["netedu"] = netedu_meta
    meta.pop("widgets", None)
    return out


def exercise_text(nb: dict[str, Any]) -> str:
    """Serialise a notebook the way ``make-exercises`` writes it (stable bytes).

    >>> exercise_text({"b": 1, "a": [1]})
    '{\\n "a": [\\n  1\\n ],\\n "b": 1\\n}\\n'
    """
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def generate(solutions: Path, out: Path) -> list[Path]:
    """Write ``out/NAME.ipynb`` for every ``solutions/NAME.ipynb``; return the files written.

    Everything is checked before anything is written, so a bad marker leaves
    ``out`` as it was.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:  # doctest: +ELLIPSIS
    ...     generate(Path(d) / "missing", Path(d) / "ex")
    Traceback (most recent call last):
    ...
    netedu.errors.ExerciseError: No solutions folder: ... does not exist
    """
    solutions = Path(solutions)
    if not solutions.is_dir():
        raise ExerciseError(f"No solutions folder: {str(solutions)!r} does not exist") from None
    made: list[tuple[Path, str]] = []
    for path in sorted(solutions.glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ExerciseError(f"{path.name}: not a readable notebook ({exc})") from None
        made.append((Path(out) / path.name, exercise_text(make_exercise(nb, name=path.name))))
    Path(out).mkdir(parents=True, exist_ok=True)
    written = []
    for target, text in made:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
