"""Read Kubernetes manifests (*.yaml, *.yml; several documents per file; `kind: List`) into snapshots."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from collectors.kubernetes.objects import snapshot_from_object
from collectors.problems import Problem
from collectors.snapshot import ResourceSnapshot, SourceLocation
from collectors.unread import Unread

COLLECTOR = "assay-k8s-manifests/0.1"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the YAML was 20% of a gate
SUFFIXES = frozenset({".yaml", ".yml"})


def manifest_files(path: Path) -> list[Path]:
    """`path` itself when it is a file, else every manifest below it, skipping hidden directories."""
    if path.is_file():
        return [path]
    return sorted(
        f
        for f in path.rglob("*")
        if f.suffix in SUFFIXES
        and f.is_file()
        and not any(p.startswith(".") for p in f.relative_to(path).parts)
    )


def _item_lines(node: yaml.Node) -> list[int]:
    """First lines of the entries of a List document's `items`."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "items" and isinstance(value, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value.value]
    return []


def _documents(text: str) -> Iterator[tuple[int, Any]]:
    """(first line, object) for every document; a List yields its items, each at its own line."""
    loader = _LOADER(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            line = node.start_mark.line + 1
            data = loader.construct_document(node)
            if isinstance(data, dict) and str(data.get("kind", "")).endswith("List"):
                entries = data["items"] if isinstance(data.get("items"), list) else []
                lines = _item_lines(node) or [line] * len(entries)
                yield from zip(lines, entries, strict=False)
            elif data is not None:
                yield line, data
    finally:
        loader.dispose()


def _yaml_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    detail = getattr(exc, "problem", None) or str(exc)
    return Problem(file, line, f"not valid YAML ({detail}); the rest of this file is not read")


def _is_object(obj: dict[str, Any]) -> bool:
    """A Kubernetes API object (it names its apiVersion and kind), not some other YAML document."""
    return isinstance(obj.get("kind"), str) and isinstance(obj.get("apiVersion"), str)


def _unread(obj: dict[str, Any], cluster: str, file: str, line: int) -> Unread:
    metadata = obj["metadata"] if isinstance(obj.get("metadata"), dict) else {}
    namespace = metadata.get("namespace") or "-"
    resource = f"k8s:{cluster}/{namespace}/{obj['kind']}/{metadata.get('name') or '?'}"
    return Unread(resource, str(obj["kind"]), file, line)


def _read_file(
    file: Path, *, cluster: str, pseudonym_key: bytes, unread: list[Unread] | None = None
) -> tuple[list[ResourceSnapshot], list[Problem]]:
    name = file.as_posix()
    snapshots: list[ResourceSnapshot] = []
    problems: list[Problem] = []
    try:
        documents = _documents(file.read_text(encoding="utf-8"))
        for line, obj in documents:
            if not isinstance(obj, dict):
                problems.append(
                    Problem(name, line, f"expected a Kubernetes object, found a {type(obj).__name__}")
                )
                continue
            try:
                snapshot = snapshot_from_object(
                    obj,
                    cluster=cluster,
                    source="iac",
                    collector=COLLECTOR,
                    location=SourceLocation(file=name, line=line),
                    pseudonym_key=pseudonym_key,
                )
            except ValueError as exc:
                problems.append(Problem(name, line, f"{obj.get('kind')} could not be read: {exc}"))
                continue
            if snapshot is not None:
                snapshots.append(snapshot)
            elif unread is not None and _is_object(obj):
                unread.append(_unread(obj, cluster, name, line))
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(name, exc))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, None, f"could not be read: {exc}"))
    return snapshots, problems


def read_manifests(
    path: Path, *, cluster: str, pseudonym_key: bytes, unread: list[Unread] | None = None
) -> tuple[list[ResourceSnapshot], list[Problem]]:
    """Snapshots of every object a policy reads under `path`, and a problem for each file or object that
    could not be read; one broken file does not stop the others. Objects of kinds no snapshot type stands
    for are appended to `unread`, when given."""
    snapshots: list[ResourceSnapshot] = []
    problems: list[Problem] = []
    for file in manifest_files(path):
        found, trouble = _read_file(file, cluster=cluster, pseudonym_key=pseudonym_key, unread=unread)
        snapshots.extend(found)
        problems.extend(trouble)
    return snapshots, problems
