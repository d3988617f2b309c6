"""The progress bar: drawn only on a terminal, throttled, wiped at the end."""

from __future__ import annotations

import io

import pytest

from reports.progress import ProgressBar, render


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_render_with_and_without_a_total() -> None:
    assert render("checking", 5, 20) == "checking [######..................] 5/20 (25%)"
    assert render("checking", 20, 20).endswith("[########################] 20/20 (100%)")
    assert render("collecting", 12345, None) == "collecting: 12,345"


def test_draws_on_a_terminal_and_wipes_the_line_at_the_end() -> None:
    stream = Terminal()
    with ProgressBar("checking", stream, interval=0) as bar:
        bar(1, 2)
        bar(2, 2)
    out = stream.getvalue()
    assert out == "\r\x1b[Kchecking [############............] 1/2 (50%)" + (
        "\r\x1b[Kchecking [########################] 2/2 (100%)\r\x1b[K"
    )


def test_redraws_are_throttled_but_the_last_step_is_always_drawn() -> None:
    stream = Terminal()
    with ProgressBar("checking", stream, interval=3600) as bar:
        for done in range(1, 1001):
            bar(done, 1000)
    out = stream.getvalue()
    assert out.count("checking [") == 2  # the first call, and done == total
    assert "1,000/1,000 (100%)" in out


def test_silent_on_a_pipe_and_when_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    with ProgressBar("checking", pipe, interval=0) as bar:
        bar(1, 1)
    assert pipe.getvalue() == ""
    monkeypatch.setenv("ASSAY_PROGRESS", "0")
    terminal = Terminal()
    with ProgressBar("checking", terminal, interval=0) as bar:
        bar(1, 1)
    assert terminal.getvalue() == ""
