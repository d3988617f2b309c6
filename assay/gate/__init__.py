"""The CI gate: one verdict from Assay's policies and checkov, with expiring waivers and baselines."""

import assay
from assay.gate.baseline import BaselineError
from assay.gate.run import GateOptions, run_gate
from assay.gate.waivers import WaiverError
from controls import Catalog
from policies import PolicySet
from reports.gate import GateView, gate_json, gate_text
from reports.github import gate_github
from reports.junit import gate_junit
from reports.sarif import gate_sarif


def render_gate(view: GateView, form: str, catalog: Catalog, policies: PolicySet) -> str:
    if form == "json":
        return gate_json(view)
    if form == "sarif":
        return gate_sarif(view, catalog, policies, assay.__version__)
    if form == "junit":
        return gate_junit(view, catalog)
    if form == "github":
        return gate_github(view)
    return gate_text(view, catalog)


__all__ = ["BaselineError", "GateOptions", "WaiverError", "render_gate", "run_gate"]
