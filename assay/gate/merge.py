"""One verdict from two engines: fold checkov's results into Assay's findings, control by control.

A checkov result lands on the Assay finding for the same resource and a shared control; the worse of the
two verdicts wins, so one engine's pass never hides the other's fail. A result with no Assay counterpart
stands as a checkov finding of its own. Checkov's sibling resources (an S3 public access block, an NSG rule)
are matched to the parent resource Assay judged them with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from controls import Catalog
from policies.checkov import FAILED, PASSED, CheckovResult, CheckovRun
from reports.findings import Finding, display_path, fingerprint, severity_of

_KEYS = re.compile(r"\[[^\[\]]*\]")


def base(address: str) -> str:
    """An address without instance keys: checkov does not expand for_each inside modules."""
    return _KEYS.sub("", address)


@dataclass
class AddressIndex:
    """Checkov's resource addresses -> the snapshot ids Assay judged them under."""

    by_base: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, snapshot_ids: Iterable[str], merged: Mapping[str, set[str]]) -> AddressIndex:
        index = cls()
        for sid in snapshot_ids:
            index.by_base.setdefault(base(sid), set()).add(sid)
        for child, parents in merged.items():
            index.by_base.setdefault(base(child), set()).update(parents)
        return index

    def targets(self, address: str) -> set[str]:
        exact = self.by_base.get(base(address), set())
        same = {t for t in exact if t == address}
        return same or exact


def _absorb(finding: Finding, result: CheckovResult, failed_check: set[int]) -> None:
    """Fold one checkov verdict in; `check_id` names a failing check when there is one."""
    if result.result == FAILED and id(finding) not in failed_check:
        finding.check_id = result.check_id
        failed_check.add(id(finding))
    elif finding.check_id is None:
        finding.check_id = result.check_id
    if result.result == FAILED and finding.status in ("pass", "unknown"):
        finding.status, finding.engine = "fail", "checkov"
        finding.message = (
            f"checkov {result.check_id} ({result.check_name}) fails here; "
            f"Assay's {finding.policy_id} passed: {finding.message}"
        )
    elif result.result == FAILED and finding.status == "fail" and result.check_id not in finding.message:
        finding.message += f" (checkov {result.check_id} agrees)"


def _standalone(result: CheckovResult, controls: tuple[str, ...], catalog: Catalog, resource: str) -> Finding:
    file = display_path(result.file)
    return Finding(
        control_ids=list(controls),
        requirements=catalog.requirements_of(controls),
        policy_id=result.check_id,
        engine="checkov",
        check_id=result.check_id,
        resource=resource,
        file=file,
        line=result.line,
        severity=severity_of(controls, catalog, "medium"),
        status="pass" if result.result == PASSED else "fail",
        message=f"checkov {result.check_id}: {result.check_name}",
        fingerprint=fingerprint(controls, result.check_id, resource, file, result.code_digest),
    )


def merge_checkov(
    findings: list[Finding], run: CheckovRun, catalog: Catalog, index: AddressIndex
) -> list[Finding]:
    """Findings with checkov's verdicts folded in (SKIPPED results are the caller's: see waivers)."""
    by_resource: dict[str | None, list[Finding]] = {}
    for f in findings:
        by_resource.setdefault(f.parent or f.resource, []).append(f)  # checkov's results land on the snapshot
    extra: dict[tuple[str, str], Finding] = {}
    failed_check: set[int] = set()
    for result in run.results:
        if result.result not in (PASSED, FAILED):
            continue
        controls = catalog.controls_for_checkov(result.check_id)
        targets = index.targets(result.resource) or {result.resource}
        for target in sorted(targets):
            matches = [f for f in by_resource.get(target, []) if set(f.control_ids) & set(controls)]
            for finding in matches:
                _absorb(finding, result, failed_check)
            key = (result.check_id, target)
            if not matches and (key not in extra or result.result == FAILED):
                extra[key] = _standalone(result, controls, catalog, target)
    return findings + list(extra.values())


def checkov_failures(run: CheckovRun, catalog: Catalog, check_ids: Iterable[str]) -> list[Finding]:
    """A crash or an unparsed file: `error` for every control the checks serve, never silence."""
    controls = sorted({c for cid in check_ids for c in catalog.controls_for_checkov(cid)})
    problems: list[tuple[str | None, str]] = []
    if run.crash:
        problems.append((None, f"checkov crashed ({run.crash}); its checks did not run"))
    problems += [
        (display_path(p), "checkov could not parse this file; its checks did not run on it")
        for p in run.parse_errors
    ]
    return [
        Finding(
            control_ids=controls,
            requirements=catalog.requirements_of(controls),
            policy_id="checkov",
            engine="checkov",
            resource=None,
            file=file,
            line=None,
            severity=severity_of(controls, catalog, "high"),
            status="error",
            message=message,
            fingerprint=fingerprint(controls, "checkov", None, file, message),
        )
        for file, message in problems
    ]
