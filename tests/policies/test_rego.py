"""Rego unit tests: every `_test.rego` under policies/rego runs against all policy and library files."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies.rego import REGO_ROOT, run_tests

TEST_SUFFIX = "_test.rego"


def _test_files() -> list[Path]:
    return sorted(REGO_ROOT.rglob(f"*{TEST_SUFFIX}"))


def _source_files() -> list[Path]:
    """Policies and library packages alike: a test may import either."""
    return sorted(p for p in REGO_ROOT.rglob("*.rego") if not p.name.endswith(TEST_SUFFIX))


@pytest.mark.parametrize("test_file", _test_files(), ids=lambda p: str(p.relative_to(REGO_ROOT)))
def test_rego_file(test_file: Path) -> None:
    results = run_tests(test_file, _source_files())
    assert results, f"{test_file}: no test_* rules"
    failing = [f"{r.name}: {r.error or 'not true'}" for r in results if not r.passed]
    assert not failing, f"{test_file}: failing tests:\n" + "\n".join(failing)


def test_every_rego_file_has_tests() -> None:
    untested = [
        str(p.relative_to(REGO_ROOT))
        for p in _source_files()
        if not p.with_name(p.stem + TEST_SUFFIX).exists()
    ]
    assert not untested, "Rego files without a sibling _test.rego: " + ", ".join(untested)


def test_rego_tests_are_discovered() -> None:
    assert _test_files(), f"no {TEST_SUFFIX} files under {REGO_ROOT}"
