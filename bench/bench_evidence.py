"""Evidence: records signed and stored per second (local backend, Ed25519), and `assay evidence verify --all`
throughput against `sha256sum` over the same files, both measured in this run."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from assay.evidence import Evidence, assessment_records, pseudonymiser
from assay.pipeline import assess
from assay.settings import Settings
from bench.bench_evaluate import BIN
from controls import load_catalog
from policies import load_policies


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def run(tree: Path) -> None:
    home = Path(tempfile.mkdtemp(prefix="assay-bench-evidence-"))
    try:
        settings = Settings(home=home)
        catalog, policies = load_catalog(), load_policies()
        result = assess(tree, catalog, policies, settings)
        evidence = Evidence.open(settings)
        pending = assessment_records(
            result, catalog, policies, "bench", pseudonymiser(settings.pseudonym_key())
        )
        start = time.perf_counter()
        committed = evidence.store.record(pending)
        elapsed = time.perf_counter() - start
        print(
            f"== evidence: {committed.records} records signed, spooled, stored, chained and indexed in "
            f"{elapsed:.2f} s = {committed.records / elapsed:,.0f} records/s (target >= 2,000)"
        )
        files = _files(home / "evidence")
        size = sum(p.stat().st_size for p in files)
        env = {**os.environ, "ASSAY_HOME": str(home)}
        start = time.perf_counter()
        subprocess.run(
            [str(BIN / "assay"), "evidence", "verify", "--all"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        verify = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run(
            ["xargs", "-0", "sha256sum"],
            input=b"\0".join(str(p).encode() for p in files),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        baseline = time.perf_counter() - start
        mb = size / 1e6
        print(
            f"verify --all: {mb:.1f} MB in {len(files)} files in {verify:.2f} s = {mb / verify:.1f} MB/s; "
            f"sha256sum: {baseline:.2f} s = {mb / baseline:.1f} MB/s; "
            f"ratio {baseline / verify:.0%} of sha256sum (target >= 25%)"
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)
