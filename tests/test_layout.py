"""Project-wide rules from DESIGN.md: sans-I/O core, cheap import, documented API."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "netedu"
FORBIDDEN_IN_CORE = {"socket", "select", "selectors", "time", "threading", "asyncio", "ipywidgets", "subprocess", "multiprocessing"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("folder", ["codecs", "protocols", "addr"])
def test_core_is_sans_io(folder):
    bad = {}
    for path in sorted((PKG / folder).rglob("*.py")):
        hit = imported_modules(path) & FORBIDDEN_IN_CORE
        if hit:
            bad[str(path.relative_to(ROOT))] = sorted(hit)
    assert not bad, f"I/O imports in the sans-I/O core: {bad}"


def test_only_widgets_import_ipywidgets():
    offenders = [
        str(p.relative_to(ROOT))
        for p in PKG.rglob("*.py")
        if "ipywidgets" in imported_modules(p) and "widgets" not in p.relative_to(PKG).parts[:1]
    ]
    assert offenders == []


def test_import_is_light_and_fast():
    code = (
        "import sys, time; t = time.perf_counter(); import netedu; dt = time.perf_counter() - t;"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'jupyter_client', 'jupyterlab', 'ipywidgets', 'matplotlib', 'IPython', 'nbformat', 'numpy'});"
        "print(dt); print(heavy)"
    )
    times = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True)
        lines = out.stdout.splitlines()
        times.append(float(lines[0]))
        assert lines[1] == "[]", f"import netedu pulled in heavy modules: {lines[1]}"
    assert min(times) < 0.3, f"import netedu took {min(times):.3f} s"


def test_every_module_has_public_docstrings():
    missing = []
    for path in sorted(PKG.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not ast.get_docstring(tree):
            missing.append(f"{path.relative_to(ROOT)}: module")
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
                if not ast.get_docstring(node):
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert missing == [], "public names without a docstring:\n" + "\n".join(missing)


def test_every_public_docstring_has_a_doctest():
    """DESIGN rule: every public module-level function and class shows a ``>>>`` example."""
    missing = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
                if ">>>" not in (ast.get_docstring(node) or ""):
                    missing.append(f"{rel}:{node.lineno} {node.name}")
    assert missing == [], "public names whose docstring has no doctest (>>>):\n" + "\n".join(missing)


def test_py_typed_marker():
    assert (PKG / "py.typed").exists()
