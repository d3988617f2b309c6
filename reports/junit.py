"""JUnit XML: a test suite per control, a test case per finding (failure, error or skipped when waived),
and a `not judged` suite with a skipped case per resource type that nothing judged."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from controls import Catalog
from policies import Coverage
from reports.console import plural
from reports.findings import Finding, display_path
from reports.gate import GateView


def _case(f: Finding, control_id: str, view: GateView) -> ET.Element:
    case = ET.Element("testcase", classname=control_id, name=f"{f.policy_id} {f.resource or '(population)'}")
    if f.file:
        case.set("file", f.file)
    if f.line:
        case.set("line", str(f.line))
    where = f"{f.file}:{f.line}" if f.file else "-"
    if f.status == "fail":
        tag = "failure" if f.rank >= view.fail_on.rank else "system-out"
        element = (
            ET.SubElement(case, tag, message=f.message, type=f.severity)
            if tag == "failure"
            else (ET.SubElement(case, tag))
        )
        element.text = f"{where}\n{f.message}\nrequirements: {f.requirements}"
    elif f.status == "error":
        ET.SubElement(case, "error", message=f.message, type="not-judged").text = where
    elif f.status == "unknown":
        tag = "failure" if view.is_blocking(f) else "system-out"
        element = ET.SubElement(case, tag, message=f"unknown: {f.message}", type="unknown")
        if tag == "system-out":
            element.attrib.clear()
        element.text = f"{where}\nunknown: {f.message}"
    elif f.status == "waived":
        ET.SubElement(case, "skipped", message=f"waived: {f.waiver}")
    return case


def _not_judged_suite(coverage: Coverage) -> ET.Element | None:
    """One skipped case per type not judged, its resources (with file:line) in the case's output."""
    types = coverage.types()
    if not types:
        return None
    suite = ET.Element("testsuite", name="not judged", tests=str(len(types)), failures="0", errors="0")
    suite.set("skipped", str(len(types)))
    where: dict[str, list[str]] = defaultdict(list)
    for d in coverage.details():
        line = f":{d['line']}" if d["line"] else ""
        where[d["type"]].append(f"{d['resource']}  {display_path(d['file']) or '-'}{line}  ({d['reason']})")
    for type_name, count in types.items():
        case = ET.SubElement(suite, "testcase", classname="not-judged", name=type_name)
        ET.SubElement(case, "skipped", message=f"{plural(count, 'resource')} of this type not judged")
        ET.SubElement(case, "system-out").text = "\n".join(where[type_name])
    return suite


def gate_junit(view: GateView, catalog: Catalog) -> str:
    by_control: dict[str, list[Finding]] = defaultdict(list)
    for f in view.findings:
        by_control[f.control_ids[0] if f.control_ids else "-"].append(f)
    root = ET.Element("testsuites", name="assay gate")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for control_id, items in sorted(by_control.items()):
        control = catalog.controls.get(control_id)
        suite = ET.SubElement(
            root, "testsuite", name=f"{control_id} {control.title if control else ''}".strip()
        )
        cases = [_case(f, control_id, view) for f in items]
        counts = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.extend(cases)
    missed = _not_judged_suite(view.coverage)
    if missed is not None:
        root.append(missed)
        totals["tests"] += len(missed)
        totals["skipped"] += len(missed)
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
