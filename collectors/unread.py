"""Resources an input declares that no snapshot stands for: nothing judges them, so reports must say so."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unread:
    """One declared resource without a snapshot (or, from coverage, a snapshot no policy reads).

    `type` is as the input names it: a Terraform type (`aws_lambda_function`), a Kubernetes kind
    (`ConfigMap`), or a snapshot type (`k8s.secret`) for a snapshot that was read but that no policy reads.
    """

    resource: str  # Terraform address, Kubernetes object id, or snapshot id
    type: str
    file: str | None = None
    line: int | None = None
