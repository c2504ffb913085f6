"""Committed notebooks match their plain-text sources in src/ (tools/nbbuild.py)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("nbbuild", ROOT / "tools" / "nbbuild.py")
nbbuild = importlib.util.module_from_spec(spec)
spec.loader.exec_module(nbbuild)

SOURCES = sorted((ROOT / "src").glob("*/*.nbpy"))


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_matches_source(src):
    target = nbbuild.target_for(src)
    assert target.exists(), f"{target.relative_to(ROOT)} missing: run python tools/nbbuild.py {src.relative_to(ROOT)}"
    nb = json.loads(target.read_text(encoding="utf-8"))
    want = nbbuild.parse(src.read_text(encoding="utf-8"))
    got = [
        {"kind": "md" if c["cell_type"] == "markdown" else "code",
         "source": "".join(c["source"]),
         "tags": c.get("metadata", {}).get("tags", [])}
        for c in nb["cells"]
    ]
    assert got == want, f"{target.relative_to(ROOT)} differs from its source: rebuild it"


@pytest.mark.parametrize("folder", ["notebooks", "solutions"])
def test_every_notebook_has_a_source(folder):
    names = {p.stem for p in (ROOT / "src" / folder).glob("*.nbpy")}
    orphans = [p.name for p in (ROOT / folder).glob("*.ipynb") if p.stem not in names]
    assert orphans == []


def test_chapters_are_stored_with_outputs():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
        assert any(c.get("outputs") for c in code), f"{path.name} stored without outputs"
        for c in code:
            for o in c.get("outputs", []):
                if o.get("output_type") == "error":
                    assert "raises-exception" in c.get("metadata", {}).get("tags", []), f"{path.name}: unexpected error output"
