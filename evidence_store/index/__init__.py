"""The SQL index of the evidence store: record, run and checkpoint metadata, never payloads."""

from evidence_store.index.index import EvidenceIndex
from evidence_store.index.models import CheckpointRow, RecordRow, RunRow

__all__ = ["CheckpointRow", "EvidenceIndex", "RecordRow", "RunRow"]
