"""Secrets Manager rotation schedules: the longest time a `rate()` or `cron()` expression can leave between
two rotations, computed exactly (no PolicySpec here, so the registry finds no policy).

`rate(N hours|days)` is a fixed interval. A `cron(minutes hours day-of-month month day-of-week year)`
expression (AWS's six fields, UTC, with `* ? , - /`, `L`, `W`, `LW`, `nL` and `n#k`) is simulated over
one whole Gregorian cycle of 400 years: calendars and weekdays repeat exactly after it, so the largest
gap between consecutive firings in the cycle (counting the step from its last firing into the next
cycle) is the largest gap there will ever be. A year field other than `*` ends the schedule.

The gap is measured between the openings of rotation windows (Secrets Manager rotates at some time inside
the window, whose `Duration` may not reach into the next UTC day), the way AWS states the interval.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise

_RATE = re.compile(r"^rate\(\s*(\d+)\s+([a-z]+)\s*\)$", re.IGNORECASE)
_CRON = re.compile(r"^cron\((.*)\)$", re.IGNORECASE | re.DOTALL)
_RATE_UNITS = {"hour": 1, "hours": 1, "day": 24, "days": 24}
_MONTHS = {name.upper(): i for i, name in enumerate(calendar.month_abbr) if name}
_WEEKDAYS = {name: i for i, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), start=1)}
_CYCLE_YEARS = 400  # 146097 days, a whole number of weeks: the calendar repeats exactly
_FIRST_YEAR = 2000

DayRule = Callable[[int, int], set[int]]  # (year, month) -> the days of that month that fire


class ScheduleError(ValueError):
    """Not a schedule expression Secrets Manager accepts."""


def longest_gap(expression: str) -> timedelta | None:
    """The longest time between two consecutive rotations; None when rotations stop (or never start).

    Raises ScheduleError for an expression Secrets Manager would not accept.
    """
    return _longest_gap(expression.strip())


@lru_cache(maxsize=256)
def _longest_gap(expression: str) -> timedelta | None:
    rate = _RATE.match(expression)
    if rate is not None:
        return _rate(int(rate.group(1)), rate.group(2).lower())
    cron = _CRON.match(expression)
    if cron is None:
        raise ScheduleError("expected rate(N hours|days) or cron(minutes hours day month weekday year)")
    return _Cron.parse(cron.group(1)).longest_gap()


def _rate(amount: int, unit: str) -> timedelta:
    if unit not in _RATE_UNITS:
        raise ScheduleError(f"rate() counts hours or days, not {unit!r}")
    if amount < 1:
        raise ScheduleError("rate() needs a positive number")
    return timedelta(hours=amount * _RATE_UNITS[unit])


def describe(gap: timedelta) -> str:
    """A duration in words: "31 days", "12 hours", "2 days 4 hours"."""
    days, rest = divmod(int(gap.total_seconds()) // 60, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}"
        for n, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if n
    ]
    return " ".join(parts) or "0 minutes"


def _number(token: str, low: int, high: int, names: dict[str, int]) -> int:
    value = names.get(token.upper()) if not token.isdigit() else int(token)
    if value is None or not low <= value <= high:
        raise ScheduleError(f"{token!r} is not a value from {low} to {high}")
    return value


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int]:
    """The values a list of `*`, `a`, `a-b` and `/step` items selects (a range may wrap: FRI-MON)."""
    found: set[int] = set()
    for item in field.split(","):
        base, _, step_text = item.partition("/")
        step = _number(step_text, 1, high, {}) if step_text else 1
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _number(first, low, high, names or {}), _number(last, low, high, names or {})
        else:
            start = _number(base, low, high, names or {})
            end = high if step_text else start
        span = (end - start) % (high - low + 1)
        found.update(low + (start - low + offset) % (high - low + 1) for offset in range(0, span + 1, step))
    return found


def _weekday(year: int, month: int, day: int) -> int:
    """AWS numbering: 1 is Sunday, 7 is Saturday."""
    first = calendar.monthrange(year, month)[0]  # Monday is 0
    return (first + day) % 7 + 1


def _nearest_weekday(year: int, month: int, day: int) -> int | None:
    length = calendar.monthrange(year, month)[1]
    if day > length:
        return None
    weekday = _weekday(year, month, day)
    if weekday == 7:  # Saturday: the Friday before, or the Monday after when that leaves the month
        return day - 1 if day > 1 else day + 2
    if weekday == 1:  # Sunday: the Monday after, or the Friday before at the end of the month
        return day + 1 if day < length else day - 2
    return day


def _month_days(field: str) -> DayRule:
    """The day-of-month field: days, `L` (last day), `LW` (last weekday), `nW` (weekday nearest n)."""
    plain: set[int] = set()
    nearest: set[int] = set()  # n of each nW; 0 stands for LW, the last day
    last = False
    for item in field.split(","):
        upper = item.upper()
        if upper == "L":
            last = True
        elif upper == "LW":
            nearest.add(0)
        elif upper.endswith("W"):
            nearest.add(_number(upper[:-1], 1, 31, {}))
        else:
            plain |= _values(item, 1, 31)

    def rule(year: int, month: int) -> set[int]:
        length = calendar.monthrange(year, month)[1]
        found = {d for d in plain if d <= length} | ({length} if last else set())
        weekdays = (_nearest_weekday(year, month, n or length) for n in nearest)
        return found | {d for d in weekdays if d is not None}

    return rule


def _week_days(field: str) -> DayRule:
    """The day-of-week field: weekdays (1-7 or SUN-SAT), `nL` (last n-day), `n#k` (k-th n-day)."""
    plain: set[int] = set()
    last: set[int] = set()
    nth: set[tuple[int, int]] = set()
    for item in field.split(","):
        upper = item.upper()
        if "#" in upper:
            weekday, _, k = upper.partition("#")
            nth.add((_number(weekday, 1, 7, _WEEKDAYS), _number(k, 1, 5, {})))
        elif upper == "L":
            plain.add(7)  # on its own, L is the last day of the week: Saturday
        elif upper.endswith("L"):
            last.add(_number(upper[:-1], 1, 7, _WEEKDAYS))
        else:
            plain |= _values(item, 1, 7, _WEEKDAYS)

    def rule(year: int, month: int) -> set[int]:
        first, length = calendar.monthrange(year, month)
        by_weekday: dict[int, list[int]] = {w: [] for w in range(1, 8)}
        for day in range(1, length + 1):
            by_weekday[(first + day) % 7 + 1].append(day)
        found = {d for w in plain for d in by_weekday[w]}
        found |= {by_weekday[w][-1] for w in last}
        return found | {by_weekday[w][k - 1] for w, k in nth if k <= len(by_weekday[w])}

    return rule


@dataclass(frozen=True)
class _Cron:
    times: tuple[int, ...]  # minutes after midnight at which a firing day fires, ascending
    months: frozenset[int]
    days: DayRule
    every_year: bool

    @classmethod
    def parse(cls, text: str) -> _Cron:
        fields = text.split()
        if len(fields) != 6:
            raise ScheduleError(
                f"cron() takes 6 fields (minutes hours day month weekday year), not {len(fields)}"
            )
        minutes, hours, day, month, weekday, year = fields
        if (day == "?") == (weekday == "?"):
            raise ScheduleError("exactly one of day-of-month and day-of-week must be '?'")
        if year != "*":
            _values(year, 1970, 2199)  # valid, but it ends the schedule
        return cls(
            times=tuple(sorted(h * 60 + m for h in _values(hours, 0, 23) for m in _values(minutes, 0, 59))),
            months=frozenset(_values(month, 1, 12, _MONTHS)),
            days=_month_days(day) if weekday == "?" else _week_days(weekday),
            every_year=year == "*",
        )

    def firing_days(self) -> Iterator[int]:
        """Ordinals of the days that fire in one 400-year cycle, ascending."""
        for year in range(_FIRST_YEAR, _FIRST_YEAR + _CYCLE_YEARS):
            for month in sorted(self.months):
                start = date(year, month, 1).toordinal() - 1
                yield from (start + day for day in sorted(self.days(year, month)))

    def longest_gap(self) -> timedelta | None:
        if not self.every_year:
            return None
        days = list(self.firing_days())
        if not days:
            return None
        cycle = date(_FIRST_YEAR + _CYCLE_YEARS, 1, 1).toordinal() - date(_FIRST_YEAR, 1, 1).toordinal()
        widest = max(b - a for a, b in pairwise([*days, days[0] + cycle]))
        across_days = widest * 1440 - (self.times[-1] - self.times[0])
        within_day = max((b - a for a, b in pairwise(self.times)), default=0)
        return timedelta(minutes=max(across_days, within_day))
