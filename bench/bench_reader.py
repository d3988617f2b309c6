"""The Terraform reader's parser: checkov's hcl2 (the baseline) against tree-sitter, same files, same run."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import hcl2

from collectors.terraform.parsing import ParseStats, parse_files


def _best(work: Callable[[], object], runs: int = 3) -> float:
    """CPU seconds of the fastest of `runs` runs: other processes on the machine do not count."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def compare(name: str, root: Path) -> None:
    files = sorted(p for p in root.rglob("*.tf") if not any(part.startswith(".") for part in p.parts))
    texts = [p.read_text(encoding="utf-8") for p in files]
    size = sum(len(t.encode()) for t in texts)
    old = _best(lambda: [hcl2.loads(t) for t in texts])
    stats = ParseStats()
    parse_files(files, stats)
    new = _best(lambda: parse_files(files))
    print(
        f"{name}: {len(files)} files, {size / 1e6:.2f} MB: hcl2 {old:.3f} s | tree-sitter {new:.3f} s "
        f"= {old / new:.1f}x faster | {len(stats.fallbacks)} file(s) left to hcl2 (CPU time, best of 3)"
    )


def run(tree: Path) -> None:
    print("== Terraform parser: hcl2 vs tree-sitter")
    compare("examples/platform", Path("examples/platform"))
    compare(f"generated ({tree.name})", tree)
