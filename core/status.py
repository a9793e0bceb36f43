"""The colour of a status tag, in one place for every app: by the status's value."""

COLOURS = {
    "green": {
        "active",
        "approved",
        "published",
        "open",
        "attended",
        "valid",
        "confirmed",
        "kept",
        "upheld",
        "held",
    },
    "blue": {
        "requested",
        "submitted",
        "in_progress",
        "not_open",
        "scheduled",
        "booked",
        "waiting",
        "pending",
        "referred",
        "unconfirmed",
    },
    "yellow": {
        "dormant",
        "closing",
        "changes_requested",
        "warned",
        "more_information",
        "due",
        "due_soon",
        "expiring",
        "review_due",
        "warn",
    },
    "red": {"rejected", "blocked", "overdue", "missing", "no_show", "refused", "block", "voided", "declined"},
}
_BY_STATUS = {status: colour for colour, statuses in COLOURS.items() for status in statuses}


def colour_of(status: str) -> str:
    """green, blue, yellow, red, or grey for anything finished or unknown."""
    return _BY_STATUS.get(status, "grey")
