"""The tree-sitter HCL reader gives exactly hcl2's output, falls back to hcl2 per file, names bad lines."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import hcl2
import pytest

from bench.generate import generate
from collectors.terraform import parsing, read_terraform
from collectors.terraform.hcl_tree import HclSyntaxError, loads
from collectors.terraform.parsing import ParseStats, parse_files, parse_one

ROOT = Path(__file__).resolve().parents[3]
PARSER_FIXTURES = Path(__file__).parent / "fixtures" / "parser"


def _repository_tf_files() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.tf")
        if not any(part.startswith(".") for part in p.relative_to(ROOT).parts)
        and "out" not in p.relative_to(ROOT).parts
    )


def _same(path: Path) -> None:
    """repr() tells 1 from 1.0 from True and keeps key order: the two outputs must be identical."""
    assert repr(loads(path.read_bytes())) == repr(hcl2.loads(path.read_text(encoding="utf-8"))), path


def test_the_repository_has_the_terraform_this_test_reads() -> None:
    files = _repository_tf_files()
    assert any("examples/platform" in str(p) for p in files)
    assert any("fixtures/parser" in str(p) for p in files)
    assert len(files) >= 40


@pytest.mark.parametrize("path", _repository_tf_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_terraform_file_in_the_repository_reads_as_hcl2_reads_it(path: Path) -> None:
    if path.name == "bad.tf":  # the reader's malformed-file fixture: both parsers reject it
        with pytest.raises(HclSyntaxError):
            loads(path.read_bytes())
        return
    _same(path)


def test_the_generated_bench_tree_reads_as_hcl2_reads_it(tmp_path: Path) -> None:
    generate(tmp_path, 200)
    files = sorted(tmp_path.glob("*.tf"))
    assert len(files) >= 3
    for path in files:
        _same(path)


def test_renderings_the_reader_depends_on() -> None:
    parsed = loads(
        b'resource "aws_vpc_security_group_ingress_rule" "admin" {\n'
        b'  cidr_ipv4 = var.open_admin ? "0.0.0.0/0" : "10.0.0.0/8"\n'
        b"  tags      = merge({ a = 1 }, local.t)\n"
        b"  ports     = [for p in var.ports : p if p != 22]\n"
        b'  name      = "admin-${var.env}"\n'
        b"}\n"
    )
    body = parsed["resource"][0]["aws_vpc_security_group_ingress_rule"]["admin"]
    assert body == {
        "cidr_ipv4": ['${var.open_admin ? "0.0.0.0/0" : "10.0.0.0/8"}'],
        "tags": ["${merge({'a': 1},local.t)}"],
        "ports": ["${[for p in var.ports : p if p != 22]}"],
        "name": ["admin-${var.env}"],
        "__start_line__": 1,
        "__end_line__": 6,
    }


def test_a_legacy_index_of_several_digits_keeps_them_all() -> None:
    """The one place the outputs differ on purpose: hcl2 reads `var.subnets.10` as `var.subnets[1]`."""
    text = "locals {\n  tenth = var.subnets.10\n  first = var.subnets.0\n}\n"
    assert hcl2.loads(text)["locals"][0]["tenth"] == ["${var.subnets[1]}"]
    ours = loads(text.encode())["locals"][0]
    assert ours["tenth"] == ["${var.subnets[10]}"] and ours["first"] == ["${var.subnets[0]}"]


def test_a_file_tree_sitter_rejects_but_hcl2_reads_falls_back_and_is_counted(tmp_path: Path) -> None:
    odd = tmp_path / "odd.tf"  # a heredoc marker with a dot: hcl2's grammar allows it, tree-sitter's not
    odd.write_text('locals {\n  policy = <<END.JSON\n{"a": 1}\nEND.JSON\n}\n')
    plain = tmp_path / "plain.tf"
    plain.write_text('resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n')
    stats = ParseStats()
    results = parse_files([odd, plain], stats)
    assert [problem for _, _, problem in results] == [None, None]
    assert results[0][1] == {"locals": [{"policy": ['{"a": 1}'], "__start_line__": 1, "__end_line__": 5}]}
    assert stats.files == 2 and stats.fallbacks == [str(odd)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('resource "aws_kms_key" "a" {\n  x = 1\n\nresource "aws_kms_key" "b" {\n  y = 2\n}\n', 6),
        ('resource "aws_kms_key" "a" {\n  description =\n  y = 2\n}\n', 2),
        ('resource "aws_kms_key" "a" {\n  x = [1, 2\n  y = 2\n}\n', 3),
        ('resource "aws_kms_key" "a" {\n  description = "unclosed\n  y = 2\n}\n', 2),
        ('resource "aws_kms_key" "a" {\n  x = 1\n}\n}\n', 4),
        ('variable "v" {\n  default = 1\n}\nresource "aws_kms_key" "a" {\n  x := 1\n}\n', 5),
    ],
    ids=["unclosed-block", "no-value", "unclosed-list", "unclosed-string", "stray-brace", "bad-operator"],
)
def test_a_syntax_error_is_a_problem_naming_its_line(tmp_path: Path, text: str, line: int) -> None:
    bad = tmp_path / "bad.tf"
    bad.write_text(text)
    stats = ParseStats()
    _, parsed, problem = parse_one(str(bad), stats)
    assert parsed is None and problem is not None and stats.fallbacks == []
    assert (problem.file, problem.line) == (str(bad), line)
    assert problem.message.startswith("not valid HCL: ")


def test_a_file_that_is_not_utf8_is_a_problem(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.tf"
    bad.write_bytes(b'resource "aws_kms_key" "a" {\n  description = "cl\xe9"\n}\n')
    _, parsed, problem = parse_one(str(bad))
    assert parsed is None and problem is not None and "not valid HCL" in problem.message


def test_reading_valid_terraform_never_loads_hcl2() -> None:
    """hcl2's lark grammar costs a cold start 0.1-0.5 s: only a file tree-sitter rejects may load it."""
    platform = ROOT / "examples" / "platform" / "terraform"
    code = (
        "import sys; from pathlib import Path; from collectors.terraform import read_terraform; "
        f"read = read_terraform(Path({str(platform)!r})); assert read.snapshots; "
        "print(' '.join(m for m in ('hcl2', 'lark') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert proc.stdout.strip() == ""


def test_absurdly_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    deep = tmp_path / "deep.tf"
    deep.write_text("locals {\n  a = " + "[" * 2000 + "1" + "]" * 2000 + "\n}\n")
    _, parsed, problem = parse_one(str(deep))
    assert parsed is None and problem is not None and "nest too deeply" in problem.message


def test_the_platform_reads_to_the_same_snapshots_with_either_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    platform = ROOT / "examples" / "platform" / "terraform"
    fast = read_terraform(platform, now)
    monkeypatch.setattr(parsing, "loads", lambda source: hcl2.loads(source.decode("utf-8")))
    slow = read_terraform(platform, now)
    assert len(fast.snapshots) > 50
    assert [s.model_dump() for s in fast.snapshots] == [s.model_dump() for s in slow.snapshots]
    assert fast.problems == slow.problems
