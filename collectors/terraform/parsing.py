"""Parse HCL files with tree-sitter's C parser, rendered in hcl2's form; hcl2 for a file tree-sitter rejects.

hcl2 (checkov's lark-based fork, which the full gate needs anyway) is imported only when a file does not
parse with tree-sitter: it then either reads the file (a construct tree-sitter's grammar lacks; counted in
`ParseStats.fallbacks`) or reports the syntax error with its line, as the reader always has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collectors.problems import Problem
from collectors.terraform.hcl_tree import HclSyntaxError, Unsupported, loads

ParseResult = tuple[str, dict[str, Any] | None, Problem | None]
_UNCLOSED = re.compile(r"Line has unclosed quote marks: (.*)")


@dataclass
class ParseStats:
    """What parse_files did: files read, and those tree-sitter could not read that hcl2 did."""

    files: int = 0
    fallbacks: list[str] = field(default_factory=list)


def parse_one(path: str, stats: ParseStats | None = None) -> ParseResult:
    """Parse one file; a file that does not parse becomes a Problem naming its line."""
    if stats is not None:
        stats.files += 1
    try:
        source = Path(path).read_bytes()
        source.decode("utf-8")  # the file must be UTF-8 text, as Terraform requires
    except (OSError, UnicodeDecodeError) as exc:
        return path, None, Problem(path, None, f"not valid HCL: {_first_line(exc)}")
    parsed, problem, fell_back = parse_text(source, path)
    if fell_back and stats is not None:
        stats.fallbacks.append(path)
    return path, parsed, problem


def parse_text(source: bytes, where: str) -> tuple[dict[str, Any] | None, Problem | None, bool]:
    """HCL text in hcl2's form, or the Problem at `where`; True if hcl2 read what tree-sitter could not."""
    try:
        return loads(source), None, False
    except RecursionError:  # hundreds of nested brackets: hcl2 would recurse as deep
        return None, Problem(where, None, "not valid HCL: expressions nest too deeply to read"), False
    except (HclSyntaxError, Unsupported) as exc:
        parsed, problem = _with_hcl2(where, source.decode("utf-8"), exc)
        return parsed, problem, parsed is not None


def _with_hcl2(path: str, text: str, error: ValueError) -> tuple[dict[str, Any] | None, Problem | None]:
    """hcl2 decides a file tree-sitter rejected: its result, or its error at the line it names."""
    import hcl2  # lark's grammar costs 0.1 s to load; most runs never need it
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        return hcl2.loads(text), None
    except (LarkError, ValueError) as exc:
        line = exc.line if isinstance(exc, UnexpectedInput) else _line_of(text, str(exc))
        if line is None and isinstance(error, HclSyntaxError):
            line = error.line
        return None, Problem(path, line, f"not valid HCL: {_first_line(exc)}")


def _line_of(text: str, message: str) -> int | None:
    """hcl2's check for unclosed quotes quotes the line instead of numbering it: find that line."""
    match = _UNCLOSED.match(message)
    if match is None:
        return None
    quoted = match.group(1)
    for number, line in enumerate(text.split("\n"), start=1):
        if line == quoted:
            return number
    return None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def parse_files(paths: list[Path], stats: ParseStats | None = None) -> list[ParseResult]:
    """Results in the order of `paths`."""
    return [parse_one(str(p), stats) for p in paths]
