"""Shape of chapters 00-02: call-outs followed by code, the glossary, links, no stray outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = ["00-start-here", "01-networks-layers-ports", "02-ip-addresses-and-subnets"]


def cells(name: str) -> list[dict]:
    nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    return nb["cells"]


def text(cell: dict) -> str:
    return "".join(cell["source"])


@pytest.mark.parametrize("name", CHAPTERS)
def test_title_and_summary(name):
    cs = cells(name)
    assert text(cs[0]).startswith(f"# {name[:2]} · ")
    assert any("## Summary" in text(c) for c in cs if c["cell_type"] == "markdown")


@pytest.mark.parametrize("name", CHAPTERS[1:])
def test_every_call_out_is_followed_by_code(name):
    cs = cells(name)
    call_outs = [i for i, c in enumerate(cs) if c["cell_type"] == "markdown" and "> **In the notes:**" in text(c)]
    assert call_outs, f"{name} has no 'In the notes' call-out"
    for i in call_outs:
        assert i + 1 < len(cs) and cs[i + 1]["cell_type"] == "code", f"{name}: call-out in cell {i} not followed by code"


@pytest.mark.parametrize("name", CHAPTERS[1:])
def test_links_to_its_exercises(name):
    assert any(f"../exercises/{name}.ipynb" in text(c) for c in cells(name))


def test_ch02_corrects_the_notes():
    md = "\n".join(text(c) for c in cells("02-ip-addresses-and-subnets") if c["cell_type"] == "markdown")
    for fact in ("16,777,214", "233 is a typo for 223", "127.0.0.0/8", "128.0.0.0/16", "**The mask decides**"):
        assert fact in md


def test_ch01_corrects_the_notes():
    md = "\n".join(text(c) for c in cells("01-networks-layers-ports") if c["cell_type"] == "markdown")
    for fact in ("49152-65535", "ip_local_port_range", "port 0 is reserved", "ss -tuln", "端口在多台操作系统中是唯一的"):
        assert fact in md


GLOSSARY = ["网络", "协议", "网络编程", "进程", "端口", "知名端口", "动态端口", "IP地址", "网络号", "主机号",
            "子网掩码", "网段", "广播地址", "回环", "私有IP", "套接字", "全双工", "半双工", "单工", "广播",
            "组播 / 多播", "单播", "三次握手", "四次挥手", "长连接", "短连接", "集线器", "交换机", "路由器",
            "网关", "默认网关", "域名", "DNS", "DHCP", "NAT", "MAC地址", "封装", "解包", "并发"]


def test_glossary_has_the_notes_terms():
    glossary = next(text(c) for c in cells("00-start-here") if "## Glossary" in text(c))
    firsts = {row.split("|")[1].strip() for row in glossary.splitlines() if row.startswith("| ")}
    missing = [t for t in GLOSSARY if not any(t == f or t in re.split(r" / ", f) for f in firsts)]
    assert missing == []


def test_start_page_links_existing_chapters():
    md = "\n".join(text(c) for c in cells("00-start-here"))
    for target in re.findall(r"\]\((\d\d-[a-z0-9-]+\.ipynb)\)", md):
        if target[:2] in ("00", "01", "02"):
            assert (ROOT / "notebooks" / target).exists(), target
    for later in ("09", "10", "11", "12"):
        assert f"| {later} |" in md


def _browser_test_module():
    import importlib.util

    path = ROOT / "tests" / "browser" / "test_ch02_browser.py"
    spec = importlib.util.spec_from_file_location("ch02_browser_solver", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_browser_test_solves_every_kind_of_trainer_question():
    """The browser test computes answers from the question text; check it on many questions."""
    import itertools

    from netedu.addr import KINDS, questions

    module = _browser_test_module()
    seen = set()
    for seed in range(3):
        for q in itertools.islice(questions(seed), 150):
            seen.add(q.kind)
            assert q.check(module.solve(q.prompt)), q.prompt
            assert not q.check(module.wrong(q.prompt)), q.prompt
    assert seen == set(KINDS)
