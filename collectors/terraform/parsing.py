"""Parse HCL files with the parser checkov ships (one HCL stack), in parallel when there are many."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import hcl2
from lark.exceptions import LarkError, UnexpectedInput

from collectors.problems import Problem

PARALLEL_FROM = 16  # files; below this a worker pool costs more than it saves
ParseResult = tuple[str, dict[str, Any] | None, Problem | None]


def parse_one(path: str) -> ParseResult:
    """Parse one file; a file that does not parse becomes a Problem naming its line."""
    try:
        with open(path, encoding="utf-8") as handle:
            return path, hcl2.load(handle), None
    except (LarkError, UnicodeDecodeError, ValueError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        line = exc.line if isinstance(exc, UnexpectedInput) else None
        return path, None, Problem(path, line, f"not valid HCL: {first}")


def parse_files(paths: list[Path]) -> list[ParseResult]:
    """Results in the order of `paths`. Large directories are parsed by a pool of worker processes."""
    names = [str(p) for p in paths]
    workers = min(os.cpu_count() or 1, 8)
    if len(names) < PARALLEL_FROM or workers < 2:
        return [parse_one(n) for n in names]
    # fork is cheapest (workers inherit the loaded parser) but unsafe once other threads run (the scheduler)
    context = multiprocessing.get_context("fork" if threading.active_count() == 1 else "forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(parse_one, names, chunksize=max(1, len(names) // (workers * 4))))
