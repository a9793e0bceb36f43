"""Working-hours arithmetic for reply due times (pure: no database, explicit datetimes, no frozen clock)."""

import random
import time as wall_clock
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from content_review.working_hours import (
    ENGLAND_AND_WALES_BANK_HOLIDAYS,
    WorkingCalendar,
    add_working_hours,
    is_working_time,
    working_hours_between,
)

LONDON = ZoneInfo("Europe/London")
CAL = WorkingCalendar()  # Monday-Friday 09:00-17:00, England and Wales bank holidays, Europe/London
NO_HOLIDAYS = WorkingCalendar(holidays=frozenset())


def at(year, month, day, hour=0, minute=0, second=0):
    """A London wall-clock moment."""
    return datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


# --- bank holidays ---------------------------------------------------------------------------------------


def test_bank_holidays_are_the_official_england_and_wales_dates():
    expected = {
        "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25",
        "2025-12-26",
        "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25",
        "2026-12-28",
        "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27",
        "2027-12-28",
    }  # fmt: skip
    assert {d.isoformat() for d in ENGLAND_AND_WALES_BANK_HOLIDAYS} == expected
    # Bank holidays (including substitute days) always fall on weekdays.
    assert all(d.weekday() < 5 for d in ENGLAND_AND_WALES_BANK_HOLIDAYS)


# --- add_working_hours: concrete examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # Within a day (Tuesday 3 February 2026).
        pytest.param(at(2026, 2, 3, 10), 3, at(2026, 2, 3, 13), id="within-a-day"),
        pytest.param(at(2026, 2, 3, 9), 8, at(2026, 2, 3, 17), id="whole-day-ends-at-closing"),
        pytest.param(at(2026, 2, 3, 16), 1, at(2026, 2, 3, 17), id="due-exactly-at-closing-not-next-morning"),
        # Across an evening: 2h on Tuesday, 2h on Wednesday.
        pytest.param(at(2026, 2, 3, 15), 4, at(2026, 2, 4, 11), id="across-an-evening"),
        # The usual 16-working-hour target: two working days later, same time.
        pytest.param(at(2026, 2, 2, 10, 30), 16, at(2026, 2, 4, 10, 30), id="sixteen-hours-monday"),
        pytest.param(at(2026, 2, 5, 14), 16, at(2026, 2, 9, 14), id="sixteen-hours-thursday-to-monday"),
        # Friday afternoon to Monday (6 -> 9 February 2026).
        pytest.param(at(2026, 2, 6, 15), 3, at(2026, 2, 9, 10), id="friday-afternoon-to-monday"),
        pytest.param(at(2026, 2, 6, 15), 40, at(2026, 2, 13, 15), id="a-working-week"),
        # Across bank holidays: Christmas 2026 (25 Dec Fri, 26-27 weekend, 28 Dec Mon substitute Boxing Day).
        pytest.param(at(2026, 12, 24, 16), 4, at(2026, 12, 29, 12), id="across-christmas-2026"),
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        pytest.param(at(2026, 4, 2, 16), 2, at(2026, 4, 7, 10), id="across-easter-2026"),
        # Summer bank holiday Monday 31 August 2026.
        pytest.param(at(2026, 8, 28, 16), 2, at(2026, 9, 1, 10), id="across-august-bank-holiday"),
        # Christmas 2027: 25-26 weekend, substitutes Mon 27 and Tue 28 December.
        pytest.param(at(2027, 12, 24, 9), 9, at(2027, 12, 29, 10), id="across-christmas-2027"),
        # Received out of hours: counting starts at the next opening.
        pytest.param(at(2026, 2, 7, 11), 2, at(2026, 2, 9, 11), id="saturday"),
        pytest.param(at(2026, 2, 8, 23, 59), 2, at(2026, 2, 9, 11), id="sunday-night"),
        pytest.param(at(2026, 2, 3, 7), 2, at(2026, 2, 3, 11), id="early-morning-0700"),
        pytest.param(at(2026, 2, 3, 20), 2, at(2026, 2, 4, 11), id="evening-2000"),
        pytest.param(at(2026, 2, 6, 20), 2, at(2026, 2, 9, 11), id="friday-evening"),
        pytest.param(at(2026, 12, 25, 10), 1, at(2026, 12, 29, 10), id="on-christmas-day"),
        pytest.param(at(2026, 5, 4, 12), 1, at(2026, 5, 5, 10), id="on-early-may-bank-holiday"),
        # Fractional hours.
        pytest.param(at(2026, 2, 3, 10), 0.5, at(2026, 2, 3, 10, 30), id="half-an-hour"),
        pytest.param(at(2026, 2, 3, 10), 1.25, at(2026, 2, 3, 11, 15), id="an-hour-and-a-quarter"),
        pytest.param(at(2026, 2, 3, 16, 30), 0.75, at(2026, 2, 4, 9, 15), id="fraction-across-evening"),
        pytest.param(at(2026, 2, 3, 10), 1 / 3600, at(2026, 2, 3, 10, 0, 1), id="one-second"),
    ],
)
def test_add_working_hours(start, hours, expected):
    result = add_working_hours(start, hours, CAL)
    assert result == expected
    assert result.tzinfo == LONDON
    assert result.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        pytest.param(at(2026, 2, 3, 11, 17), at(2026, 2, 3, 11, 17), id="in-hours-is-unchanged"),
        pytest.param(at(2026, 2, 3, 9), at(2026, 2, 3, 9), id="exactly-at-opening"),
        pytest.param(at(2026, 2, 6, 17), at(2026, 2, 6, 17), id="friday-1700-is-end-of-friday"),
        pytest.param(at(2026, 2, 6, 17, 0, 1), at(2026, 2, 9, 9), id="just-after-friday-closing"),
        pytest.param(at(2026, 2, 3, 7), at(2026, 2, 3, 9), id="before-opening"),
        pytest.param(at(2026, 2, 3, 20), at(2026, 2, 4, 9), id="after-closing"),
        pytest.param(at(2026, 2, 7, 12), at(2026, 2, 9, 9), id="saturday"),
        pytest.param(at(2026, 12, 24, 18), at(2026, 12, 29, 9), id="christmas-eve-evening"),
    ],
)
def test_zero_hours_is_now_or_the_next_opening(start, expected):
    assert add_working_hours(start, 0, CAL) == expected


