"""Kill the recording process (SIGKILL) at random points, many times: nothing acknowledged is lost, no
checkpoint names a missing object, and a re-run completes the rest without duplicates."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from evidence_store.ledger import parse_segment
from evidence_store.verify import verify_store
from tests.evidence.helpers import make_store

ROOT = Path(__file__).resolve().parents[2]
BATCHES, SIZE, KILLS = 30, 20, 25


def _writer(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.evidence.crash_writer", str(root), str(BATCHES), str(SIZE)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _ledger_digests(root: Path) -> list[str]:
    store = make_store(root)
    return [e.digest for key in store.backend.list("ledger/") for e in parse_segment(store.backend.get(key))]


def test_sigkill_at_random_points(tmp_path: Path) -> None:
    rng = random.Random(20261121)
    acknowledged = 0
    for _ in range(KILLS):
        proc = _writer(tmp_path)
        time.sleep(rng.uniform(0.35, 1.2))  # start-up takes ~0.3 s; kill during signing, spooling or commit
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        acks = [int(line.split()[1]) for line in out.splitlines() if line.startswith("ACK ")]
        acknowledged = max([acknowledged, *acks])
        store = make_store(tmp_path)
        store.recover()
        report = verify_store(store.backend, store.trusted)
        assert report.ok, report.problems  # no checkpoint names a missing object; the chain holds
        assert store.head().size >= acknowledged  # nothing acknowledged was lost
    finished = _writer(tmp_path)
    out, _ = finished.communicate(timeout=300)
    assert finished.returncode == 0, out
    digests = _ledger_digests(tmp_path)
    assert len(digests) == len(set(digests)) == BATCHES * SIZE  # everything once, nothing twice
    assert verify_store(make_store(tmp_path).backend, make_store(tmp_path).trusted).ok
