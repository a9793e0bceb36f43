"""The two SQL expressions Django has no word for: a percentile (PostgreSQL's percentile_cont) and
the working hours between two moments, counted in the database with the council's calendar
(content_review.working_hours gives the same answer in Python for one pair of moments)."""

from django.db.models import Aggregate, FloatField, Func


class Percentile(Aggregate):
    """percentile_cont(fraction) WITHIN GROUP (ORDER BY expression): the median is 0.5."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("a percentile is a fraction from 0 to 1")
        super().__init__(expression, fraction=float(fraction), **extra)


class WorkingHoursBetween(Func):
    """Working hours from `start` to `end` (0 when `end` is earlier): for each local working day
    between them, the overlap of [start, end] with that day's opening hours, summed. The calendar's
    days, hours, holidays and time zone are parameters, never text in the statement."""

    output_field = FloatField()

    def __init__(self, start, end, calendar):
        super().__init__(start, end)
        self.calendar = calendar

    def as_sql(self, compiler, connection, **extra):
        (a, a_params), (b, b_params) = (compiler.compile(e) for e in self.get_source_expressions())
        cal = self.calendar
        tz = str(cal.tz.key)
        opening, closing = cal.start.isoformat(), cal.end.isoformat()
        # Only the compiled column references are put into the text (S608): every value is a parameter.
        sql = (
            "(SELECT COALESCE(SUM(GREATEST(0, EXTRACT(EPOCH FROM "  # noqa: S608  # nosec B608
            f"LEAST({b}, (g.d::date + %s::time) AT TIME ZONE %s) "
            f"- GREATEST({a}, (g.d::date + %s::time) AT TIME ZONE %s)))), 0)::float / 3600.0 "
            f"FROM generate_series(({a} AT TIME ZONE %s)::date, ({b} AT TIME ZONE %s)::date, "
            "interval '1 day') AS g(d) "
            "WHERE (EXTRACT(ISODOW FROM g.d)::int - 1) = ANY(%s::int[]) "
            "AND NOT (g.d::date = ANY(%s::date[])))"
        )
        params = [
            *b_params,
            closing,
            tz,
            *a_params,
            opening,
            tz,
            *a_params,
            tz,
            *b_params,
            tz,
            sorted(cal.days),
            sorted(cal.holidays),
        ]
        return sql, params
