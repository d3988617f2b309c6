"""`assay gate`: judge a Terraform tree or plan with Assay's policies and checkov, then apply the team's
accepted risks (waivers, baseline) and decide pass or fail at a severity threshold."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from assay.discovery import discover
from assay.errors import InputError
from assay.gate.baseline import apply_baseline, load_baseline, write_baseline
from assay.gate.cache import GateCache, cache_key, input_digest, input_files, variables_key
from assay.gate.merge import AddressIndex, base, checkov_failures, merge_checkov
from assay.gate.skips import find_inline_skips, honour_skips
from assay.gate.waivers import apply_waivers, load_waivers
from assay.pipeline import assess
from assay.settings import Settings
from collectors.problems import Problem
from collectors.terraform import VarInputs
from controls import Catalog, Severity
from policies import Coverage, PolicySet
from policies.checkov import FAILED, PASSED, CheckovResult, CheckovRun, run_checkov
from reports.findings import Finding, from_judgements
from reports.gate import GateView

DEFAULT_WAIVERS = Path(".assay") / "waivers.yaml"


@dataclass
class GateOptions:
    path: Path
    fail_on: str = "high"
    frameworks: tuple[str, ...] = ()
    waivers: Path | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    checkov: bool = True
    honour_inline_skips: bool = False
    use_cache: bool = True
    require_missing: bool = True  # False: judge a fragment without demanding platform-wide resources
    unknown_blocks: bool = True  # False (`--unknown warn`): report unknown verdicts without blocking
    variables: VarInputs = field(default_factory=VarInputs)  # --var-file, --var and TF_VAR_ for the roots
    today: date = field(default_factory=lambda: datetime.now(UTC).date())


@dataclass
class _AssayPart:
    findings: list[Finding]
    problems: list[Problem]
    snapshot_ids: list[str]
    merged: dict[str, list[str]]
    coverage: Coverage = field(default_factory=Coverage)

    def dump(self) -> dict[str, Any]:
        return {
            "findings": [f.to_dict() for f in self.findings],
            "problems": [asdict(p) for p in self.problems],
            "snapshot_ids": self.snapshot_ids,
            "merged": self.merged,
            "coverage": self.coverage.to_json(),
        }

    @classmethod
    def load(cls, doc: dict[str, Any]) -> _AssayPart:
        return cls(
            [Finding(**f) for f in doc["findings"]],
            [Problem(**p) for p in doc["problems"]],
            doc["snapshot_ids"],
            doc["merged"],
            Coverage.from_json(doc["coverage"]),
        )


def _assay_part(opts: GateOptions, catalog: Catalog, policies: PolicySet, settings: Settings) -> _AssayPart:
    result = assess(opts.path, catalog, policies, settings, variables=opts.variables)
    snapshots = {s.id: s for s in result.snapshots}
    findings = from_judgements(result.judgements, snapshots, catalog, policies, opts.require_missing)
    merged = {child: sorted(parents) for child, parents in result.merged.items()}
    return _AssayPart(findings, result.problems, sorted(snapshots), merged, result.coverage(policies))


def _cached(cache: GateCache | None, kind: str, key: str) -> dict[str, Any] | None:
    return cache.get(kind, key) if cache else None


def default_waivers(path: Path) -> Path | None:
    """`.assay/waivers.yaml` in the working directory, else in PATH or the nearest of its parents."""
    start = path.resolve() if path.is_dir() else path.resolve().parent
    for directory in [Path.cwd(), start, *start.parents]:
        if (directory / DEFAULT_WAIVERS).is_file():
            return directory / DEFAULT_WAIVERS
    return None


def _allowed_controls(catalog: Catalog, frameworks: tuple[str, ...]) -> set[str]:
    if not frameworks:
        return set(catalog.controls)
    unknown = sorted(set(frameworks) - set(catalog.frameworks))
    if unknown:
        raise InputError(
            f"unknown framework(s) {', '.join(unknown)}; choose from {', '.join(catalog.frameworks)}"
        )
    return {c.id for fw in frameworks for c in catalog.for_framework(fw)}


def _narrow(findings: list[Finding], allowed: set[str], frameworks: tuple[str, ...]) -> list[Finding]:
    kept = []
    for f in findings:
        ids = [c for c in f.control_ids if c in allowed]
        if ids:
            f.control_ids = ids
            if frameworks:
                f.requirements = {fw: r for fw, r in f.requirements.items() if fw in frameworks}
            kept.append(f)
    return kept


def checkov_judged(coverage: Coverage, run: CheckovRun) -> Coverage:
    """Coverage once checkov has run: a resource Assay cannot read but a checkov check judged is judged."""
    judged = {base(r.resource) for r in run.results if r.result in (PASSED, FAILED)}
    return coverage.judged_elsewhere(lambda address: base(address) in judged)


def _checkov_part(opts: GateOptions, check_ids: list[str], cache: GateCache | None, key: str) -> CheckovRun:
    hit = _cached(cache, "checkov", key)
    if hit is not None:
        return CheckovRun([CheckovResult(**r) for r in hit["results"]], hit["parse_errors"], hit["crash"])
    run = run_checkov(
        opts.path,
        check_ids,
        honour_skip_comments=opts.honour_inline_skips,
        var_files=opts.variables.var_files,
    )
    if cache and run.crash is None:
        cache.put(
            "checkov",
            key,
            {
                "results": [asdict(r) for r in run.results],
                "parse_errors": run.parse_errors,
                "crash": run.crash,
            },
        )
    return run


def _judge(
    opts: GateOptions, catalog: Catalog, policies: PolicySet, settings: Settings, allowed: set[str]
) -> tuple[list[Finding], list[Problem], bool, str, Coverage]:
    """Both engines over the input, each part served from the content-hash cache when nothing changed."""
    inputs = discover(opts.path) if opts.path.exists() else None
    if inputs is None or inputs.empty():
        raise InputError(f"{opts.path}: no Terraform (*.tf) or plan JSON to gate")
    cache = GateCache(settings.home / "cache") if opts.use_cache else None
    files = input_files(inputs)
    variables = variables_key(opts.variables, files)
    key = cache_key(files, {"part": "assay", "missing": opts.require_missing, "variables": variables})
    hit = _cached(cache, "assay", key)
    part = _AssayPart.load(hit) if hit else _assay_part(opts, catalog, policies, settings)
    if cache and not hit:
        cache.put("assay", key, part.dump())
    findings, covered = part.findings, part.coverage
    check_ids = sorted({c for cid in allowed for c in catalog.controls[cid].checkov}) if opts.checkov else []
    if check_ids:
        checkov_key = cache_key(
            files,
            {
                "part": "checkov",
                "checks": check_ids,
                "skips": opts.honour_inline_skips,
                "variables": variables,
            },
        )
        run = _checkov_part(opts, check_ids, cache, checkov_key)
        index = AddressIndex.build(part.snapshot_ids, {k: set(v) for k, v in part.merged.items()})
        findings = merge_checkov(findings, run, catalog, index) + checkov_failures(run, catalog, check_ids)
        covered = checkov_judged(covered, run)
        if opts.honour_inline_skips:
            honour_skips(findings, run, catalog, index)
    return findings, part.problems, hit is not None, input_digest(files), covered


def run_gate(opts: GateOptions, catalog: Catalog, policies: PolicySet, settings: Settings) -> GateView:
    allowed = _allowed_controls(catalog, opts.frameworks)
    waivers_path = opts.waivers or default_waivers(opts.path)
    waivers = load_waivers(waivers_path, catalog, policies, opts.today) if waivers_path else []
    baseline = load_baseline(opts.baseline) if opts.baseline else set()
    findings, problems, cached, digest, covered = _judge(opts, catalog, policies, settings, allowed)
    findings = _narrow(findings, allowed, opts.frameworks)
    report = apply_waivers(findings, waivers, opts.today)
    stale = apply_baseline(findings, baseline, opts.baseline) if opts.baseline else set()
    return GateView(
        findings=findings,
        problems=problems,
        fail_on=Severity(opts.fail_on),
        expired=[w.describe() for w in report.expired],
        expiring=[w.describe() for w in report.expiring],
        stale=[w.describe() for w in report.stale],
        inline_skips=[asdict(s) for s in find_inline_skips(opts.path)],
        honour_inline_skips=opts.honour_inline_skips,
        stale_baseline=len(stale),
        baseline_written=write_baseline(opts.write_baseline, findings) if opts.write_baseline else None,
        cached=cached,
        input_digest=digest,
        unknown_blocks=opts.unknown_blocks,
        coverage=covered,
    )
