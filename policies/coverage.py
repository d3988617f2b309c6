"""Coverage: which of the resources an input declares the policies judged, and which they did not.

One function, `coverage`, decides it for every command (evaluate, gate, run, the scheduler): a resource is
not judged when the reader made no snapshot of it (a Terraform type with no mapper, a Kubernetes kind no
snapshot type stands for), or when no policy reads its snapshot type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from collectors import ResourceSnapshot, Unread
from policies.registry import PolicySet

NOT_READ = "no_snapshot_type"  # the reader has no snapshot type for this resource type
NO_POLICY = "no_policy"  # no policy reads this snapshot type


@dataclass(frozen=True)
class Coverage:
    judged: int = 0  # snapshots of a type some policy reads
    joined: int = 0  # declared sibling resources merged into a judged snapshot (an S3 bucket's SSE config)
    unread: tuple[Unread, ...] = ()  # declared, but no snapshot stands for them
    unpoliced: tuple[Unread, ...] = ()  # snapshots no policy reads

    @property
    def not_judged(self) -> tuple[Unread, ...]:
        return self.unread + self.unpoliced

    def types(self) -> dict[str, int]:
        """Resources not judged per type, most first (ties by name)."""
        counts = Counter(u.type for u in self.not_judged)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def summary(self) -> dict[str, Any]:
        """`{"resources": N, "types": {type: count}}`: the shape of JSON's `summary.not_judged`."""
        return {"resources": len(self.not_judged), "types": self.types()}

    def details(self) -> list[dict[str, Any]]:
        """Every resource not judged, with where it is declared and why."""
        return [
            {"resource": u.resource, "type": u.type, "file": u.file, "line": u.line, "reason": reason}
            for group, reason in ((self.unread, NOT_READ), (self.unpoliced, NO_POLICY))
            for u in sorted(group, key=lambda u: (u.type, u.resource))
        ]

    def judged_elsewhere(self, judged: Callable[[str], bool]) -> Coverage:
        """This coverage after another engine (checkov) judged some of the unread resources, by address."""
        kept = tuple(u for u in self.unread if not judged(u.resource))
        moved = len(self.unread) - len(kept)
        return Coverage(self.judged + moved, self.joined, kept, self.unpoliced)

    def to_json(self) -> dict[str, Any]:
        return {
            "judged": self.judged,
            "joined": self.joined,
            "unread": [vars(u) for u in self.unread],
            "unpoliced": [vars(u) for u in self.unpoliced],
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> Coverage:
        return cls(
            doc["judged"],
            doc["joined"],
            tuple(Unread(**u) for u in doc["unread"]),
            tuple(Unread(**u) for u in doc["unpoliced"]),
        )


def coverage(
    policies: PolicySet,
    snapshots: Sequence[ResourceSnapshot],
    unread: Iterable[Unread] = (),
    merged: Mapping[str, Iterable[str]] | None = None,
) -> Coverage:
    """What `policies` judge of an input: its snapshots, the resources read without a snapshot (`unread`),
    and the siblings merged into snapshots (`merged`: sibling address -> the snapshot ids it joined)."""
    read = {t for spec in policies for t in spec.resource_types}
    judged_ids = {s.id for s in snapshots if s.type in read}
    unpoliced = tuple(
        Unread(s.id, s.type, s.location.file if s.location else None, s.location.line if s.location else None)
        for s in snapshots
        if s.type not in read
    )
    joined = sum(1 for parents in (merged or {}).values() if judged_ids.intersection(parents))
    return Coverage(len(snapshots) - len(unpoliced), joined, tuple(unread), unpoliced)
