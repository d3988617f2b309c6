"""`assay.collect.collect`: targets read in parallel, one that cannot be read fails alone and loudly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assay import collect as collect_module
from assay.collect import TargetsConfig, collect
from assay.settings import Settings
from collectors import make_snapshot
from collectors.runtime import AwsTarget, AzureTarget, CollectionReport


def _reader_or_broken(target: Any, settings: Settings) -> Any:
    """AWS reads one account summary; Azure's SDK fails to load, as a missing package would."""
    if isinstance(target, AzureTarget):
        raise ImportError("No module named 'azure.mgmt.storage'")

    def read(t: Any, sink: Any, report: CollectionReport) -> None:
        report.call()
        report.saw("aws.iam.account_summary")
        sink(
            make_snapshot(
                id="arn:aws:iam::123456789012:account-summary",
                type="aws.iam.account_summary",
                source="runtime",
                attributes={"account_mfa_enabled": True, "account_access_keys_present": False},
                collector="test",
                raw={},
            )
        )

    return read


def test_a_collector_that_cannot_load_fails_only_its_targets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collect_module, "_import_collector", _reader_or_broken)
    config = TargetsConfig(
        aws=[AwsTarget(name="prod")], azure=[AzureTarget(name="dr", subscription_id="sub-1")]
    )

    collected = collect(config, Settings(home=tmp_path))

    by_provider = {r.provider: r for r in collected.reports}
    assert by_provider["aws"].status == "complete" and len(collected.snapshots) == 1
    (failure,) = by_provider["azure"].failures
    assert by_provider["azure"].status == "failed"
    assert "ImportError: No module named 'azure.mgmt.storage'" in str(failure)
    assert "azure.storage.account" in failure.snapshot_types  # its controls become error, never pass
    assert collected.status == "partial"
