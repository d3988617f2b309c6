"""Find what a path holds: Terraform root modules, plan JSON files and Kubernetes manifests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SKIP_DIRS = {".git", ".terraform", ".assay", ".venv", "node_modules", "__pycache__"}
_PLAN_MARKERS = ('"format_version"', '"terraform_version"')


@dataclass
class Inputs:
    terraform_dirs: list[Path] = field(default_factory=list)
    plan_files: list[Path] = field(default_factory=list)
    manifest_files: list[Path] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.terraform_dirs or self.plan_files or self.manifest_files)


def _walk(root: Path) -> Iterator[tuple[Path, list[str]]]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        yield Path(dirpath), sorted(filenames)


def _is_plan(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096).decode("utf-8", errors="replace")
    return all(marker in head for marker in _PLAN_MARKERS)


def _is_manifest(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096).decode("utf-8", errors="replace")
    return "apiVersion:" in head and "kind:" in head


def discover(path: Path) -> Inputs:
    """Directories are listed shallowest first, so a root module comes before the modules it calls."""
    found = Inputs()
    if path.is_file():
        if path.suffix == ".json":
            found.plan_files.append(path)
        elif path.suffix == ".tf":
            found.terraform_dirs.append(path.parent)
        elif path.suffix in (".yaml", ".yml"):
            found.manifest_files.append(path)
        return found
    for directory, files in _walk(path):
        if any(f.endswith(".tf") for f in files):
            found.terraform_dirs.append(directory)
        found.plan_files.extend(
            directory / f for f in files if f.endswith(".json") and _is_plan(directory / f)
        )
        found.manifest_files.extend(
            directory / f for f in files if f.endswith((".yaml", ".yml")) and _is_manifest(directory / f)
        )
    found.terraform_dirs.sort(key=lambda p: (len(p.parts), str(p)))
    return found
