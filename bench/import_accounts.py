"""How fast the register imports a spreadsheet, and how much memory it takes, at a large council's size.

Creates a throwaway database (test_<name> on DATABASE_URL's server, or on the embedded PostgreSQL) with
52 service areas, 500 people and an existing register, then imports a CSV file of N rows (nine in ten
new accounts, one in ten changing an account already there) through the services the import page
uses: the preview (read, check every rule, keep the file) and the confirmation (check again under
locks, write). Each run is rolled back, so every run imports the same file into the same register.
Prints `name: value` lines:

    rows_per_s.import_accounts:          rows ÷ (preview + confirmation), the issue 16 figure
    rows_per_s.import_accounts_preview:  rows ÷ preview
    rows_per_s.import_accounts_apply:    rows ÷ confirmation
    rows_per_cpu_s.import_accounts:      rows ÷ CPU seconds of this process and its PostgreSQL backend
                                         (what the clock would give on an otherwise idle machine)
    queries.import_accounts:             queries of preview + confirmation
    peak_mb.import_accounts:             Python's peak memory (tracemalloc) for the whole file
    peak_mb.import_accounts_quarter:     the same for a quarter of the file: memory should not follow size

Run:  .venv/bin/python bench/import_accounts.py [--rows 10000] [--existing 2000] [--repeat 3]
"""

import argparse
import csv
import io
import os
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def build(existing: int):
    from accounts_registry.models import Account
    from accounts_registry.platforms import identify
    from organisation.models import Role, ServiceArea, User
    from organisation.services import person_set_roles

    areas = ServiceArea.objects.bulk_create(
        [ServiceArea(name=f"Service area {i}", code=f"area-{i}") for i in range(52)]
    )
    people = User.objects.bulk_create(
        [
            User(
                email=f"officer{i}@northfield.gov.uk",
                first_name="Officer",
                last_name=f"Number {i}",
                service_area=areas[i % 52],
                password="!",
            )
            for i in range(500)
        ]
    )
    rows = []
    for i in range(existing):
        identity = identify("x", f"nfieldold{i}")
        rows.append(
            Account(
                platform="x",
                handle=identity.handle,
                handle_key=identity.key,
                profile_url=identity.profile_url,
                display_name=f"Northfield account {i}",
                kind="service",
                service_area=areas[i % 52],
                purpose="News",
                audience="Residents",
                responsible_officer=people[i % 52 + 52 * (i // 52 % 9)],  # from the account's service area
                status="active",
            )
        )
    Account.objects.bulk_create(rows, batch_size=2000)
    comms = User.objects.create_user("comms@northfield.gov.uk", "bench-password-123")
    person_set_roles(person=comms, roles=[Role.COMMS])
    return comms


def spreadsheet(rows: int, existing: int) -> bytes:
    """Nine in ten rows a new account, one in ten a new purpose for one already registered."""
    from accounts_registry.sheet import TEMPLATE_COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c.heading for c in TEMPLATE_COLUMNS], restval="")
    writer.writeheader()
    changed = 0
    for i in range(rows):
        if i % 10 == 0 and changed < existing:
            writer.writerow(
                {"Platform": "X (Twitter)", "Handle": f"nfieldold{changed}", "Purpose": "Updates"}
            )
            changed += 1
            continue
        area = i % 52
        writer.writerow(
            {
                "Platform": ["X (Twitter)", "Facebook", "Instagram", "TikTok"][i % 4],
                "Handle": f"nfieldnew{i}",
                "Display name": f"Northfield new account {i}",
                "Kind": "Service area",
                "Service area": f"Service area {area}",
                "Purpose": "News and updates for residents.",
                "Audience": "Residents of the borough",
                "Responsible officer's email": f"officer{area + 52 * (i % 9)}@northfield.gov.uk",
                "Deputy's email": f"officer{area + 52 * ((i + 1) % 9)}@northfield.gov.uk" if i % 3 else "",
                "Managed by Communications": "No",
                "Expected posting frequency": "Once a week",
                "Every post reviewed": "Yes",
                "Agreed response time (working hours)": "16",
                "Two-factor sign-in": "Yes",
                "Where the sign-in details are held": "Council password manager, vault Social media",
            }
        )
    return out.getvalue().encode()


def cpu_seconds(backend: int) -> float:
    """CPU time used so far by this process and by its PostgreSQL backend (when on this machine):
    unlike the clock, it does not count time spent waiting for other work on a shared machine."""
    own = time.process_time()
    try:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return own
    return own + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def import_once(comms, content: bytes) -> dict:
    """Preview then confirm, rolled back afterwards: seconds (clock and CPU) of each, queries, the upload."""
    from accounts_registry import services
    from organisation.models import User

    with transaction.atomic():
        by = User.objects.get(pk=comms.pk)  # as a request has it: roles not yet loaded
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        with CaptureQueriesContext(connection) as queries:
            cpu, started = cpu_seconds(backend), time.perf_counter()
            upload = services.accounts_import_preview(by=by, file_name="bench.csv", content=content)
            cpu_previewed, previewed = cpu_seconds(backend), time.perf_counter()
            done = services.accounts_import_apply(upload=upload, by=by)
            cpu_applied, applied = cpu_seconds(backend), time.perf_counter()
        transaction.set_rollback(True)
    return {
        "preview": previewed - started,
        "apply": applied - previewed,
        "cpu": cpu_applied - cpu,
        "cpu_preview": cpu_previewed - cpu,
        "queries": len(queries),
        "done": done,
    }


def peak_mb(comms, content: bytes) -> float:
    tracemalloc.start()
    import_once(comms, content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--existing", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        comms = build(args.existing)
        content = spreadsheet(args.rows, args.existing)
        quarter = spreadsheet(args.rows // 4, args.existing)
        runs = [import_once(comms, content) for _ in range(args.repeat)]
        preview, apply, cpu = (statistics.median(r[k] for r in runs) for k in ("preview", "apply", "cpu"))
        done = runs[-1]["done"]
        assert done.new + done.changed == args.rows, (done.new, done.changed)
        print(
            f"file: {args.rows} rows ({len(content) / 2**20:.1f} MB), {done.new} new, {done.changed} changed"
        )
        print(f"register: {args.existing} accounts; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"rows_per_s.import_accounts: {args.rows / (preview + apply):.0f}")
        print(f"rows_per_s.import_accounts_preview: {args.rows / preview:.0f}")
        print(f"rows_per_s.import_accounts_apply: {args.rows / apply:.0f}")
        print(f"rows_per_cpu_s.import_accounts: {args.rows / cpu:.0f}")
        cpu_preview = statistics.median(r["cpu_preview"] for r in runs)
        print(f"rows_per_cpu_s.import_accounts_preview: {args.rows / cpu_preview:.0f}")
        print(f"rows_per_cpu_s.import_accounts_apply: {args.rows / (cpu - cpu_preview):.0f}")
        print(f"queries.import_accounts: {runs[-1]['queries']}")
        print(f"peak_mb.import_accounts: {peak_mb(comms, content):.1f}")
        print(f"peak_mb.import_accounts_quarter: {peak_mb(comms, quarter):.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
