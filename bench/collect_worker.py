"""One measured collection (run in its own process, so peak memory is its own): collect + judge."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from assay.collect import Collected, judge
from collectors.aws import collect_aws
from collectors.runtime import AwsTarget, CollectionReport
from controls import load_catalog
from policies import load_policies


def main() -> None:
    endpoint, workers, regions = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
    catalog, policies = load_catalog(), load_policies()
    target = AwsTarget(name="bench", regions=regions, endpoint_url=endpoint, calls_per_second=10000)
    collected = Collected()
    report = CollectionReport("bench", "aws")
    start = time.perf_counter()
    collect_aws(target, collected.snapshots.append, report, max_workers=workers)
    collected.reports = [report]
    result = judge(collected, catalog, policies, Path("bench"))
    elapsed = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "resources": len(collected.snapshots),
                "judgements": len(result.judgements),
                "status": report.status,
                "calls": report.calls,
                "rss_mb": rss_mb,
            }
        )
    )


if __name__ == "__main__":
    main()