def test_any_positive_time_after_friday_closing_rolls_to_monday():
    assert add_working_hours(at(2026, 2, 6, 17), 0.01, CAL) == at(2026, 2, 9, 9, 0, 36)
    assert add_working_hours(at(2026, 2, 6, 17), 1, CAL) == at(2026, 2, 9, 10)


def test_integer_and_decimal_hours_are_accepted():
    assert add_working_hours(at(2026, 2, 3, 10), Decimal("1.5"), CAL) == at(2026, 2, 3, 11, 30)
    assert add_working_hours(at(2026, 2, 3, 10), 2, CAL) == at(2026, 2, 3, 12)


def test_start_in_another_zone_is_read_as_an_instant_and_returned_in_london():
    # 08:00 UTC on 1 June 2026 is 09:00 BST.
    result = add_working_hours(datetime(2026, 6, 1, 8, 0, tzinfo=UTC), 1, CAL)
    assert result == at(2026, 6, 1, 10)
    assert str(result) == "2026-06-01 10:00:00+01:00"


# --- daylight saving time ---------------------------------------------------------------------------------


def test_across_the_clocks_going_forward():
    # Clocks went forward at 01:00 GMT on Sunday 29 March 2026.
    friday = at(2026, 3, 27, 15)
    assert friday.utcoffset() == timedelta(0)
    result = add_working_hours(friday, 4, CAL)
    assert result == at(2026, 3, 30, 11)
    assert result.utcoffset() == timedelta(hours=1)
    assert result.astimezone(UTC) == datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
    # Friday 09:00 GMT to Monday 17:00 BST is two full working days, not 15 or 17 hours.
    assert working_hours_between(at(2026, 3, 27, 9), at(2026, 3, 30, 17), CAL) == 16.0
    # The week containing the change still has 40 working hours.
    assert working_hours_between(at(2026, 3, 23, 9), at(2026, 3, 27, 17), CAL) == 32.0 + 8.0
    assert working_hours_between(at(2026, 3, 30, 9), at(2026, 3, 30, 17), CAL) == 8.0


def test_across_the_clocks_going_back():
    # Clocks went back at 01:00 GMT on Sunday 25 October 2026.
    result = add_working_hours(at(2026, 10, 23, 15), 4, CAL)
    assert result == at(2026, 10, 26, 11)
    assert result.utcoffset() == timedelta(0)
    assert working_hours_between(at(2026, 10, 23, 9), at(2026, 10, 26, 17), CAL) == 16.0


