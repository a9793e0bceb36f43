"""The council's existing block list, imported once (`manage.py blocks_import FILE.csv`, or the import
page with its preview). A CSV file with exactly these columns, in any order:

    platform            a platform code as in the register (x, facebook, instagram, …)
    council_account     the council account's handle or link, as the register knows it
    person_handle       the blocked person's handle (or leave it empty and give the link)
    person_profile_url  the link to their profile (may be empty)
    category            one category code (abuse, threats, discrimination, personal_attacks,
                        misinformation, spam, impersonation, personal_information, off_topic, other)
    reason              why they were blocked (required: there is no block without a reason)
    blocked_on          the date they were blocked: 2025-03-04 or 04/03/2025
    lifted_on           the date they were unblocked, or empty if they still are
    decided_by          the email address of the person who decided, as in the list of people

All or nothing: every line is checked, every problem is listed with its line, and with any problem
nothing is saved. Each cell is bounded (length, dates from 2000 to today, no control characters), and
the register, the people and the existing blocks are each read once per file, not once per line."""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts_registry.models import Account
from accounts_registry.platforms import Platform, identify
from blocking.models import Block, BlockEvent, BlockSource, BlockStatus, Category
from blocking.services import add_months, review_months
from core.csvfile import ImportRejected, decode, records
from core.spreadsheet import unprotect
from organisation.models import User

COLUMNS = [
    "platform",
    "council_account",
    "person_handle",
    "person_profile_url",
    "category",
    "reason",
    "blocked_on",
    "lifted_on",
    "decided_by",
]
LONGEST = {"council_account": 500, "person_handle": 200, "person_profile_url": 500, "reason": 2000}
LONGEST_OTHER = 254  # every other cell (an email address is the longest of them)
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
EARLIEST = date(2000, 1, 1)
TEXT_CONTROLS_ALLOWED = {"reason": {"\n", "\r", "\t"}}
# A transaction-level lock: two imports at once cannot both pass the duplicate check.
IMPORT_LOCK = 0x626C6B73  # "blks"


@dataclass
class ParsedBlock:
    line: int
    account: Account
    person_handle: str
    person_key: str
    person_profile_url: str
    category: str
    reason: str
    blocked_on: date
    lifted_on: date | None
    decided_by: User


def parse_date(text: str) -> date:
    """2025-03-04 or 04/03/2025 (day first, as written in the UK)."""
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date: write it as 2025-03-04 or 04/03/2025.")


def _cell_problems(row: dict[str, str]) -> list[str]:
    problems = []
    for name, value in row.items():
        longest = LONGEST.get(name, LONGEST_OTHER)
        if len(value) > longest:
            problems.append(f"{name} is longer than {longest} characters.")
        allowed = TEXT_CONTROLS_ALLOWED.get(name, set())
        if any(unicodedata.category(char) == "Cc" and char not in allowed for char in value):
            problems.append(f"{name} contains a control character (such as NUL): remove it.")
    return problems


