"""Working-hours arithmetic for reply response-time targets.

A council agrees to reply to members of the public within so many *working* hours (for example 16). These
functions count time only inside the working window (by default 09:00-17:00 local time, Monday to Friday,
excluding bank holidays). They are pure: no database, no clock. Pass explicit aware datetimes.

Conventions:

* Working days are *local* dates in the calendar's time zone, and the daily window is local wall-clock time,
  so 09:00-17:00 is 09:00-17:00 in both GMT and BST. Durations are real elapsed time: a window that happens
  to contain a clock change (only possible for a calendar that works through the small hours of a Sunday)
  is an hour shorter or longer that day.
* The window is half-open for :func:`is_working_time` (17:00 exactly is not working time), but a due time
  may fall exactly at closing: 16:00 + 1 working hour is 17:00 the same day, not 09:00 the next.
* Time received out of hours starts counting at the next opening.
"""

from __future__ import annotations

import bisect
import math
import numbers
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "ENGLAND_AND_WALES_BANK_HOLIDAYS",
    "WorkingCalendar",
    "add_working_hours",
    "is_working_time",
    "working_hours_between",
]

# Bank holidays in England and Wales (https://www.gov.uk/bank-holidays), including substitute days when a
# holiday falls at a weekend. Only 2025-2027 are listed: councils should set CONTENT_BANK_HOLIDAYS (a list of
# ISO dates, which replaces this default) to cover later years, any extra days the council closes (for
# example between Christmas and New Year), and one-off holidays the government announces.
ENGLAND_AND_WALES_BANK_HOLIDAYS: frozenset[date] = frozenset(
    {
        # 2025
        date(2025, 1, 1),  # New Year's Day
        date(2025, 4, 18),  # Good Friday
        date(2025, 4, 21),  # Easter Monday
        date(2025, 5, 5),  # Early May bank holiday
        date(2025, 5, 26),  # Spring bank holiday
        date(2025, 8, 25),  # Summer bank holiday
        date(2025, 12, 25),  # Christmas Day
        date(2025, 12, 26),  # Boxing Day
        # 2026
        date(2026, 1, 1),  # New Year's Day
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 4),  # Early May bank holiday
        date(2026, 5, 25),  # Spring bank holiday
        date(2026, 8, 31),  # Summer bank holiday
        date(2026, 12, 25),  # Christmas Day
        date(2026, 12, 28),  # Boxing Day (substitute day: 26 December is a Saturday)
        # 2027
        date(2027, 1, 1),  # New Year's Day
        date(2027, 3, 26),  # Good Friday
        date(2027, 3, 29),  # Easter Monday
        date(2027, 5, 3),  # Early May bank holiday
        date(2027, 5, 31),  # Spring bank holiday
        date(2027, 8, 30),  # Summer bank holiday
        date(2027, 12, 27),  # Christmas Day (substitute day: 25 December is a Saturday)
        date(2027, 12, 28),  # Boxing Day (substitute day: 26 December is a Sunday)
    }
)

