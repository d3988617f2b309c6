"""Crash-test writer: records deterministic batches, printing ACK <ledger size> after each commit."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.evidence.helpers import make_store, results


def main() -> None:
    root, batches, size = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    store = make_store(root)
    for b in range(batches):
        committed = store.record(results(size, f"run-{b}", start=b * size))
        print(f"ACK {committed.size}", flush=True)


if __name__ == "__main__":
    main()