def test_a_window_containing_the_clock_change_counts_real_elapsed_time():
    # A calendar that works 00:00-04:00 on Sundays: on the spring-forward Sunday the window is 3 real hours,
    # on the autumn Sunday 5 real hours.
    night = WorkingCalendar(days=frozenset({6}), start=time(0), end=time(4), holidays=frozenset())
    assert working_hours_between(at(2026, 3, 29), at(2026, 3, 29, 4), night) == 3.0
    assert working_hours_between(at(2026, 3, 22), at(2026, 3, 22, 4), night) == 4.0
    assert working_hours_between(at(2026, 10, 25), at(2026, 10, 25, 4), night) == 5.0
    assert add_working_hours(at(2026, 3, 29), 3, night) == at(2026, 3, 29, 4)
    assert add_working_hours(at(2026, 3, 29), 3.5, night) == at(2026, 4, 5, 0, 30)


# --- custom calendars ------------------------------------------------------------------------------------


MON_TO_SAT = WorkingCalendar(days=frozenset(range(6)), start=time(8), end=time(18), holidays=frozenset())


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        pytest.param(at(2026, 2, 6, 17), 3, at(2026, 2, 7, 10), id="friday-evening-to-saturday"),
        pytest.param(at(2026, 2, 7, 17), 2, at(2026, 2, 9, 9), id="saturday-to-monday"),
        pytest.param(at(2026, 2, 8, 12), 1, at(2026, 2, 9, 9), id="sunday-is-not-worked"),
        pytest.param(at(2026, 2, 3, 7), 10, at(2026, 2, 3, 18), id="long-day"),
        pytest.param(at(2026, 2, 2, 8), 60, at(2026, 2, 7, 18), id="a-sixty-hour-week"),
        pytest.param(at(2026, 12, 24, 17), 2, at(2026, 12, 25, 9), id="no-holidays-configured"),
    ],
)
def test_custom_calendar_monday_to_saturday_0800_to_1800(start, hours, expected):
    assert add_working_hours(start, hours, MON_TO_SAT) == expected


def test_custom_holidays():
    cal = WorkingCalendar(holidays=frozenset({date(2026, 2, 4)}))  # a council closure day
    assert add_working_hours(at(2026, 2, 3, 16), 2, cal) == at(2026, 2, 5, 10)
    assert not is_working_time(at(2026, 2, 4, 12), cal)


# --- is_working_time -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 2, 3, 9), True),
        (at(2026, 2, 3, 12, 30), True),
        (at(2026, 2, 3, 16, 59, 59), True),
        (at(2026, 2, 3, 17), False),
        (at(2026, 2, 3, 8, 59, 59), False),
        (at(2026, 2, 3, 20), False),
        (at(2026, 2, 7, 12), False),  # Saturday
        (at(2026, 2, 8, 12), False),  # Sunday
        (at(2026, 12, 28, 12), False),  # substitute Boxing Day
        (at(2026, 6, 1, 9, 30), True),  # BST
        (datetime(2026, 6, 1, 8, 30, tzinfo=UTC), True),  # 09:30 BST
        (datetime(2026, 6, 1, 16, 30, tzinfo=UTC), False),  # 17:30 BST
    ],
)
def test_is_working_time(moment, expected):
    assert is_working_time(moment, CAL) is expected


# --- working_hours_between -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (at(2026, 2, 3, 10), at(2026, 2, 3, 13), 3.0),
        (at(2026, 2, 3, 10), at(2026, 2, 3, 10, 45), 0.75),
        (at(2026, 2, 3, 15), at(2026, 2, 4, 11), 4.0),
        (at(2026, 2, 6, 15), at(2026, 2, 9, 10), 3.0),
        (at(2026, 2, 6, 18), at(2026, 2, 9, 8), 0.0),  # the whole weekend
        (at(2026, 2, 3, 20), at(2026, 2, 3, 22), 0.0),
        (at(2026, 2, 3, 10), at(2026, 2, 3, 10), 0.0),
        (at(2026, 12, 24, 16), at(2026, 12, 29, 12), 4.0),
        (at(2026, 2, 2, 0), at(2026, 3, 2, 0), 160.0),  # four weeks, no holidays in February
        (at(2026, 1, 1, 0), at(2027, 1, 1, 0), (261 - 8) * 8.0),  # 2026: 261 weekdays, 8 bank holidays
    ],
)
def test_working_hours_between(a, b, expected):
    assert working_hours_between(a, b, CAL) == pytest.approx(expected)
    assert working_hours_between(b, a, CAL) == pytest.approx(-expected)


def test_overdue_figures_are_negative():
    due = at(2026, 2, 6, 16)
    now = at(2026, 2, 9, 11)
    assert working_hours_between(now, due, CAL) == -3.0  # "overdue by 3 working hours"
    assert working_hours_between(due, now, CAL) == 3.0


