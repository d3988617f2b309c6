"""End-to-end: `assay run`, `assay evidence list|show|verify` and `assay keys export` on embedded defaults."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import run_assay

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "platform"
PEOPLE = ("jane.doe@tradeplat.example", "raj.patel@tradeplat.example", "jane.doe", "raj.patel")


def assay(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_assay(*args, home=home)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    home = tmp_path_factory.mktemp("home")
    proc = assay(home, "run", str(EXAMPLE), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return home, json.loads(proc.stdout)


def test_run_records_every_snapshot_and_judgement(recorded: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    home, doc = recorded
    evidence = doc["evidence"]
    assert evidence["records"] == doc["summary"]["resources"] + len(doc["judgements"]) + 1  # + the run record
    assert evidence["checkpoint"] and evidence["store"].startswith("file://")
    assert (home / "keys" / "signing.pem").stat().st_mode & 0o777 == 0o600


def test_list_filters_and_show_decodes(recorded: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    home, _ = recorded
    rows = json.loads(assay(home, "evidence", "list", "--control", "ENC-03", "--format", "json").stdout)
    assert rows and all("ENC-03" in r["control_ids"] for r in rows)
    failing = next(r for r in rows if r["status"] == "fail")
    shown = assay(home, "evidence", "show", failing["digest"][:12])
    statement = json.loads(shown.stdout)["statement"]
    assert statement["predicateType"] == "https://assay.dev/predicates/policy-result/v1"
    assert statement["predicate"]["resource_id"] == "module.storage.aws_s3_bucket.reporting_exports"
    assert statement["predicate"]["requirements"]["pci-dss"] == ["3.5.1"]
    since = assay(home, "evidence", "list", "--since", "2999-01-01")
    assert since.returncode == 0 and since.stdout.strip().endswith("0 records")


def test_verify_all_passes_then_fails_on_tampering(recorded: tuple[Path, dict], tmp_path: Path) -> None:  # type: ignore[type-arg]
    home, _ = recorded
    ok = assay(home, "evidence", "verify", "--all")
    assert ok.returncode == 0 and ok.stdout.strip().endswith(": OK"), ok.stdout
    copy = tmp_path / "home"
    subprocess.run(["cp", "-a", str(home), str(copy)], check=True)
    record = next((copy / "evidence" / "records" / "sha256").iterdir())
    record.chmod(0o644)
    record.write_bytes(record.read_bytes()[:-3])  # a truncated file
    bad = assay(copy, "evidence", "verify", "--all")
    assert bad.returncode == 1 and "FAIL edited" in bad.stdout and record.name[:16] in bad.stdout


def test_verify_named_records_by_digest_prefix(recorded: tuple[Path, dict], tmp_path: Path) -> None:  # type: ignore[type-arg]
    home, _ = recorded
    copy = tmp_path / "home"
    subprocess.run(["cp", "-a", str(home), str(copy)], check=True)
    first, second = sorted((copy / "evidence" / "records" / "sha256").iterdir())[:2]
    ok = assay(copy, "evidence", "verify", first.stem[:12], second.stem[:12])
    summary = ok.stdout.strip()
    assert ok.returncode == 0 and summary.startswith("2 records,") and summary.endswith(": OK")
    second.chmod(0o644)
    second.write_bytes(second.read_bytes().replace(b'"sig"', b'"sig" '))  # edited after signing
    bad = assay(copy, "evidence", "verify", first.stem[:12], second.stem[:12])
    assert bad.returncode == 1 and f"FAIL edited: records/sha256/{second.name}" in bad.stdout
    unknown = assay(copy, "evidence", "verify", "ffff0000ffff")
    assert unknown.returncode == 2 and "no record with that digest" in unknown.stderr


def test_keys_export_gives_pem_openssl_reads(recorded: tuple[Path, dict], tmp_path: Path) -> None:  # type: ignore[type-arg]
    home, _ = recorded
    proc = assay(home, "keys", "export", "--output", str(tmp_path))
    pem = Path(proc.stdout.strip().splitlines()[0])
    check = subprocess.run(
        ["openssl", "pkey", "-pubin", "-in", str(pem), "-noout"], capture_output=True, check=False
    )
    assert proc.returncode == 0 and check.returncode == 0
    assert "BEGIN PUBLIC KEY" in assay(home, "keys", "export").stdout


def test_no_personal_data_in_recorded_evidence(recorded: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    home, _ = recorded
    assert any(p in (EXAMPLE / "kubernetes" / "rbac.yaml").read_text() for p in PEOPLE)  # the data has them
    assert any(p in (EXAMPLE / "terraform" / "locals.tf").read_text() for p in PEOPLE)
    scanned = 0
    for path in (home / "evidence").rglob("*.json*"):
        text = path.read_text(encoding="utf-8")
        for encoded in _decoded_payloads(text):
            text += encoded
        scanned += 1
        leaked = [p for p in PEOPLE if p in text]
        assert not leaked, f"{path}: {leaked}"
    assert scanned > 100


def _decoded_payloads(text: str) -> list[str]:
    import base64

    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        return []
    payload = doc.get("payload") if isinstance(doc, dict) else None
    return [base64.b64decode(payload).decode()] if payload else []


@pytest.mark.parametrize(
    "args",
    [["evidence", "show", "zzzz"], ["evidence", "verify"], ["evidence", "list", "--since", "yesterday"]],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    proc = assay(tmp_path, *args)
    assert proc.returncode == 2 and proc.stderr.startswith("assay: error:") and proc.stderr.count("\n") == 1


def test_unreachable_s3_is_a_clear_error_and_nothing_partial(tmp_path: Path) -> None:
    env_home = tmp_path / "home"
    proc = subprocess.run(
        [sys.executable, "-m", "assay.cli", "run", str(EXAMPLE / "terraform" / "modules" / "eks")],
        cwd=ROOT,
        env={
            **os.environ,
            "ASSAY_HOME": str(env_home),
            "ASSAY_EVIDENCE_URL": "s3://nowhere/evidence",
            "ASSAY_AWS_ENDPOINT_URL": "http://127.0.0.1:9",
            "AWS_ACCESS_KEY_ID": "x",
            "AWS_SECRET_ACCESS_KEY": "x",
            "ASSAY_AWS_REGION": "us-east-1",
            "AWS_MAX_ATTEMPTS": "1",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "s3://nowhere" in proc.stderr and "Traceback" not in proc.stderr


def _on_terminal(home: Path, *args: str) -> tuple[int, str, str]:
    """Run with standard error on a pseudo-terminal, as a person at a shell sees it."""
    leader, follower = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "assay.cli", *args],
        env={**os.environ, "ASSAY_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=follower,
        text=True,
        timeout=300,
        check=False,
    )
    os.close(follower)
    drawn = b""
    while select.select([leader], [], [], 0)[0]:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other side is closed and drained
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    return proc.returncode, proc.stdout, drawn.decode()


def test_verify_draws_progress_on_a_terminal_only(recorded: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    home, doc = recorded
    code, out, drawn = _on_terminal(home, "evidence", "verify", "--all")
    assert code == 0 and out.rstrip().endswith(": OK")
    total = doc["evidence"]["records"]
    assert f"verifying records [########################] {total:,}/{total:,} (100%)" in drawn
    assert drawn.endswith("\r\x1b[K")  # wiped when done: only the command's own output remains
    piped = assay(home, "evidence", "verify", "--all")
    assert piped.returncode == 0 and piped.stderr == ""  # a pipe or a CI log gets no bar
