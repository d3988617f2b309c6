"""`make bench`: run every benchmark and print its figures."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import bench_collect, bench_evaluate, bench_evidence, bench_gate, bench_reader


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--resources", type=int, default=5000, help="size of the generated Terraform tree")
    args = parser.parse_args()
    bench_evaluate.run(args.resources)
    tree = Path("bench/out") / f"tree-{args.resources}"
    bench_reader.run(tree)
    bench_gate.run(tree)
    bench_evidence.run(tree)
    bench_collect.run()


if __name__ == "__main__":
    main()