_ONE_DAY = timedelta(days=1)
_ONE_WEEK = timedelta(days=7)
_HOUR = timedelta(hours=1)
_WORKING_HOURS_RE = re.compile(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")
_EUROPE_LONDON = ZoneInfo("Europe/London")  # ZoneInfo instances are cached and immutable


@dataclass(frozen=True)
class WorkingCalendar:
    """When the council's social media inbox is staffed.

    ``days`` are weekday numbers (Monday=0 ... Sunday=6); ``start``/``end`` the local daily window;
    ``holidays`` local dates that are not worked even if their weekday is; ``tz`` the local time zone.
    Invalid values raise ``ValueError`` (``from_settings`` turns that into ``ImproperlyConfigured``).
    """

    days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    start: time = time(9, 0)
    end: time = time(17, 0)
    holidays: frozenset[date] = ENGLAND_AND_WALES_BANK_HOLIDAYS
    tz: ZoneInfo = _EUROPE_LONDON
    # Derived: sorted holidays, for range look-ups when skipping whole weeks.
    _sorted_holidays: tuple[date, ...] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        days = frozenset(self.days)
        if not days:
            raise ValueError("at least one working day is needed")
        for day in days:
            if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
                raise ValueError(f"working days must be whole numbers 0 (Monday) to 6 (Sunday), not {day!r}")
        if not isinstance(self.start, time) or not isinstance(self.end, time):
            raise ValueError("start and end must be datetime.time values")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("start and end must be local times without a time zone (the calendar has tz)")
        if self.end <= self.start:
            raise ValueError(
                f"the working day must end after it starts (got {self.start:%H:%M}-{self.end:%H:%M})"
            )
        holidays = frozenset(self.holidays)
        for holiday in holidays:
            if not isinstance(holiday, date) or isinstance(holiday, datetime):
                raise ValueError(f"holidays must be dates, not {holiday!r}")
        if not isinstance(self.tz, ZoneInfo):
            raise ValueError(f"tz must be a zoneinfo.ZoneInfo, not {self.tz!r}")
        object.__setattr__(self, "days", days)
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "_sorted_holidays", tuple(sorted(holidays)))

    @classmethod
    def from_settings(cls) -> WorkingCalendar:
        """The calendar configured in Django settings, falling back to the defaults above.

        * ``CONTENT_WORKING_DAYS``: list of weekday numbers, Monday=0 (default ``[0, 1, 2, 3, 4]``);
        * ``CONTENT_WORKING_HOURS``: ``"HH:MM-HH:MM"`` (default ``"09:00-17:00"``);
        * ``CONTENT_BANK_HOLIDAYS``: list of ISO dates ``"YYYY-MM-DD"``; when set it *replaces* the built-in
          England and Wales list (so include the bank holidays as well as any extra closure days).
        """
        from django.conf import settings

        raw_days = getattr(settings, "CONTENT_WORKING_DAYS", None)
        raw_hours = getattr(settings, "CONTENT_WORKING_HOURS", None)
        raw_holidays = getattr(settings, "CONTENT_BANK_HOLIDAYS", None)

        kwargs: dict[str, object] = {}
        if raw_days is not None:
            if isinstance(raw_days, str | bytes) or not isinstance(raw_days, Iterable):
                raise ImproperlyConfigured(
                    f"CONTENT_WORKING_DAYS must be a list of weekday numbers (Monday=0 ... Sunday=6), "
                    f"got {raw_days!r}"
                )
            days = list(raw_days)
            bad = [d for d in days if isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6]
            if bad:
                raise ImproperlyConfigured(
                    f"CONTENT_WORKING_DAYS must contain only whole numbers 0 (Monday) to 6 (Sunday); "
                    f"invalid: {bad!r}"
                )
            if not days:
                raise ImproperlyConfigured("CONTENT_WORKING_DAYS must list at least one working day")
            kwargs["days"] = frozenset(days)
        if raw_hours is not None:
            kwargs["start"], kwargs["end"] = _parse_working_hours(raw_hours)
        if raw_holidays is not None:
            kwargs["holidays"] = _parse_holidays(raw_holidays)
        try:
            return cls(**kwargs)  # type: ignore[arg-type]
        except ValueError as exc:  # the checks above should catch everything first
            raise ImproperlyConfigured(f"Invalid working-hours settings: {exc}") from exc

    # -- internal helpers -------------------------------------------------------------------------------

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working window of a local date as UTC instants, or None when the day is not worked."""
        if day.weekday() not in self.days or day in self.holidays:
            return None
        opening = datetime.combine(day, self.start, tzinfo=self.tz).astimezone(UTC)
        closing = datetime.combine(day, self.end, tzinfo=self.tz).astimezone(UTC)
        if closing <= opening:  # only when a clock change swallows the whole window
            return None
        return opening, closing

    @property
    def _day_length(self) -> timedelta:
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)

    @property
    def _week_length(self) -> timedelta:
        return self._day_length * len(self.days)

    def _is_plain_week(self, first: date) -> bool:
        """True when the seven local dates from `first` have no holiday and no clock change.

        Such a week holds exactly ``_week_length`` working time, so it can be skipped in one step.
        (Assumes at most one UTC-offset change a week, true of every real-world zone in use.)
        """
        after = first + _ONE_WEEK
        index = bisect.bisect_left(self._sorted_holidays, first)
        if index < len(self._sorted_holidays) and self._sorted_holidays[index] < after:
            return False
        return (
            datetime.combine(first, time(0), tzinfo=self.tz).utcoffset()
            == datetime.combine(after, time(0), tzinfo=self.tz).utcoffset()
        )


def _parse_working_hours(raw: object) -> tuple[time, time]:
    match = _WORKING_HOURS_RE.match(raw) if isinstance(raw, str) else None
    if match is None:
        raise ImproperlyConfigured(f'CONTENT_WORKING_HOURS must look like "09:00-17:00", got {raw!r}')
    try:
        start, end = (time.fromisoformat(part.zfill(5)) for part in match.groups())
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"CONTENT_WORKING_HOURS has an impossible time in {raw!r}: use 24-hour HH:MM"
        ) from exc
    if end <= start:
        raise ImproperlyConfigured(
            f"CONTENT_WORKING_HOURS must end after it starts on the same day, got {raw!r}"
        )
    return start, end


def _parse_holidays(raw: object) -> frozenset[date]:
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        raise ImproperlyConfigured(
            f'CONTENT_BANK_HOLIDAYS must be a list of ISO dates such as "2026-12-25", got {raw!r}'
        )
    holidays = set()
    for item in raw:
        if isinstance(item, date) and not isinstance(item, datetime):
            holidays.add(item)
            continue
        try:
            if not isinstance(item, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", item.strip()):
                raise ValueError
            holidays.add(date.fromisoformat(item.strip()))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f'CONTENT_BANK_HOLIDAYS entries must be ISO dates such as "2026-12-25", got {item!r}'
            ) from exc
    return frozenset(holidays)


def _require_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


def _calendar(calendar: WorkingCalendar | None) -> WorkingCalendar:
    return WorkingCalendar.from_settings() if calendar is None else calendar


def is_working_time(moment: datetime, calendar: WorkingCalendar | None = None) -> bool:
    """Whether `moment` (aware) falls inside the working window: opening inclusive, closing exclusive."""
    _require_aware(moment, "moment")
    cal = _calendar(calendar)
    instant = moment.astimezone(UTC)
    window = cal._window(instant.astimezone(cal.tz).date())
    return window is not None and window[0] <= instant < window[1]


def add_working_hours(
    start: datetime, hours: float | Decimal, calendar: WorkingCalendar | None = None
) -> datetime:
    """The moment `hours` working hours after `start` (aware datetime; returns aware, in the calendar's tz).

    A message received out of hours starts counting at the next opening, so adding 0 hours to an
    out-of-hours moment gives the next opening. Exactly at closing time counts as the end of that day:
    17:00 Friday + 0h is 17:00 Friday, and any positive time rolls to Monday 09:00 onwards. Whole weeks
    without holidays or clock changes are skipped in one step, so large counts are cheap.
    """
    _require_aware(start, "start")
    if isinstance(hours, bool) or not isinstance(hours, numbers.Real | Decimal):
        raise TypeError(f"hours must be a number, not {type(hours).__name__}")
    hours = float(hours)
    if not math.isfinite(hours) or hours < 0:
        raise ValueError(f"hours must be a finite number zero or more, got {hours!r}")
    cal = _calendar(calendar)

    remaining = timedelta(hours=hours)
    cursor = start.astimezone(UTC)
    day = cursor.astimezone(cal.tz).date()
    week = cal._week_length
    first_day = True
    while True:
        # After the first (possibly partial) day, whole plain weeks can go in one step. `>` rather than
        # `>=`, so a count ending exactly at a closing time is found by the day-by-day walk below.
        if not first_day and remaining > week and cal._is_plain_week(day):
            remaining -= week
            day += _ONE_WEEK
            continue
        first_day = False
        window = cal._window(day)
        if window is not None and cursor <= window[1]:
            begin = max(cursor, window[0])
            available = window[1] - begin
            if remaining <= available:
                return (begin + remaining).astimezone(cal.tz)
            remaining -= available
        day += _ONE_DAY


def working_hours_between(a: datetime, b: datetime, calendar: WorkingCalendar | None = None) -> float:
    """Working hours from `a` to `b` (both aware); negative if `b` is before `a`.

    Used for "due in 3 working hours" and "overdue by 2 working hours". The inverse of
    :func:`add_working_hours`: ``working_hours_between(s, add_working_hours(s, h)) == h``.
    """
    _require_aware(a, "a")
    _require_aware(b, "b")
    cal = _calendar(calendar)
    low, high = a.astimezone(UTC), b.astimezone(UTC)
    sign = 1.0
    if high < low:
        low, high, sign = high, low, -1.0

    total = timedelta(0)
    first_day = low.astimezone(cal.tz).date()
    last_day = high.astimezone(cal.tz).date()
    day = first_day
    week = cal._week_length
    while day <= last_day:
        # Whole plain weeks strictly after the first day and before the last can be counted at once.
        if day > first_day and day + _ONE_WEEK <= last_day and cal._is_plain_week(day):
            total += week
            day += _ONE_WEEK
            continue
        window = cal._window(day)
        if window is not None:
            overlap = min(high, window[1]) - max(low, window[0])
            if overlap > timedelta(0):
                total += overlap
        day += _ONE_DAY
    return sign * (total / _HOUR)
