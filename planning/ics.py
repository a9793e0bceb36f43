"""An iCalendar (RFC 5545) file written by hand: one VEVENT per draft, text escaped (3.3.11) and lines
folded at 75 octets (3.1), CRLF line ends."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

CRLF = "\r\n"
LINE_OCTETS = 75


def escape(text: str) -> str:
    """TEXT values: backslash, semicolon and comma escaped, line breaks as \\n, other control
    characters dropped (they are not allowed in a content line)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "".join(c for c in text if c == "\t" or (ord(c) >= 32 and ord(c) != 127))


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character; each
    continuation starts with a space."""
    out, current, size = [], "", 0
    for char in line:
        octets = len(char.encode())
        limit = LINE_OCTETS if not out else LINE_OCTETS - 1  # a continuation's leading space counts
        if size + octets > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += octets
    out.append(current)
    return (CRLF + " ").join(out)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, events: Iterable[dict], now: datetime) -> str:
    """events: dicts with uid, start (aware datetime), summary, description, url; each lasts 15 minutes."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Council social media governance//Calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape(event['uid'])}",
            f"DTSTAMP:{stamp(now)}",
            f"DTSTART:{stamp(event['start'])}",
            f"DTEND:{stamp(event['start'] + timedelta(minutes=15))}",
            f"SUMMARY:{escape(event['summary'])}",
            f"DESCRIPTION:{escape(event['description'])}",
            f"URL:{event['url']}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
