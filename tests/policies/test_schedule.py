"""Rotation schedules: the longest gap between two rotations of rate() and cron() expressions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from itertools import pairwise

import pytest

from policies.python._schedule import ScheduleError, describe, longest_gap

H = timedelta(hours=1)
D = timedelta(days=1)


@pytest.mark.parametrize(
    ("expression", "gap"),
    [
        ("rate(4 hours)", 4 * H),
        ("rate(1 hour)", H),
        ("rate(1 day)", D),
        ("rate(10 days)", 10 * D),
        ("rate(36 hours)", 36 * H),
        ("  RATE( 90 Days )  ", 90 * D),
        ("cron(0 12 1 * ? *)", 31 * D),  # monthly: 31 days after the 1st of a 31-day month
        ("cron(0 12 1 1 ? *)", 366 * D),  # yearly, across a leap day
        ("cron(0 4/12 * * ? *)", 12 * H),  # 04:00 and 16:00: increments of hours reset each day
        ("cron(0 22-2 * * ? *)", 20 * H),  # a range that wraps past midnight: 22, 23, 0, 1, 2
        ("cron(15,45 * * * ? *)", timedelta(minutes=30)),
        ("cron(0 0-23/6 * * ? *)", 6 * H),
        ("cron(30 23 * * ? *)", D),
        ("cron(0 8 1/7 * ? *)", 7 * D),  # 1, 8, 15, 22, 29: February's 22nd to March 1st is the widest
        ("cron(0 0 1 1/3 ? *)", 92 * D),  # quarterly: July to October and October to January are 92 days
        ("cron(0 0 1 JAN,APR,JUL,OCT ? *)", 92 * D),
        ("cron(0 0 15 */2 ? *)", 62 * D),  # July 15th to September 15th
        ("cron(0 0 31 * ? *)", 61 * D),  # only the months with a 31st
        ("cron(0 0 L * ? *)", 31 * D),
        ("cron(0 0 ? * MON-FRI *)", 3 * D),  # Friday to Monday
        ("cron(0 9,17 ? * MON-FRI *)", 2 * D + 16 * H),  # Friday 17:00 to Monday 09:00
        ("cron(0 0 ? * FRI-MON *)", 4 * D),  # a weekday range that wraps: Monday to Friday
        ("cron(0 0 ? * 2-6 *)", 3 * D),
        ("cron(0 0 ? * L *)", 7 * D),  # L alone is the last day of the week: every Saturday
        ("cron(0 3 ? * SUN *)", 7 * D),
        ("cron(0 0 ? * SUN#1 *)", 35 * D),
        ("cron(0 0 ? * 6L *)", 35 * D),  # the last Friday
    ],
)
def test_longest_gap(expression: str, gap: timedelta) -> None:
    assert longest_gap(expression) == gap


def _oracle(fires: Callable[[date], bool], start: int = 2000, years: int = 800) -> timedelta:
    """The widest gap between days that fire, by walking every day of two whole 400-year cycles."""
    first, last = date(start, 1, 1).toordinal(), date(start + years, 1, 1).toordinal()
    days = [n for n in range(first, last) if fires(date.fromordinal(n))]
    return max(b - a for a, b in pairwise(days)) * D


def _nearest_weekday(day: date) -> date:
    """Quartz's W: the weekday nearest `day` in its own month."""
    if day.weekday() == 5:
        return day - D if day.day > 1 else day + 2 * D
    if day.weekday() == 6:
        following = day + D
        return following if following.month == day.month else day - 2 * D
    return day


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - D


@pytest.mark.parametrize(
    ("expression", "fires"),
    [
        ("cron(0 0 ? * 2#5 *)", lambda d: d.weekday() == 0 and (d.day - 1) // 7 == 4),  # fifth Monday
        ("cron(0 0 ? * 3#2 *)", lambda d: d.weekday() == 1 and (d.day - 1) // 7 == 1),  # second Tuesday
        ("cron(0 0 ? JAN,JUL MON#1 *)", lambda d: d.month in (1, 7) and d.weekday() == 0 and d.day <= 7),
        ("cron(0 0 ? * 1L *)", lambda d: d.weekday() == 6 and (d + 7 * D).month != d.month),
        ("cron(0 0 LW * ? *)", lambda d: _nearest_weekday(_month_end(d)) == d),
        ("cron(0 0 15W * ? *)", lambda d: _nearest_weekday(d.replace(day=15)) == d),
        ("cron(0 0 1W * ? *)", lambda d: _nearest_weekday(d.replace(day=1)) == d),
        ("cron(0 0 31W * ? *)", lambda d: _month_end(d).day == 31 and _nearest_weekday(_month_end(d)) == d),
        ("cron(0 0 29 2 ? *)", lambda d: (d.month, d.day) == (2, 29)),  # 8 years across 2100
    ],
)
def test_longest_gap_matches_a_day_by_day_walk(expression: str, fires: Callable[[date], bool]) -> None:
    assert longest_gap(expression) == _oracle(fires)


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 0 1 * ? 2027)",  # a year field ends the schedule
        "cron(0 0 1 * ? 2026-2030)",
        "cron(0 0 1 * ? */2)",
        "cron(0 0 30 2 ? *)",  # a date that never comes
        "cron(0 0 31 4,6,9,11 ? *)",
    ],
)
def test_schedules_that_stop(expression: str) -> None:
    assert longest_gap(expression) is None


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("rate(4 weeks)", "not 'weeks'"),
        ("rate(10 minutes)", "not 'minutes'"),
        ("rate(0 days)", "positive"),
        ("rate(ten days)", "expected rate("),
        ("weekly", "expected rate("),
        ("", "expected rate("),
        ("at(2026-01-01T00:00:00)", "expected rate("),
        ("cron(0 0 1 * * *)", "exactly one of day-of-month and day-of-week"),
        ("cron(0 0 ? * ? *)", "exactly one of day-of-month and day-of-week"),
        ("cron(0 0 1 * ?)", "6 fields"),
        ("cron(0 0 0 1 * ? *)", "6 fields"),
        ("cron(60 0 1 * ? *)", "'60' is not a value from 0 to 59"),
        ("cron(0 24 1 * ? *)", "'24' is not a value from 0 to 23"),
        ("cron(0 0 32 * ? *)", "'32' is not a value from 1 to 31"),
        ("cron(0 0 1 13 ? *)", "'13' is not a value from 1 to 12"),
        ("cron(0 0 1 FOO ? *)", "'FOO'"),
        ("cron(0 0 ? * 8 *)", "'8' is not a value from 1 to 7"),
        ("cron(0 0 ? * MON#6 *)", "'6' is not a value from 1 to 5"),
        ("cron(0 0 */0 * ? *)", "'0' is not a value from 1 to 31"),
        ("cron(0 0 1- * ? *)", "''"),
        ("cron(0 0 1 * ? 1969)", "'1969' is not a value from 1970 to 2199"),
    ],
)
def test_expressions_secrets_manager_rejects(expression: str, reason: str) -> None:
    with pytest.raises(ScheduleError, match=reason.replace("(", r"\(")):
        longest_gap(expression)


@pytest.mark.parametrize(
    ("gap", "words"),
    [
        (31 * D, "31 days"),
        (D, "1 day"),
        (12 * H, "12 hours"),
        (2 * D + 16 * H, "2 days 16 hours"),
        (timedelta(minutes=30), "30 minutes"),
        (H + timedelta(minutes=1), "1 hour 1 minute"),
    ],
)
def test_describe(gap: timedelta, words: str) -> None:
    assert describe(gap) == words
