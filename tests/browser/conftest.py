"""Real-browser fixtures: a JupyterLab server on loopback and Debian's Chromium via playwright.

The server runs in a copy of the course (so a test never changes committed
notebooks) and is stopped at the end of the session. Tests wait on selectors,
never on sleeps, and save screenshots under test-artifacts/.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NETEDU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """Start JupyterLab on 127.0.0.1 with a token in a copy of the course; yield its base URL."""
    work = tmp_path_factory.mktemp("course")
    for folder in ("notebooks", "exercises", "solutions"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, work / folder)
    token = secrets.token_hex(16)
    port = _free_port()
    # No "Would you like to get notified about Jupyter news?" pop-up over the page.
    labconfig = work / ".jupyter" / "labconfig"
    labconfig.mkdir(parents=True)
    (labconfig / "page_config.json").write_text(
        '{"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": true}}')
    log = open(work / "jupyter.log", "w")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(work / ".jupyter"), JUPYTER_RUNTIME_DIR=str(work / ".runtime"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
         "--ServerApp.port_retries=0", "--LabApp.news_url=", "--ServerApp.disable_check_xsrf=False",
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # root inside tools/in-netns (unshare -r)
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    import urllib.request

    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log.close()
                pytest.fail("JupyterLab did not start:\n" + (work / "jupyter.log").read_text()[-3000:])
            time.sleep(0.2)  # polling a server's start-up, not waiting on the page
    try:
        yield {"base": base, "token": token, "root": work}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by playwright; fails with a clear reason if it cannot start."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no browser at {CHROMIUM}: install Debian's chromium (tools/ensure-system-deps does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def lab_page(browser, lab_server, tmp_path):
    """A fresh browser page; use ``open_notebook(page, lab_server, path)`` to open a notebook."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        context.close()


PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook tab in front


def open_notebook(page, server, relpath: str) -> None:
    """Open ``relpath`` in JupyterLab and wait until its kernel is idle."""
    # A fresh workspace (``?reset``) so that only this notebook is open: the tabs of an
    # earlier test would otherwise come back, and the Run menu could act on one of them.
    workspace = "t" + secrets.token_hex(4)
    page.goto(f"{server['base']}/lab/workspaces/{workspace}/tree/{relpath}?reset&token={server['token']}")
    page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-Cell", state="attached")
    page.wait_for_selector(f"{PANEL} .jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status='idle']", state="attached")
    # The indicator says "idle" before the kernel has started (Run All then opens a "Select Kernel"
    # dialog); the status bar names the kernel once it runs.
    page.wait_for_function(
        "() => { const bar = document.querySelector('#jp-main-statusbar');"
        " return bar !== null && /\\| Idle/.test(bar.innerText) && !/No Kernel/.test(bar.innerText); }",
        timeout=60_000,
    )


def run_all_from_menu(page) -> None:
    """Run > Run All Cells, as a person would, and wait for the kernel to finish."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    # The kernel turns busy (a notebook of one quick cell can be busy too briefly to be
    # seen: the wait below covers it, since its prompts start empty, "[ ]:").
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='busy']", state="attached", timeout=15_000)
    except PlaywrightTimeout:
        pass
    # Done when every code cell of the notebook in front shows an execution count ("[3]:")
    # and the kernel is idle again.
    page.wait_for_function(
        """(panel) => {
            const nb = document.querySelector(panel);
            if (!nb) return false;
            const prompts = [...nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            const idle = nb.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']");
            return prompts.length > 0 && idle !== null && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        arg=PANEL,
        timeout=120_000,
    )
