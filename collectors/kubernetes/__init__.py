"""Kubernetes: manifests on disk and live API objects -> the same k8s.* snapshots.

`collect_kubernetes` loads the official client (most of a second) only when it is first used, so reading
manifests, and every command that does not talk to a cluster, does not pay for it.
"""

from typing import Any

from collectors.kubernetes.manifests import read_manifests
from collectors.kubernetes.objects import snapshot_from_object

__all__ = ["collect_kubernetes", "read_manifests", "snapshot_from_object"]


def __getattr__(name: str) -> Any:
    if name == "collect_kubernetes":
        from collectors.kubernetes.live import collect_kubernetes

        return collect_kubernetes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
