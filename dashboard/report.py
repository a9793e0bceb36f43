"""The dashboard as plain values: the JSON the command prints and the rows of the CSV/XLSX export."""

from decimal import Decimal

from dashboard.indicators import Dashboard
from dashboard.said_vs_did import Comparison, Figure


def plain(value):
    """Decimals as JSON numbers (66.7, 4.25), dicts and lists all the way down."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _figure(figure: Figure) -> dict:
    return {"count": figure.count, "base": figure.base, "percent": plain(figure.percent)}


def as_json(dashboard: Dashboard, comparisons: list[Comparison]) -> dict:
    area = dashboard.service_area
    return {
        "from": dashboard.period.start.isoformat(),
        "to": dashboard.period.end.isoformat(),
        "service_area": area.code if area is not None else None,
        "indicators": {name: plain(value) for name, value in dashboard.values().items()},
        "said_vs_did": [
            {"practice": c.practice, "said": _figure(c.said), "did": _figure(c.did)} for c in comparisons
        ],
    }


HEADERS = ["Section", "Indicator", "Name", "Value", "Count", "Base", "Month", "What it counts"]


def rows(dashboard: Dashboard, comparisons: list[Comparison]) -> list[list]:
    """One row per figure (a breakdown: one per part), then one per month of each trend, then said
    versus did. Numbers stay numbers; the caller protects text cells."""
    found = []
    for section in dashboard.sections:
        for i in section.indicators:
            if i.kind == "breakdown":
                for key, part in _flatten(i.value):
                    found.append(
                        [section.title, f"{i.label}: {key}", i.name, part, None, None, None, i.about]
                    )
            else:
                found.append([section.title, i.label, i.name, plain(i.value), i.count, i.base, None, i.about])
            for month, value in i.trend:
                found.append(
                    [section.title, i.label, i.name, plain(value), None, None, month.strftime("%Y-%m"), ""]
                )
    for c in comparisons:
        for side, figure in (("said", c.said), ("did", c.did)):
            found.append(
                [
                    "Said versus did",
                    f"{c.practice} ({side})",
                    f"said_vs_did.{c.question}.{side}",
                    plain(figure.percent),
                    figure.count,
                    figure.base,
                    None,
                    c.measure if side == "did" else f"Answered yes to {c.question}",
                ]
            )
    return found


def _flatten(value: dict, prefix: str = ""):
    for key, part in value.items():
        name = f"{prefix}{key}"
        if isinstance(part, dict):
            yield from _flatten(part, f"{name} ")
        else:
            yield name, part
