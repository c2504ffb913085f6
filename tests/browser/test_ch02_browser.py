"""Chapter 02 in a real browser: run it from the Run menu, use the subnet calculator and the trainer.

A person opens the notebook in JupyterLab, chooses Run > Run All Cells, moves the
prefix slider with the keyboard, types a mask, answers one trainer question right
and one wrong; the test reads everything back from the page. It waits on
selectors (playwright's ``expect`` retries until the page shows the text),
never on sleeps.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import re
from pathlib import Path

import pytest

# The helpers of tests/browser/conftest.py (tests/ is not a package, so load them by path).
_spec = importlib.util.spec_from_file_location("netedu_browser_helpers", Path(__file__).with_name("conftest.py"))
_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helpers)
run_all_from_menu = _helpers.run_all_from_menu

# The toolbar's execution indicator says "idle" already before the kernel has started; Run All
# at that moment opens a "Select Kernel" dialog. The status bar names the kernel once it runs.
KERNEL_READY = """() => {
    const bar = document.querySelector('#jp-main-statusbar');
    return bar !== null && /\\| Idle/.test(bar.innerText) && !/No Kernel/.test(bar.innerText);
}"""


def open_notebook(page, server, relpath: str) -> None:
    """The conftest helper, then wait until the status bar shows a started, idle kernel."""
    _helpers.open_notebook(page, server, relpath)
    page.wait_for_function(KERNEL_READY, timeout=60_000)

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/02-ip-addresses-and-subnets.ipynb"


def solve(question: str) -> str:
    """The right answer to a trainer question, computed from its text with ``ipaddress``.

    >>> solve("What is the network address (网络号) of 205.64.33.46/25?")
    '205.64.33.0'
    """
    q = " ".join(question.split())
    if m := re.search(r"network address .*? of (\d+\.\d+\.\d+\.\d+/\d+)\?", q):
        return str(ipaddress.ip_network(m.group(1), strict=False).network_address)
    if m := re.search(r"broadcast address .*? of (\d+\.\d+\.\d+\.\d+/\d+)\?", q):
        return str(ipaddress.ip_network(m.group(1), strict=False).broadcast_address)
    if m := re.search(r"range of usable host addresses of (\d+\.\d+\.\d+\.\d+/\d+)\?", q):
        net = ipaddress.ip_network(m.group(1), strict=False)
        if net.prefixlen >= 31:
            return f"{net[0]} - {net[-1]}"
        return f"{net[1]} - {net[-2]}"
    if m := re.search(r"usable host addresses does a /(\d+) subnet", q):
        p = int(m.group(1))
        return str({31: 2, 32: 1}.get(p, 2 ** (32 - p) - 2))
    if m := re.search(r"Which class \(A-E\) is the address (\d+)\.", q):
        first = int(m.group(1))
        return "A" if first < 128 else "B" if first < 192 else "C" if first < 224 else "D" if first < 240 else "E"
    if m := re.search(r"needs (\d+) hosts", q):
        hosts = int(m.group(1))
        p = next(p for p in range(32, -1, -1) if {31: 2, 32: 1}.get(p, 2 ** (32 - p) - 2) >= hosts)
        return f"/{p}"
    if m := re.search(r"mask (\d+\.\d+\.\d+\.\d+) .*?are (\d+\.\d+\.\d+\.\d+) and (\d+\.\d+\.\d+\.\d+) in the same", q):
        mask, a, b = m.groups()
        same = (ipaddress.ip_network(f"{a}/{mask}", strict=False)
                == ipaddress.ip_network(f"{b}/{mask}", strict=False))
        return "yes" if same else "no"
    raise AssertionError(f"the test cannot solve this question: {q!r}")


def wrong(question: str) -> str:
    """An answer to the question that is plausible but surely wrong."""
    right = solve(question)
    if right in ("yes", "no"):
        return "no" if right == "yes" else "yes"
    if right in "ABCDE":
        return "E" if right != "E" else "A"
    if right.isdigit():
        return str(int(right) + 1)
    if right.startswith("/"):
        return f"/{int(right[1:]) - 1}" if right != "/0" else "/1"
    return "1.2.3.4"  # an address or a range: never the right one for these questions


def table_value(page, label: str):
    """The ``<td>`` beside the ``<th>label</th>`` row of the calculator's table."""
    row = page.locator(".netedu-subnet-calculator .netedu-subnet-table tr").filter(
        has=page.locator("th", has_text=re.compile(rf"^{label}$")))
    return row.locator("td")


