"""Content-hash cache for the gate: an unchanged tree, with unchanged policies, is not judged again.

The key covers every input file's path and bytes (with the tfvars files Terraform loads by itself), the
catalogue, every policy and collector source file and the options that change the result: among them the
--var-file contents, the --var values and the TF_VAR_ variables that name a declared variable. Entries are
written atomically; a corrupt entry is a miss, not an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import assay
import collectors
import controls
import policies
from assay.discovery import Inputs
from collectors.terraform import VarInputs
from collectors.terraform.variables import ENV_PREFIX, auto_loaded

# HCL accepts a block label quoted or bare: `variable "admin_cidr" {` and `variable admin_cidr {`
_VARIABLE_BLOCK = re.compile(rb'^\s*variable\s+"?([\w-]+)"?\s*\{', re.MULTILINE)


@cache
def _code_digest() -> str:
    """Everything that decides a verdict: catalogue YAML, Python and Rego policies, readers and mappers."""
    digest = hashlib.sha256(assay.__version__.encode())
    for package in (controls, policies, collectors):
        root = Path(str(package.__file__)).parent
        for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".rego", ".yaml")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def input_files(inputs: Inputs) -> list[Path]:
    files: set[Path] = set(inputs.plan_files) | set(inputs.manifest_files)
    for directory in inputs.terraform_dirs:
        files.update(directory.glob("*.tf"))
        files.update(auto_loaded(directory))  # the tfvars Terraform loads, as the reader finds them
    return sorted(files)


def variables_key(variables: VarInputs, files: Iterable[Path]) -> dict[str, Any]:
    """The variable inputs beyond the tree: --var-file paths and contents, --var values in order, and the
    TF_VAR_ variables naming a variable the tree declares (others cannot change a verdict)."""
    declared = {
        name.decode(errors="replace")
        for path in files
        if path.suffix == ".tf"
        for name in _VARIABLE_BLOCK.findall(path.read_bytes())
    }
    options = [
        [kind, str(Path(value).resolve()), hashlib.sha256(Path(value).read_bytes()).hexdigest()]
        if kind == "var-file"
        else [kind, value]
        for kind, value in variables.options
    ]
    env = {k: v for k, v in variables.env.items() if k.removeprefix(ENV_PREFIX) in declared}
    return {"options": options, "env": env}


def cache_key(files: Iterable[Path], options: dict[str, Any]) -> str:
    digest = hashlib.sha256(_code_digest().encode())
    digest.update(json.dumps(options, sort_keys=True).encode())
    for path in files:
        digest.update(str(path.resolve()).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def input_digest(files: Iterable[Path]) -> str:
    """What the gate judged: every input file's path and bytes, independent of Assay's own version."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class GateCache:
    def __init__(self, directory: Path):
        self.directory = directory

    def get(self, kind: str, key: str) -> Any | None:
        path = self.directory / f"{kind}-{key}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{kind}-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle)
        os.replace(tmp, self.directory / f"{kind}-{key}.json")
