"""Problems met while reading inputs: one line each, naming the file and, where known, the line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str
    level: str = "error"  # error: something was not read and is not judged; warning: read, with a caveat

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"
