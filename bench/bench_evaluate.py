"""Judging Terraform: engine throughput (Python vs Rego) and `assay evaluate` vs `checkov -d` wall time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import generate
from collectors.terraform import read_terraform
from controls import load_catalog
from policies import Evaluation, Judgement, PolicySet, evaluate, load_policies

OUT = Path("bench/out")
BIN = Path(sys.executable).parent


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    return elapsed


def engine_throughput(tree: Path) -> None:
    catalog, policies = load_catalog(), load_policies()
    read = read_terraform(tree)
    ev = Evaluation(read.snapshots, controls_for=catalog.controls_for_policy, now=datetime.now(UTC))
    print(f"snapshots: {len(read.snapshots)} from {tree}")
    for engine in ("python", "rego"):
        subset = PolicySet({p.id: p for p in policies.by_engine(engine)})
        pairs = sum(len(ev.resources(p)) for p in subset)
        elapsed, judgements = min(_run(subset, ev) for _ in range(3))  # best of three
        print(
            f"{engine:6} engine: {pairs} resource x policy evaluations, {len(judgements)} judgements in "
            f"{elapsed * 1000:.1f} ms = {pairs / elapsed:,.0f} evaluations/s"
        )


def _run(subset: PolicySet, ev: Evaluation) -> tuple[float, list[Judgement]]:
    start = time.perf_counter()
    judgements = evaluate(subset, ev)
    return time.perf_counter() - start, judgements


def time_checkov(tree: Path) -> float:
    """Wall time of `checkov -d` over the tree: the baseline every Terraform figure is measured against."""
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_EXPERIMENTAL_IMAGE_REFERENCING": "False"}
    command = [
        str(BIN / "checkov"),
        "-d",
        str(tree),
        "--framework",
        "terraform",
        "--quiet",
        "--compact",
        "-o",
        "json",
        "--skip-download",
    ]
    return _timed(command, env)


def evaluate_vs_checkov(tree: Path) -> None:
    assay = _timed([str(BIN / "assay"), "evaluate", str(tree), "--format", "json"])
    checkov = time_checkov(tree)
    print(
        f"assay evaluate: {assay:.2f} s   checkov -d: {checkov:.2f} s   "
        f"ratio checkov/assay = {checkov / assay:.1f}x (target >= 5x)"
    )


def run(resources: int) -> None:
    tree = OUT / f"tree-{resources}"
    shutil.rmtree(tree, ignore_errors=True)
    written = generate(tree, resources)
    print(f"== evaluate: generated {written} Terraform resources")
    engine_throughput(tree)
    evaluate_vs_checkov(tree)
