"""The documented offline recipe verifies a record with openssl and sha256sum alone, and catches tampering."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from evidence_store.ledger import record_key
from tests.evidence.helpers import make_store, results, snapshot

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "verify-record.sh"


def _publish(tmp_path: Path) -> tuple[Path, str, str]:
    store = make_store(tmp_path)
    store.record([snapshot(7), *results(2)])
    root = Path(store.backend.url.removeprefix("file://"))
    (root / "keys").mkdir(exist_ok=True)
    (root / "keys" / f"{store.signer.key_id}.pem").write_bytes(store.signer.public_pem())
    rows = store.index.records()
    return (
        root,
        next(r.digest for r in rows if r.kind == "snapshot"),
        next(r.digest for r in rows if r.kind != "snapshot"),
    )


def _recipe(root: Path, digest: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin"}  # openssl, sha256sum and the shell's own tools: no Python, no Assay
    return subprocess.run(
        ["sh", str(SCRIPT), str(root), digest], capture_output=True, text=True, env=env, check=False
    )


def test_recipe_verifies_records_and_their_snapshot_blob(tmp_path: Path) -> None:
    root, snap, result = _publish(tmp_path)
    for digest in (snap, result):
        proc = _recipe(root, digest)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert f"RECORD OK: {digest}" in proc.stdout
    assert "snapshot blob matches" in _recipe(root, snap).stdout


def test_recipe_fails_on_a_tampered_payload_or_a_foreign_key(tmp_path: Path) -> None:
    root, _, digest = _publish(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    path = copy / record_key(digest)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes().replace(b'"keyid"', b'"keyid" '))
    assert _recipe(copy, digest).returncode != 0  # the file no longer hashes to its name
    other = make_store(tmp_path / "other")
    key = next((copy / "keys").iterdir())
    key.chmod(0o644)
    key.write_bytes(other.signer.public_pem())
    shutil.copy(root / record_key(digest), path)
    proc = _recipe(copy, digest)
    assert proc.returncode != 0 and "RECORD OK" not in proc.stdout
