"""NetAssist in a real browser: type a message, click Send, read the echo in the log on the page.

The test writes a small notebook into the lab server's folder (a copy of the
course): one cell starts a ``UdpEchoServer`` and shows a ``NetAssist`` aimed at
it. The server is left running on purpose while the test types; the kernel
and the lab server stop at the end of the session. (The chapter notebook
04-udp stops its server in the next cell, so Run All leaves nothing running.)
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

_spec = importlib.util.spec_from_file_location("netedu_browser_helpers", Path(__file__).with_name("conftest.py"))
_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helpers)

pytestmark = pytest.mark.browser

KERNEL_READY = """() => {
    const bar = document.querySelector('#jp-main-statusbar');
    return bar !== null && /\\| Idle/.test(bar.innerText) && !/No Kernel/.test(bar.innerText);
}"""

CELL = """\
from netedu.io.udp import UdpEchoServer
from netedu.widgets import NetAssist

echo = UdpEchoServer(prefix=b"echo: ").start()
assist = NetAssist(remote_port=echo.address[1])
assist"""


def test_netassist_sends_and_shows_the_echo(lab_page, lab_server, artifacts):
    from playwright.sync_api import expect

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells.append(nbformat.v4.new_code_cell(CELL))
    nbformat.write(nb, str(Path(lab_server["root"]) / "netassist-browser-test.ipynb"))

    page = lab_page
    try:
        _helpers.open_notebook(page, lab_server, "netassist-browser-test.ipynb")
        page.wait_for_function(KERNEL_READY, timeout=60_000)
        _helpers.run_all_from_menu(page)
        widget = page.locator(".netedu-netassist")
        expect(widget).to_have_count(1)
        expect(widget.locator(".netedu-netassist-log")).to_contain_text("nothing sent or received yet")

        box = widget.locator(".netedu-netassist-message input")
        box.fill("hello from the browser")
        widget.locator(".netedu-netassist-send").click()

        log = widget.locator(".netedu-netassist-log")
        expect(log).to_contain_text(re.compile(r"→ 127\.0\.0\.1:\d+\s+22 bytes\s+'hello from the browser'"))
        expect(log).to_contain_text(re.compile(r"← 127\.0\.0\.1:\d+\s+28 bytes\s+'echo: hello from the browser'"))
        expect(log).to_contain_text("65 63 68 6f 3a 20")  # "echo: " in hex
        expect(widget.locator(".netedu-netassist-status")).to_contain_text("sent 22 bytes")

        # a non-loopback address is refused in place
        host = widget.locator(".netedu-netassist-remote-host input")
        host.fill("192.168.1.201")
        host.press("Enter")
        widget.locator(".netedu-netassist-send").click()
        expect(widget.locator(".netedu-netassist-status")).to_contain_text("refused")
        widget.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "netassist-browser.png"))
    except Exception:
        page.screenshot(path=str(artifacts / "netassist-browser-failed.png"))
        raise