def test_between_accepts_mixed_zones():
    assert working_hours_between(datetime(2026, 6, 1, 8, tzinfo=UTC), at(2026, 6, 1, 12), CAL) == 3.0


@pytest.mark.parametrize(
    ("start", "hours"),
    [
        (at(2026, 2, 3, 10), 3),
        (at(2026, 2, 6, 15, 20), 16),
        (at(2026, 2, 7, 11), 7.5),
        (at(2026, 12, 24, 16), 4),
        (at(2026, 3, 27, 15), 4),
        (at(2026, 10, 23, 16, 45), 12.25),
        (at(2025, 12, 19, 12), 100),
        (at(2026, 2, 3, 10), 0),
        (at(2026, 2, 3, 10), 1 / 60),
    ],
)
def test_add_then_measure_gives_the_same_hours(start, hours):
    due = add_working_hours(start, hours, CAL)
    assert working_hours_between(start, due, CAL) == pytest.approx(hours, abs=1e-9)
    assert working_hours_between(due, start, CAL) == pytest.approx(-hours, abs=1e-9)


# --- large counts: whole weeks are skipped, with the same answers ----------------------------------------


def test_large_count_ending_exactly_at_a_closing_time():
    # Ten 40-hour weeks from Monday 5 January 2026 end at closing on Friday 13 March, not Monday 09:00.
    assert add_working_hours(at(2026, 1, 5, 9), 400, NO_HOLIDAYS) == at(2026, 3, 13, 17)
    assert add_working_hours(at(2026, 1, 5, 9), 400.5, NO_HOLIDAYS) == at(2026, 3, 16, 9, 30)


def test_large_counts_are_fast():
    started = wall_clock.perf_counter()
    due = add_working_hours(at(2026, 1, 5, 9), 200_000, NO_HOLIDAYS)  # about 96 years
    assert working_hours_between(at(2026, 1, 5, 9), due, NO_HOLIDAYS) == pytest.approx(200_000)
    assert wall_clock.perf_counter() - started < 1.0


def _random_moment(rng):
    base = at(2025, 1, 1)
    return (base.astimezone(UTC) + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))).astimezone(LONDON)


@pytest.mark.parametrize(
    "calendar",
    [
        CAL,
        MON_TO_SAT,
        WorkingCalendar(days=frozenset({0, 2, 6}), start=time(0, 30), end=time(3, 15)),
        WorkingCalendar(days=frozenset(range(7)), start=time(1), end=time(23, 30), holidays=frozenset()),
    ],
    ids=["default", "mon-sat", "small-hours-incl-sunday", "every-day"],
)
def test_week_skipping_matches_a_day_by_day_walk(calendar, monkeypatch):
    rng = random.Random(20260329)
    cases = [(_random_moment(rng), rng.choice([0, 0.5, 8, 16, 39.75, 120, 333.3, 1500])) for _ in range(150)]
    fast = [add_working_hours(start, hours, calendar) for start, hours in cases]
    fast_between = [working_hours_between(a, b, calendar) for (a, _), b in zip(cases, fast, strict=True)]
    monkeypatch.setattr(WorkingCalendar, "_is_plain_week", lambda self, first: False)
    slow = [add_working_hours(start, hours, calendar) for start, hours in cases]
    slow_between = [working_hours_between(a, b, calendar) for (a, _), b in zip(cases, slow, strict=True)]
    assert fast == slow
    assert fast_between == pytest.approx(slow_between, abs=1e-9)
    assert fast_between == pytest.approx([hours for _, hours in cases], abs=1e-9)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (at(2026, 3, 25, 6, 10), at(2026, 4, 8, 13, 40)),  # spring clock change and Easter
        (at(2026, 10, 21, 12, 5), at(2026, 10, 28, 16, 55)),  # autumn clock change
        (at(2026, 12, 22, 8), at(2027, 1, 4, 10)),  # Christmas and New Year
    ],
)
def test_between_agrees_with_counting_minutes(a, b):
    # Arithmetic in UTC: adding a timedelta to a London datetime is wall-clock arithmetic.
    a_utc, b_utc = a.astimezone(UTC), b.astimezone(UTC)
    minutes = int((b_utc - a_utc).total_seconds() // 60)
    worked = sum(is_working_time(a_utc + timedelta(minutes=m), CAL) for m in range(minutes))
    assert working_hours_between(a, b, CAL) == pytest.approx(worked / 60)


# --- invalid input ---------------------------------------------------------------------------------------


def test_naive_datetimes_are_rejected():
    naive = datetime(2026, 2, 3, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_hours(naive, 1, CAL)
    with pytest.raises(ValueError, match="timezone-aware"):
        working_hours_between(naive, at(2026, 2, 3, 12), CAL)
    with pytest.raises(ValueError, match="timezone-aware"):
        working_hours_between(at(2026, 2, 3, 12), naive, CAL)
    with pytest.raises(ValueError, match="timezone-aware"):
        is_working_time(naive, CAL)


def test_non_numeric_hours_are_rejected():
    with pytest.raises(TypeError):
        add_working_hours(at(2026, 2, 3, 10), "16", CAL)
    with pytest.raises(TypeError):
        add_working_hours(at(2026, 2, 3, 10), True, CAL)


@pytest.mark.parametrize("hours", [-1, -0.001, float("nan"), float("inf"), Decimal("-2")])
def test_negative_or_non_finite_hours_are_rejected(hours):
    with pytest.raises(ValueError, match="hours"):
        add_working_hours(at(2026, 2, 3, 10), hours, CAL)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": time(17), "end": time(9)},
        {"start": time(9), "end": time(9)},
        {"days": frozenset()},
        {"days": frozenset({7})},
        {"days": frozenset({-1})},
    ],
)
def test_invalid_calendar_is_rejected(kwargs):
    with pytest.raises(ValueError):
        WorkingCalendar(**kwargs)


