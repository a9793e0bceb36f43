"""Bar charts drawn as inline SVG on the server, beside each question's table. The table is the
accessible version; the chart is decoration for sighted readers (aria-hidden), and needs no script."""

from dataclasses import dataclass
from decimal import Decimal

from surveys.models import QuestionType as T
from surveys.report import QuestionResult

ROW = 46
DASH = "\u2013"
# (coordinate width of the SVG, room for the longest bar, characters of label): the SVG scales to its
# column, so a narrower drawing keeps the text readable in a narrow column.
HALF_COLUMN = (480, 400, 62)
THIRD_COLUMN = (300, 230, 38)


@dataclass
class Bar:
    label: str
    value: str
    width: int
    label_y: int
    bar_y: int
    value_x: int


@dataclass
class Chart:
    bars: list[Bar]
    height: int
    width: int
    caption: str


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bars_for(question: QuestionResult) -> Chart | None:
    """Percentages for choice questions, the weighted average (out of n) for rankings; nothing else."""
    if question.hidden or not question.base:
        return None
    chart_width, bar_space, limit = THIRD_COLUMN if question.type == T.RANKING else HALF_COLUMN
    if question.type in (T.YES_NO, T.SINGLE_CHOICE, T.MULTIPLE_CHOICE):
        values = [(o.label, o.percent, Decimal(100), f"{o.percent}%") for o in question.options]
    elif question.type == T.RANKING:
        values = [
            (
                o.label,
                o.weighted_average or Decimal(0),
                Decimal(question.max_score),
                str(o.weighted_average or DASH),
            )
            for o in question.options
        ]
    else:
        return None
    bars = []
    for i, (label, value, top, text) in enumerate(values):
        width = int(bar_space * (value or 0) / top) if top else 0
        bars.append(
            Bar(
                label=_short(label, limit),
                value=text,
                width=width,
                label_y=i * ROW + 16,
                bar_y=i * ROW + 22,
                value_x=width + 6,
            )
        )
    caption = (
        f"Chart: weighted average of those who ranked each option, out of {question.max_score}"
        if question.type == T.RANKING
        else f"Chart: per cent of the {question.base} who answered"
    )
    return Chart(bars=bars, height=len(bars) * ROW + 4, width=chart_width, caption=caption)
