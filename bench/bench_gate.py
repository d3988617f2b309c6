"""The CI gate against checkov alone: full gate, --no-checkov, and a cached re-run, on two trees."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from assay.gate import GateOptions, run_gate
from assay.settings import Settings
from bench.bench_evaluate import BIN, _timed, time_checkov
from controls import load_catalog
from policies import load_policies


def _gate(tree: Path, home: Path, *extra: str) -> float:
    env = {**os.environ, "ASSAY_HOME": str(home)}
    return _timed(
        [str(BIN / "assay"), "gate", str(tree), "--format", "json", "--output", os.devnull, *extra], env
    )


def compare(name: str, tree: Path, fast_target: float) -> None:
    home = Path(tempfile.mkdtemp(prefix="assay-bench-"))
    try:
        checkov = time_checkov(tree)
        full = _gate(tree, home, "--no-cache")
        fast = _gate(tree, home, "--no-cache", "--no-checkov")
        _gate(tree, home, "--no-checkov")  # fill the cache
        cached = _gate(tree, home, "--no-checkov")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(
        f"{name}: checkov -d {checkov:.2f} s | assay gate {full:.2f} s = {full / checkov:.2f}x checkov's "
        "time "
        f"(target <= 0.72x) | --no-checkov {fast:.2f} s = {checkov / fast:.1f}x faster "
        f"(target >= {fast_target:.0f}x) | "
        f"cached re-run {cached:.2f} s (whole command, target well under 1 s)"
    )


def cached_assay_part(tree: Path) -> float:
    """In-process: the Assay part of a gate re-run on an unchanged tree (no interpreter start-up)."""
    home = Path(tempfile.mkdtemp(prefix="assay-bench-"))
    catalog, policies = load_catalog(), load_policies()
    options = GateOptions(path=tree, checkov=False)
    try:
        run_gate(options, catalog, policies, Settings(home=home))
        start = time.perf_counter()
        view = run_gate(options, catalog, policies, Settings(home=home))
        elapsed = time.perf_counter() - start
    finally:
        shutil.rmtree(home, ignore_errors=True)
    assert view.cached
    return elapsed


def run(tree: Path) -> None:
    print("== gate vs checkov")
    compare("examples/platform", Path("examples/platform"), fast_target=10)
    compare(f"generated ({tree.name})", tree, fast_target=20)
    print(
        f"cached Assay part, in process, {tree.name}: {cached_assay_part(tree) * 1000:.0f} ms "
        "(target well under 1 s)"
    )