# --- from_settings ---------------------------------------------------------------------------------------


def test_from_settings_defaults(settings):
    for name in ("CONTENT_WORKING_DAYS", "CONTENT_WORKING_HOURS", "CONTENT_BANK_HOLIDAYS"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert WorkingCalendar.from_settings() == WorkingCalendar()


@override_settings(
    CONTENT_WORKING_DAYS=[0, 1, 2, 3, 4, 5],
    CONTENT_WORKING_HOURS="08:00-18:00",
    CONTENT_BANK_HOLIDAYS=["2026-12-25", "2027-01-01"],
)
def test_from_settings_reads_the_overrides():
    cal = WorkingCalendar.from_settings()
    assert cal.days == frozenset(range(6))
    assert (cal.start, cal.end) == (time(8), time(18))
    assert cal.holidays == frozenset({date(2026, 12, 25), date(2027, 1, 1)})  # replaces the default list
    assert cal.tz == LONDON


@override_settings(CONTENT_WORKING_HOURS="8:30-16:30", CONTENT_BANK_HOLIDAYS=[])
def test_functions_use_the_settings_when_no_calendar_is_given():
    # Christmas Day and 28 December 2026 are working days here: the bank-holiday list was replaced by an
    # empty one. 16:00-16:30 on Thursday, then 3.5 hours from 08:30 on Friday.
    assert add_working_hours(at(2026, 12, 24, 16), 4, None) == at(2026, 12, 25, 12)
    assert working_hours_between(at(2026, 12, 24, 8), at(2026, 12, 24, 20)) == 8.0
    assert is_working_time(at(2026, 12, 28, 8, 45))


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("CONTENT_WORKING_HOURS", "17:00-09:00", "end after it starts"),
        ("CONTENT_WORKING_HOURS", "09:00-09:00", "end after it starts"),
        ("CONTENT_WORKING_HOURS", "9-5", "must look like"),
        ("CONTENT_WORKING_HOURS", "25:00-26:00", "impossible time"),
        ("CONTENT_WORKING_HOURS", ["09:00", "17:00"], "must look like"),
        ("CONTENT_WORKING_DAYS", [0, 1, 7], "0 \\(Monday\\) to 6 \\(Sunday\\)"),
        ("CONTENT_WORKING_DAYS", ["mon", "tue"], "0 \\(Monday\\) to 6 \\(Sunday\\)"),
        ("CONTENT_WORKING_DAYS", [], "at least one"),
        ("CONTENT_WORKING_DAYS", "0,1,2", "list of weekday numbers"),
        ("CONTENT_BANK_HOLIDAYS", ["25/12/2026"], "ISO dates"),
        ("CONTENT_BANK_HOLIDAYS", ["2026-02-30"], "ISO dates"),
        ("CONTENT_BANK_HOLIDAYS", "2026-12-25", "list of ISO dates"),
    ],
)
def test_from_settings_rejects_bad_settings(setting, value, message):
    with override_settings(**{setting: value}), pytest.raises(ImproperlyConfigured, match=message):
        WorkingCalendar.from_settings()
