"""JUDGE: pure policies over snapshots, in Python and Rego, dispatched by one engine."""

from policies.coverage import Coverage, coverage
from policies.engine import Evaluation, evaluate
from policies.model import Context, Judgement, PolicySpec, Resources, Status, Verdict
from policies.registry import PolicyLoadError, PolicySet, load_policies
from policies.rego import RegoError

__all__ = [
    "Context",
    "Coverage",
    "Evaluation",
    "Judgement",
    "PolicyLoadError",
    "PolicySet",
    "PolicySpec",
    "RegoError",
    "Resources",
    "Status",
    "Verdict",
    "coverage",
    "evaluate",
    "load_policies",
]
