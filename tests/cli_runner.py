"""Run `assay` as a user does: a child process, with its own ASSAY_HOME, returning exit code and output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_assay(
    *args: str, cwd: Path = ROOT, home: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    if home is not None:
        environment["ASSAY_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "assay.cli", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
