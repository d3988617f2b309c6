"""The CLI's parser names each command's handler as "module:function" and imports only that module."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from assay import cli
from assay.collect import PROVIDERS
from controls import Severity, load_catalog


def _handlers(parser: argparse.ArgumentParser) -> list[str]:
    found: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                handler = sub.get_default("handler")
                found.extend([handler] if handler else _handlers(sub))
    return found


def test_every_command_names_a_handler_that_exists() -> None:
    handlers = _handlers(cli.build_parser())
    assert len(handlers) == 16  # controls list/show ... demo: every command has one
    for name in handlers:
        module, _, function = name.partition(":")
        assert callable(getattr(importlib.import_module(module), function)), name


def test_choice_lists_match_their_sources() -> None:
    assert [s.value for s in Severity] == cli.SEVERITIES
    assert tuple(cli.PROVIDERS) == PROVIDERS
    assert sorted(cli.FRAMEWORKS) == sorted(load_catalog().frameworks)


@pytest.mark.parametrize(
    ("module", "absent"),
    [
        ("assay.cli", ("sqlalchemy", "boto3", "hcl2", "pydantic")),
        ("assay.commands.gate", ("sqlalchemy", "boto3", "kubernetes", "azure.mgmt")),
        ("assay.commands.verify", ("sqlalchemy", "hcl2", "kubernetes", "checkov")),
    ],
)
def test_commands_load_only_what_they_use(module: str, absent: tuple[str, ...]) -> None:
    code = f"import sys, {module}; print(' '.join(sorted(m for m in {absent!r} if m in sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "", f"{module} loads {proc.stdout.strip()} at start-up"
