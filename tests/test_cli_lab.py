"""``netedu lab``: copies the course without overwriting a learner's work, and starts JupyterLab."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

NETEDU = [sys.executable, "-m", "netedu.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_copies_the_course_keeps_learner_work_and_serves_the_start_page(tmp_path):
    course = tmp_path / "course"
    mine = course / "notebooks" / "00-start-here.ipynb"
    mine.parent.mkdir(parents=True)
    mine.write_text('{"my": "work"}')
    port = _free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"))
    args = [*NETEDU, "lab", "--dir", str(course), "--no-browser", "--port", str(port)]
    if os.geteuid() == 0:  # root inside tools/in-netns: JupyterLab refuses root without this
        (tmp_path / "cfg").mkdir()
        (tmp_path / "cfg" / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"allow_root": True}}))
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab", timeout=2) as r:
                    assert r.status == 200
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "JupyterLab did not answer within 60 s"
                time.sleep(0.2)  # polling a server's start-up
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert mine.read_text() == '{"my": "work"}', "a learner's notebook was overwritten"
    copied = sorted(p.name for p in (course / "notebooks").glob("*.ipynb"))
    assert "02-ip-addresses-and-subnets.ipynb" in copied
    assert (course / "exercises" / "02-ip-addresses-and-subnets.ipynb").exists()
    assert not (course / "solutions").exists(), "solutions must not be handed to learners"
    assert "copied into" in out


def test_lab_refuses_a_file_as_dir(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    r = subprocess.run([*NETEDU, "lab", "--dir", str(f), "--no-browser"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [f"netedu: --dir {str(f)!r} exists and is not a folder"]