def test_chapter_02_in_jupyterlab(lab_page, lab_server, artifacts):
    from playwright.sync_api import expect

    page = lab_page
    try:
        open_notebook(page, lab_server, NOTEBOOK)
        run_all_from_menu(page)
    except Exception:
        page.screenshot(path=str(artifacts / "ch02-browser-failed.png"))
        raise

    # The calculator after Run All: 192.168.1.130 with prefix /24.
    calc = page.locator(".netedu-subnet-calculator")
    expect(calc).to_have_count(1)
    calc.scroll_into_view_if_needed()
    expect(table_value(page, "Netmask")).to_have_text("255.255.255.0")
    expect(table_value(page, "Broadcast")).to_have_text("192.168.1.255")

    # Move the prefix slider with the keyboard: focus its handle, press the right arrow twice.
    handle = calc.locator(".netedu-subnet-prefix .noUi-handle")
    handle.focus()
    handle.press("ArrowRight")
    handle.press("ArrowRight")
    expect(calc.locator(".netedu-subnet-prefix .widget-readout")).to_have_text("26")
    expect(table_value(page, "Netmask")).to_have_text("255.255.255.192")
    expect(table_value(page, "Broadcast")).to_have_text("192.168.1.191")
    expect(calc.locator(".netedu-subnet-mask input")).to_have_value("255.255.255.192")

    # Type a mask instead: the slider and the table follow.
    mask_box = calc.locator(".netedu-subnet-mask input")
    mask_box.fill("255.255.255.240")
    mask_box.press("Enter")
    expect(calc.locator(".netedu-subnet-prefix .widget-readout")).to_have_text("28")
    expect(table_value(page, "Netmask")).to_have_text("255.255.255.240")
    expect(table_value(page, "Broadcast")).to_have_text("192.168.1.143")
    expect(calc.locator(".netedu-binary .netedu-net-bits").first).to_be_visible()
    expect(calc.locator(".netedu-subnet-error")).to_have_text("")
    calc.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "ch02-browser.png"))

    # The trainer: one question right...
    trainer = page.locator(".netedu-trainer")
    expect(trainer).to_have_count(1)
    trainer.scroll_into_view_if_needed()
    question = trainer.locator(".netedu-trainer-question")
    expect(question).to_contain_text("Question 1.")
    trainer.locator(".netedu-trainer-answer input").fill(solve(question.inner_text()))
    trainer.locator(".netedu-trainer-check").click()
    feedback = trainer.locator(".netedu-trainer-feedback")
    expect(feedback).to_contain_text(re.compile(r"^Correct\."))
    expect(trainer.locator(".netedu-trainer-score")).to_have_text("Score: 1 / 1")

    # ... and the next one wrong.
    trainer.locator(".netedu-trainer-next").click()
    expect(question).to_contain_text("Question 2.")
    expect(feedback).to_have_text("")
    trainer.locator(".netedu-trainer-answer input").fill(wrong(question.inner_text()))
    trainer.locator(".netedu-trainer-check").click()
    expect(feedback).to_contain_text(re.compile(r"^Not quite\."))
    expect(feedback).to_contain_text("the answer is")
    expect(trainer.locator(".netedu-trainer-score")).to_have_text("Score: 1 / 2")
    trainer.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "ch02-browser-trainer.png"))
