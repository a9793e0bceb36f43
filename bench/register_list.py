"""How the account register's list page holds up at thousands of accounts.

Creates a throwaway database (test_<name> on DATABASE_URL's server, or on the embedded PostgreSQL),
fills it with N accounts across 52 service areas, then times the register list as Comms would use
it: the first page, a search, each filter, a late page, and the CSV export. Prints one line per case
with the median time and the number of queries. Run:

    .venv/bin/python bench/register_list.py [--accounts 5000] [--repeat 5]
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def build(accounts: int) -> Client:
    from accounts_registry.models import Account
    from accounts_registry.platforms import Platform, identify
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
    platforms = [Platform.X, Platform.FACEBOOK, Platform.INSTAGRAM, Platform.TIKTOK]
    rows = []
    for i in range(accounts):
        platform = platforms[i % len(platforms)]
        identity = identify(platform, f"nfield{i}")
        rows.append(
            Account(
                platform=platform,
                handle=identity.handle,
                handle_key=identity.key,
                profile_url=identity.profile_url,
                display_name=f"Northfield account {i}",
                kind="service",
                service_area=areas[i % 52],
                purpose="News",
                audience="Residents",
                responsible_officer=people[i % 500],
                deputy=people[(i + 1) % 500] if i % 3 else None,
                status="active" if i % 10 else "dormant",
                two_factor_enabled=bool(i % 4),
                posts_last_30_days=i % 20,
            )
        )
    Account.objects.bulk_create(rows, batch_size=2000)
    comms = User.objects.create_user("comms@northfield.gov.uk", "bench-password-123")
    person_set_roles(person=comms, roles=[Role.COMMS])
    client = Client()
    client.force_login(comms, backend="django.contrib.auth.backends.ModelBackend")
    return client


def measure(client: Client, url: str, repeat: int) -> tuple[float, int, int]:
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.perf_counter()
        client = build(args.accounts)
        print(f"built {args.accounts} accounts in {time.perf_counter() - started:.1f} s")
        cases = {
            "first page": "/accounts-register/",
            "search 'account 42'": "/accounts-register/?q=account+42",
            "platform = X": "/accounts-register/?platform=x",
            "status = dormant": "/accounts-register/?status=dormant",
            "flag: no deputy": "/accounts-register/?flag=no_deputy",
            "flag: posts rarely": "/accounts-register/?flag=posts_rarely",
            "sort: least recently active": "/accounts-register/?sort=activity",
            "page 80": "/accounts-register/?page=80",
            "CSV export (all)": "/accounts-register/export.csv",
        }
        print(f"{'case':<30} {'median ms':>10} {'queries':>8} {'bytes':>10}")
        for name, url in cases.items():
            ms, queries, size = measure(client, url, args.repeat)
            print(f"{name:<30} {ms:>10.1f} {queries:>8} {size:>10}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
