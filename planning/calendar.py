"""The calendar's periods: which days a month or week view covers, read from bounded query parameters."""

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.utils import timezone

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
PER_DAY = 8  # items drawn in a month or week cell; the rest are "and N more", a link to that day's list
MOST_ITEMS = 2_000  # drawn in one month whatever its size; filters narrow the rest


class PeriodForm(forms.Form):
    """?month=2026-11, ?week=2026-11-23 (any day of it), ?start=2026-11-25: anything else is ignored."""

    month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7, required=False)
    week = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean(self):
        data = super().clean()
        for name in ("week", "start"):
            if data.get(name) and not EARLIEST <= data[name] <= LATEST:
                data[name] = None
        if data.get("month") and not EARLIEST.year <= int(data["month"][:4]) <= LATEST.year:
            data["month"] = ""
        return data


def period(query) -> dict:
    form = PeriodForm(query)
    return form.cleaned_data if form.is_valid() else {}


@dataclass
class Day:
    day: date
    in_period: bool = True
    items: list = field(default_factory=list)

    @property
    def shown(self) -> list:
        return self.items[:PER_DAY]

    @property
    def more(self) -> int:
        return max(0, len(self.items) - PER_DAY)

    @property
    def is_today(self) -> bool:
        return self.day == timezone.localdate()


def month_of(query) -> date:
    value = period(query).get("month")
    if value:
        return date(int(value[:4]), int(value[5:]), 1)
    return timezone.localdate().replace(day=1)


def week_of(query) -> date:
    day = period(query).get("week") or timezone.localdate()
    return day - timedelta(days=day.weekday())


def start_of(query) -> date:
    return period(query).get("start") or timezone.localdate()


def month_grid(first: date) -> list[list[Day]]:
    """The month's weeks, Monday first, padded with the days of the months either side."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[Day(d, d.month == first.month) for d in week] for week in weeks]


def next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def place(days: list[Day], drafts) -> None:
    """Put each draft on its local day."""
    by_day = {d.day: d for d in days}
    for draft in drafts:
        day = by_day.get(timezone.localdate(draft.due))
        if day is not None:
            day.items.append(draft)
