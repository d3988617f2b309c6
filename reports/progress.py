"""A progress bar for long CLI work, drawn on standard error only when it is a terminal.

Library code reports progress through a plain callback, ``progress(done, total)`` (``total`` is None when
the amount of work is not known in advance, as when collecting); this module draws it. Redraws are
throttled, so a callback per item costs little, and the bar is wiped when the work ends, leaving the
command's own output as the only trace. ``ASSAY_PROGRESS=0`` turns it off.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from types import TracebackType
from typing import TextIO

WIDTH = 24
INTERVAL = 0.1  # seconds between redraws


class ProgressBar:
    def __init__(self, label: str, stream: TextIO | None = None, *, interval: float = INTERVAL) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) and os.environ.get("ASSAY_PROGRESS", "1") != "0"
        self.interval = interval
        self._lock = threading.Lock()  # collectors report from several threads
        self._last = float("-inf")  # the first call always draws
        self._drawn = False

    def __call__(self, done: int, total: int | None = None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.interval and done != total:
                return
            self._last = now
            self.stream.write("\r\x1b[K" + render(self.label, done, total))
            self.stream.flush()
            self._drawn = True

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def render(label: str, done: int, total: int | None) -> str:
    if not total:
        return f"{label}: {done:,}"
    filled = min(WIDTH, WIDTH * done // total)
    bar = "#" * filled + "." * (WIDTH - filled)
    return f"{label} [{bar}] {done:,}/{total:,} ({100 * done // total}%)"


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
