"""Benchmark netedu's TFTP server against tftpy's and tftp-hpa's on loopback.

Downloads a file with curl as the client from each server, interleaving the
servers run by run so that drift hits them all alike, then netedu's client
against netedu's server with windowsize 1, 4 and 16. Prints medians (MB/s)
and ratios. Both ends are pinned to one CPU with ``taskset -c CPU`` (lock-step
transfers on loopback swing wildly when the scheduler moves the processes).

    .venv/bin/python bench/tftp.py                      # 16 MiB, blksize 512 1468 65464, 5 runs
    .venv/bin/python bench/tftp.py --blksize 512 --runs 5

Never part of the test run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable

NETEDU_SERVER = """
import sys, time
from netedu.io.tftp import TftpServer
with TftpServer(sys.argv[1], port=int(sys.argv[2])) as s:
    print("ready", flush=True)
    while True:
        time.sleep(3600)
"""

TFTPY_SERVER = """
import sys, logging
logging.disable(logging.CRITICAL)
import tftpy
print("ready", flush=True)
tftpy.TftpServer(sys.argv[1]).listen("127.0.0.1", int(sys.argv[2]))
"""

NETEDU_CLIENT = """
import sys, time
from netedu.io.tftp import tftp_get
st = tftp_get("127.0.0.1", int(sys.argv[1]), sys.argv[2], sys.argv[3], blksize=int(sys.argv[4]), windowsize=int(sys.argv[5]), timeout=2)
print(st.seconds)
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pin(cpu: str | None) -> list[str]:
    return ["taskset", "-c", cpu] if cpu else []


def start(name: str, root: Path, port: int, cpu: str | None) -> subprocess.Popen:
    if name == "netedu":
        cmd = [PY, "-c", NETEDU_SERVER, str(root), str(port)]
    elif name == "tftpy":
        cmd = [PY, "-c", TFTPY_SERVER, str(root), str(port)]
    elif name == "tftp-hpa":
        cmd = ["/usr/sbin/in.tftpd", "--foreground", "--address", f"127.0.0.1:{port}", "--secure", "--user", "root", "--blocksize", "65464", str(root)]
    else:
        raise ValueError(name)
    proc = subprocess.Popen(pin(cpu) + cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    if name != "tftp-hpa":
        assert proc.stdout is not None
        proc.stdout.readline()
    time.sleep(0.3)
    return proc


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def curl_get(port: int, name: str, out: Path, blksize: int, size: int, cpu: str | None) -> tuple[float, float]:
    """(MB/s of the whole curl process, MB/s of the transfer as curl timed it: %{time_total})."""
    out.unlink(missing_ok=True)
    t = time.perf_counter()
    r = subprocess.run(
        pin(cpu) + ["curl", "-s", "--max-time", "120", "-o", str(out), "-w", "%{time_total}", "--tftp-blksize", str(blksize),
                    f"tftp://127.0.0.1:{port}/{name}"],
        check=True, capture_output=True, text=True,
    )
    dt = time.perf_counter() - t
    got = out.stat().st_size if out.exists() else 0
    if got != size:
        raise SystemExit(f"short file from port {port}: {got} of {size} bytes")
    return size / dt / 1e6, size / float(r.stdout) / 1e6


def netedu_get(port: int, name: str, out: Path, blksize: int, windowsize: int, size: int, cpu: str | None) -> tuple[float, float]:
    """(MB/s of the whole process, MB/s of the transfer as the client timed it)."""
    out.unlink(missing_ok=True)
    t = time.perf_counter()
    r = subprocess.run(pin(cpu) + [PY, "-c", NETEDU_CLIENT, str(port), name, str(out), str(blksize), str(windowsize)],
                       check=True, capture_output=True, text=True)
    dt = time.perf_counter() - t  # includes the interpreter's start (about 0.1 s), unlike curl's few ms
    if out.stat().st_size != size:
        raise SystemExit(f"short file: {out.stat().st_size} of {size} bytes")
    return size / dt / 1e6, size / float(r.stdout) / 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mib", type=int, default=16)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--blksize", type=int, nargs="+", default=[512, 1468, 65464])
    ap.add_argument("--servers", nargs="+", default=["netedu", "tftpy", "tftp-hpa"])
    ap.add_argument("--windows", type=int, nargs="*", default=[1, 4, 16], help="netedu client windowsizes (blksize 1468)")
    ap.add_argument("--cpu", default="1", help="CPU for taskset -c (empty: no pinning)")
    args = ap.parse_args()
    cpu = args.cpu or None
    if cpu and not shutil.which("taskset"):
        cpu = None
    size = args.size_mib << 20
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        root.mkdir()
        (root / "big.bin").write_bytes(os.urandom(size))
        out = Path(tmp) / "out.bin"
        procs = {}
        ports = {}
        try:
            for name in args.servers:
                ports[name] = free_port()
                procs[name] = start(name, root, ports[name], cpu)
            results: dict[tuple[str, int], list[float]] = {}
            for blk in args.blksize:
                for _ in range(args.runs):
                    for name in args.servers:
                        results.setdefault((name, blk), []).append(curl_get(ports[name], "big.bin", out, blk, size, cpu)[0])
            print(f"curl downloads of {args.size_mib} MiB, median of {args.runs} runs (MB/s), pinned to CPU {cpu}")
            head = f"{'blksize':>8}" + "".join(f"{n:>11}" for n in args.servers)
            ref = [n for n in args.servers if n != "netedu"]
            if "netedu" in args.servers:
                head += "".join(f"{'/' + n:>12}" for n in ref)
            print(head)
            for blk in args.blksize:
                med = {n: statistics.median(results[(n, blk)]) for n in args.servers}
                row = f"{blk:>8}" + "".join(f"{med[n]:>11.1f}" for n in args.servers)
                if "netedu" in args.servers:
                    row += "".join(f"{med['netedu'] / med[n]:>11.2f}x" for n in ref)
                print(row)
            if args.windows and "netedu" in args.servers:
                print()
                print(f"netedu client -> netedu server, blksize 1468, median of {args.runs} (MB/s)")
                print(f"{'':>22} {'process':>8} {'transfer':>9}")
                wres: dict[str, list[tuple[float, float]]] = {}
                for _ in range(args.runs):
                    for w in args.windows:
                        wres.setdefault(f"netedu windowsize {w}", []).append(netedu_get(ports["netedu"], "big.bin", out, 1468, w, size, cpu))
                    if "tftp-hpa" in args.servers:
                        wres.setdefault("curl <- tftp-hpa", []).append(curl_get(ports["tftp-hpa"], "big.bin", out, 1468, size, cpu))
                for k, v in wres.items():
                    print(f"{k:>22} {statistics.median(a for a, _ in v):8.1f} {statistics.median(b for _, b in v):9.1f}")
                print("process: wall time of the client process (python's start costs ~0.1 s, curl's a few ms);")
                print("transfer: as the client timed it (netedu: TransferStats.seconds; curl: %{time_total})")
        finally:
            for p in procs.values():
                stop(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
