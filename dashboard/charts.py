"""A small bar chart of an indicator's monthly trend, drawn as inline SVG (no JavaScript). The chart is
hidden from screen readers: the same figures are in a table beside it."""

from dataclasses import dataclass

HEIGHT = 60
BAR = 14
GAP = 4


@dataclass(frozen=True)
class Bar:
    x: int
    y: float
    height: float
    month: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]


def bars(indicator) -> Chart | None:
    if indicator.kind == "breakdown" or len(indicator.trend) < 2:
        return None
    values = [float(v) if v is not None else 0.0 for _, v in indicator.trend]
    top = 100.0 if indicator.kind == "share" else max(values) or 1.0
    drawn = []
    for i, ((month, _), value) in enumerate(zip(indicator.trend, values, strict=True)):
        height = round(HEIGHT * value / top, 1)
        drawn.append(Bar(i * (BAR + GAP), round(HEIGHT - height, 1), height, month.strftime("%b %Y")))
    return Chart(len(drawn) * (BAR + GAP), HEIGHT, drawn)
