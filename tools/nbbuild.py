#!/usr/bin/env python3
"""Build committed notebooks from their plain-text sources, and check they match.

Chapters and solutions are written as plain text in ``src/notebooks/*.nbpy``
and ``src/solutions/*.nbpy`` (diffable, reviewable), and built into
``notebooks/*.ipynb`` and ``solutions/*.ipynb``, executed so that a learner
reading on the web sees the outputs. ``tests/notebooks/test_sources.py`` fails
when a committed notebook's cells differ from its source.

Source format: cells start with a line ``#%% md`` or ``#%% code``, optionally
followed by ``tags=tag1,tag2``. Everything up to the next such line is the
cell's text (trailing blank lines dropped). Lines before the first marker are
ignored.

Usage:
    python tools/nbbuild.py [--no-execute] [--timeout S] SRC.nbpy...
        builds each SRC into notebooks/ or solutions/ (by its folder)
    python tools/nbbuild.py --all      builds every source
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^#%% (md|code)(?:\s+tags=(\S+))?\s*$")


def parse(text: str) -> list[dict]:
    """Return the cells of a source as dicts: kind, source, tags."""
    cells: list[dict] = []
    current: dict | None = None
    for line in text.splitlines():
        m = MARKER.match(line)
        if m:
            current = {"kind": m.group(1), "tags": [t for t in (m.group(2) or "").split(",") if t], "lines": []}
            cells.append(current)
        elif current is not None:
            current["lines"].append(line)
    out = []
    for c in cells:
        lines = c["lines"]
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        out.append({"kind": c["kind"], "source": "\n".join(lines), "tags": c["tags"]})
    return out


def to_notebook(cells: list[dict]):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, c in enumerate(cells):
        if c["kind"] == "md":
            cell = nbformat.v4.new_markdown_cell(c["source"])
        else:
            cell = nbformat.v4.new_code_cell(c["source"])
        cell["id"] = f"cell-{i:03d}"
        if c["tags"]:
            cell.metadata["tags"] = c["tags"]
        nb.cells.append(cell)
    return nb


def target_for(src: Path) -> Path:
    kind = src.parent.name  # notebooks or solutions
    return ROOT / kind / (src.stem + ".ipynb")


def build(src: Path, execute: bool = True, timeout: int = 120) -> Path:
    import nbformat

    nb = to_notebook(parse(src.read_text(encoding="utf-8")))
    out = target_for(src)
    if execute:
        from nbclient import NotebookClient

        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(out.parent)}})
        client.execute()
        for cell in nb.cells:
            for o in cell.get("outputs", []):
                if o.get("output_type") == "error" and "raises-exception" not in cell.metadata.get("tags", []):
                    raise SystemExit(f"{src}: cell {cell['id']} raised {o.get('ename')}: {o.get('evalue')}")
            cell.metadata.pop("execution", None)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(out))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sources", nargs="*", type=Path)
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--no-execute", action="store_true")
    ap.add_argument("--timeout", type=int, default=120)
    a = ap.parse_args(argv)
    sources = list(a.sources)
    if a.all:
        sources += sorted((ROOT / "src").glob("*/*.nbpy"))
    for src in sources:
        out = build(src.resolve(), execute=not a.no_execute, timeout=a.timeout)
        print(f"built {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