def _header(lines) -> list[str]:
    first = next(lines, None)
    if first is None:
        raise ImportRejected([(1, "The file is empty: the first line must be the header.")])
    header = [name.strip().lower() for name in first[1]]
    problems = []
    if missing := [name for name in COLUMNS if name not in header]:
        problems.append(f"The header needs the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}.")
    if unknown := [name for name in header if name not in COLUMNS]:
        problems.append(f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.")
    if doubled := sorted({name for name in header if header.count(name) > 1}):
        problems.append(f"Column{'s' if len(doubled) > 1 else ''} given twice: {', '.join(doubled)}.")
    if problems:
        raise ImportRejected([(1, problem) for problem in problems])
    return header


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    lines = records(text)
    header = _header(lines)
    rows, problems = [], []
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets often leave blank lines at the end
        if len(cells) > len(header):
            problems.append((line, f"This line has {len(cells)} cells but the header has {len(header)}."))
            continue
        cells = [unprotect(cell).strip() for cell in cells] + [""] * (len(header) - len(cells))
        rows.append((line, dict(zip(header, cells, strict=True))))
        if len(rows) > MAX_ROWS:
            raise ImportRejected([(line, f"The file has more than {MAX_ROWS} blocks: split it in two.")])
    if problems:
        raise ImportRejected(problems)
    return rows


def _identity(platform: str, handle: str, link: str = ""):
    try:
        return identify(platform, handle, link), None
    except ValidationError as exc:
        return None, " ".join(exc.messages)


class _Lookups:
    """The register's accounts, the people and the blocks already recorded that the file names: each
    read in one query for the whole file."""

    def __init__(self, rows: list[tuple[int, dict[str, str]]]):
        self.account_identity = {}
        self.person_identity = {}
        for line, row in rows:
            platform = row["platform"].lower()
            if platform not in Platform.values:
                continue
            self.account_identity[line] = _identity(platform, row["council_account"])
            self.person_identity[line] = _identity(platform, row["person_handle"], row["person_profile_url"])
        account_keys = {identity.key for identity, _ in self.account_identity.values() if identity}
        self.accounts = {
            (account.platform, account.handle_key): account
            for account in Account.objects.filter(handle_key__in=account_keys)
        }
        emails = {row["decided_by"].lower() for _, row in rows if row["decided_by"]}
        self.people = {
            person.email_lower: person
            for person in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
        }
        person_keys = {identity.key for identity, _ in self.person_identity.values() if identity}
        self.existing = set(
            Block.objects.filter(person_key__in=person_keys).values_list(
                "account_id", "person_key", "blocked_on"
            )
        )


def parse_blocks(text: str) -> list[ParsedBlock]:
    """Check a whole file; every line's problems are collected before anything is saved."""
    rows = _rows(text)
    if not rows:
        raise ImportRejected([(2, "The file has a header but no blocks.")])
    # A cell PostgreSQL cannot hold (NUL) or longer than its column must not reach the lookups' queries.
    cell_problems = {line: _cell_problems(row) for line, row in rows}
    lookups = _Lookups([(line, row) for line, row in rows if not cell_problems[line]])
    today = timezone.localdate()
    parsed, problems, first_seen = [], [], {}
    for line, row in rows:
        found = cell_problems[line]
        platform = row["platform"].lower()
        if platform not in Platform.values:
            found.append(f"platform “{row['platform']}” is not one of: {', '.join(Platform.values)}.")
        account = person = None
        if line in lookups.account_identity:
            identity, problem = lookups.account_identity[line]
            if problem or not row["council_account"]:
                found.append(
                    f"council_account: {problem or 'give the handle or link of the council account.'}"
                )
            else:
                account = lookups.accounts.get((platform, identity.key))
                if account is None:
                    found.append(f"council_account “{row['council_account']}” is not in the register.")
            person, problem = lookups.person_identity[line]
            if problem:
                found.append(f"person_handle or person_profile_url: {problem}")
        if row["category"].lower() not in Category.values:
            found.append(f"category “{row['category']}” is not one of: {', '.join(Category.values)}.")
        if not row["reason"]:
            found.append("reason is empty: there is no block without a recorded reason.")
        dates = {}
        for name in ("blocked_on", "lifted_on"):
            if not row[name]:
                if name == "blocked_on":
                    found.append("blocked_on is empty: give the date they were blocked.")
                continue
            try:
                dates[name] = parse_date(row[name])
            except ValueError as exc:
                found.append(f"{name}: {exc}")
                continue
            if not EARLIEST <= dates[name] <= today:
                found.append(f"{name} must be between {EARLIEST:%d/%m/%Y} and today.")
        if "blocked_on" in dates and dates.get("lifted_on", date.max) < dates["blocked_on"]:
            found.append("lifted_on is before blocked_on.")
        decided_by = lookups.people.get(row["decided_by"].lower())
        if not row["decided_by"]:
            found.append("decided_by is empty: give the email address of the person who decided.")
        elif decided_by is None:
            found.append(
                f"decided_by: nobody with the email address {row['decided_by']} is in the list of people."
            )
        if account and person and "blocked_on" in dates:
            key = (account.pk, person.key, dates["blocked_on"])
            if key in lookups.existing:
                found.append("This block is already in the register.")
            elif key in first_seen:
                found.append(f"The same block as line {first_seen[key]}.")
            first_seen.setdefault(key, line)
        if found:
            problems += [(line, message) for message in found]
            continue
        parsed.append(
            ParsedBlock(
                line=line,
                account=account,
                person_handle=person.handle,
                person_key=person.key,
                person_profile_url=person.profile_url,
                category=row["category"].lower(),
                reason=row["reason"],
                blocked_on=dates["blocked_on"],
                lifted_on=dates.get("lifted_on"),
                decided_by=decided_by,
            )
        )
    if problems:
        raise ImportRejected(problems)
    return parsed


def blocks_import(*, by: User | None, data: bytes) -> list[Block]:
    """Import the earlier block list: all or nothing (ImportRejected lists every problem). Blocks still
    in force get a review date counted from when they were blocked, so old ones come up for review."""
    if by is not None and not by.has_perm("blocking.import_blocks"):
        raise PermissionDenied("Only the Communications team imports the block list.")
    if len(data) > MAX_BYTES:
        raise ImportRejected([(1, f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it.")])
    text = decode(data)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
        parsed = parse_blocks(text)
        blocks = Block.objects.bulk_create(
            [
                Block(
                    account=row.account,
                    platform=row.account.platform,
                    person_handle=row.person_handle,
                    person_profile_url=row.person_profile_url,
                    person_key=row.person_key,
                    categories=[row.category],
                    reason=row.reason,
                    source=BlockSource.IMPORTED,
                    blocked_on=row.blocked_on,
                    lifted_on=row.lifted_on,
                    review_on=None
                    if row.lifted_on
                    else add_months(row.blocked_on, review_months([row.category])),
                    status=BlockStatus.LIFTED if row.lifted_on else BlockStatus.ACTIVE,
                    recorded_by=by,
                    decided_by=row.decided_by,
                )
                for row in parsed
            ]
        )
        BlockEvent.objects.bulk_create(
            BlockEvent(block=block, actor=by, action="imported", to_status=block.status) for block in blocks
        )
    return blocks
