"""Values Terraform cannot know statically, as the reader leaves them: `${...}` text or the plan's
`(known after apply)`. What an `unknown` verdict says it depends on, and how to resolve it."""

from __future__ import annotations

import re
from typing import Any

from collectors.terraform.model import UNKNOWN, is_reference

_VARIABLE = re.compile(r"(?<![\w.])var\.([A-Za-z_][\w-]*)")
_INSIDE = re.compile(r"\$\{(.*?)\}", re.DOTALL)


def is_unknown(value: Any) -> bool:
    """True for a value the Terraform reader could not resolve (a snapshot from the cloud has none)."""
    return is_reference(value)


def depends_on(value: str) -> str:
    """ "depends on var.days: set it in a .tfvars file, …" for an unknown value, to follow a subject."""
    if value == UNKNOWN:
        return "is known only after apply: set it from a value known at plan time to have it judged"
    variables = sorted({f"var.{name}" for name in _VARIABLE.findall(value)})
    if variables:
        them = "it" if len(variables) == 1 else "them"
        return (
            f"depends on {', '.join(variables)}: set {them} in a .tfvars file, pass --var-file, "
            "or gate the plan JSON"
        )
    expression = "; ".join(part.strip() for part in _INSIDE.findall(value)) or value
    return f"depends on {expression}, known only when Terraform plans: gate the plan JSON"
