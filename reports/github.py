"""GitHub Actions workflow commands: an annotation per failing finding, on its file and line."""

from __future__ import annotations

from reports.console import not_judged_line
from reports.findings import Finding
from reports.gate import GateView


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(f: Finding, view: GateView) -> str:
    level = "error" if view.is_blocking(f) else "warning"
    props = []
    if f.file:
        props.append(f"file={_property(f.file)}")
        if f.line:
            props.append(f"line={f.line}")
    status = "" if f.status == "fail" else f" {f.status}"
    title = f"{','.join(f.control_ids)} {f.policy_id} ({f.severity}{status})"
    props.append(f"title={_property(title)}")
    requirements = "; ".join(f"{fw} {' '.join(ids)}" for fw, ids in f.requirements.items())
    body = f"{f.resource or '(population)'}: {f.message}\nbreaks: {requirements}"
    return f"::{level} {','.join(props)}::{_data(body)}"


def gate_github(view: GateView) -> str:
    lines = [_annotation(f, view) for f in view.findings if f.status in ("fail", "error", "unknown")]
    lines += [f"::warning title=input problem::{_data(str(p))}" for p in view.problems]
    lines += [
        f"::warning title=waiver expired::{_data(w['ticket'] + ' expired ' + str(w['expires']))}"
        for w in view.expired
    ]
    missed = not_judged_line(view.coverage)
    lines += [f"::notice title=not judged::{_data(missed)}"] if missed else []
    lines.append(("::error::" if view.exit_code() else "::notice::") + _data(view.verdict()))
    return "\n".join(lines)
