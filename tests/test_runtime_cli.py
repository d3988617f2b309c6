"""End-to-end against the stand-ins: `assay run --config`, `collect`, `drift` and `serve --once`, including
injected faults that must give partial runs with exact reasons, never passes."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assay.collect import collect, load_targets
from assay.settings import Settings
from assay.standins.platform import FAKE_AWS, running_platform
from assay.standins.stub_http import StubControl
from controls import Automation, load_catalog
from tests.cli_runner import run_assay

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "examples/demo.toml"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with running_platform(tmp_path_factory.mktemp("standins"), ROOT / "examples" / "platform") as urls:
        yield urls


def assay(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_assay(*args, home=home, env=FAKE_AWS)


def test_run_config_judges_and_records_every_automatable_control(
    platform: dict[str, str], tmp_path: Path
) -> None:
    proc = assay(tmp_path, "run", "--config", CONFIG, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    judged = {c for j in doc["judgements"] for c in j["control_ids"]}
    automatable = {c.id for c in load_catalog().controls.values() if c.automation is not Automation.manual}
    assert automatable <= judged
    failing = {
        (c, j["resource"]) for j in doc["judgements"] if j["status"] == "fail" for c in j["control_ids"]
    }
    assert (
        "NET-01",
        next(r for c, r in failing if c == "NET-01"),
    ) in failing  # SSH open on the seeded bastion
    assert any(c == "NET-03" for c, _ in failing) and any(c == "K8S-04" for c, _ in failing)
    assert doc["evidence"]["records"] > doc["summary"]["resources"]
    kinds = {r["kind"] for r in json.loads(assay(tmp_path, "evidence", "list", "--format", "json").stdout)}
    assert {"snapshot", "policy-result", "collection-run"} <= kinds
    assert assay(tmp_path, "evidence", "verify", "--all").returncode == 0


def test_collect_reports_its_population(platform: dict[str, str], tmp_path: Path) -> None:
    proc = assay(tmp_path, "collect", "--config", CONFIG, "--provider", "kubernetes", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    (population,) = json.loads(proc.stdout)["population"]
    assert population["status"] == "complete" and population["pages"] >= population["calls"] > 0
    assert population["notes"]["resource_versions"]


def test_injected_fault_gives_a_partial_run_with_the_exact_reason(
    platform: dict[str, str], tmp_path: Path
) -> None:
    arm = StubControl(platform["azure"])
    arm.fault(path_contains="networkSecurityGroups", status=403, times=0)
    try:
        proc = assay(tmp_path, "run", "--config", CONFIG, "--provider", "azure", "--format", "json")
    finally:
        arm.reset()
    assert proc.returncode == 4, proc.stderr
    assert "azure:trading-dr partial" in proc.stderr and "not read:" in proc.stderr
    assert "azure.network.nsg" in proc.stderr
    net03 = [j for j in json.loads(proc.stdout)["judgements"] if "NET-03" in j["control_ids"]]
    assert net03 and {j["status"] for j in net03} == {"error"}  # never a pass on what was not read
    runs = json.loads(
        assay(tmp_path, "evidence", "list", "--kind", "collection-run", "--format", "json").stdout
    )
    assert runs and runs[0]["status"] == "partial"


def test_drift_between_terraform_and_the_running_platform(platform: dict[str, str], tmp_path: Path) -> None:
    proc = assay(
        tmp_path,
        "drift",
        "examples/platform",
        "--config",
        CONFIG,
        "--provider",
        "azure",
        "--format",
        "json",
        "--record",
    )
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["matched"] > 0 and set(doc) >= {"only_in_terraform", "only_running", "changed"}
    assert (proc.returncode == 1) == doc["drifted"]
    assert "recorded as signed evidence" in proc.stderr


def test_serve_once_runs_every_job(platform: dict[str, str], tmp_path: Path) -> None:
    proc = assay(tmp_path, "serve", "--config", CONFIG, "--once")
    assert proc.returncode == 0, proc.stderr
    logged = [json.loads(line) for line in proc.stderr.splitlines() if line.startswith("{")]
    lines = [line for line in logged if line["logger"] == "assay.serve"]
    assert lines and all(line["message"] == "job finished" for line in lines)
    assert {line["job"].split(":")[0] for line in lines} == {"aws", "azure", "kubernetes"}


def test_bad_targets_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "t.toml"
    bad.write_text('[[aws]]\nname = "x"\nregions = 5\n')
    proc = assay(tmp_path, "run", "--config", str(bad))
    assert proc.returncode == 2 and "t.toml: aws.0.regions" in proc.stderr and "Traceback" not in proc.stderr


def test_collection_reports_progress_from_every_target(
    platform: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in FAKE_AWS.items():
        monkeypatch.setenv(name, value)
    seen: list[int] = []
    collected = collect(
        load_targets(ROOT / CONFIG), Settings(home=tmp_path), progress=lambda done, _: seen.append(done)
    )
    assert collected.status == "complete"
    assert sorted(seen) == list(range(1, len(collected.snapshots) + 1))  # one tick per resource, all targets
    assert {s.provider for s in collected.snapshots} == {"aws", "azure", "kubernetes"}


def test_drift_reads_terraform_with_the_variable_options(platform: dict[str, str], tmp_path: Path) -> None:
    def drift(*options: str) -> dict[str, object]:
        args = ("drift", "examples/platform", "--config", CONFIG, "--provider", "azure", "--format", "json")
        proc = assay(tmp_path, *args, *options)
        assert proc.returncode in (0, 1), proc.stderr
        return json.loads(proc.stdout)  # type: ignore[no-any-return]

    as_deployed = drift()
    renamed = drift("--var", "project=otherplat")  # every Azure name is built from var.project
    assert renamed["matched"] < as_deployed["matched"]  # type: ignore[operator]
    missing = {r["name"] for r in renamed["only_in_terraform"]}  # type: ignore[attr-defined]
    assert any("otherplat" in name for name in missing)
