"""Find the built-in policies: PolicySpec values in policies/python/*.py, and policies/rego/**.rego."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from policies import python as python_policies
from policies.model import PolicySpec
from policies.rego import REGO_ROOT, read_policy


class PolicyLoadError(ValueError):
    """A policy that does not load; the message names the file."""


@dataclass(frozen=True)
class PolicySet:
    policies: dict[str, PolicySpec]

    def __iter__(self) -> Iterator[PolicySpec]:
        return iter(self.policies.values())

    def __len__(self) -> int:
        return len(self.policies)

    def get(self, policy_id: str) -> PolicySpec | None:
        return self.policies.get(policy_id)

    def by_engine(self, engine: str) -> list[PolicySpec]:
        return [p for p in self.policies.values() if p.engine == engine]

    def only(self, ids: Iterable[str]) -> PolicySet:
        wanted = set(ids)
        return PolicySet({k: v for k, v in self.policies.items() if k in wanted})


def _python_specs() -> Iterator[PolicySpec]:
    for info in pkgutil.iter_modules(python_policies.__path__):
        module = importlib.import_module(f"{python_policies.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, PolicySpec):
                yield value


def rego_policy_files(root: Path = REGO_ROOT) -> list[Path]:
    """Policy files: every .rego under root but tests and the shared library (root/lib)."""
    return sorted(
        p
        for p in root.rglob("*.rego")
        if not p.name.endswith("_test.rego") and p.relative_to(root).parts[0] != "lib"
    )


def load_policies(rego_root: Path = REGO_ROOT) -> PolicySet:
    found: dict[str, PolicySpec] = {}
    specs = list(_python_specs()) + [read_policy(p) for p in rego_policy_files(rego_root)]
    for spec in specs:
        other = found.get(spec.id)
        if other is not None and other is not spec:
            raise PolicyLoadError(
                f"policy id {spec.id} defined twice: {other.source_file} and {spec.source_file}"
            )
        found[spec.id] = spec
    return PolicySet(dict(sorted(found.items())))
