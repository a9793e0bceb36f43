"""Run in a subprocess by test_app_removal.py: load the demo council, then, as a person of each role,
open every page that takes no arguments and every page linked from those (one page per shape of
address: /content/12/ stands for /content/<n>/). Exits non-zero, listing them, if any page fails."""

import re
import sys
from collections import deque

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver  # noqa: E402

from organisation.demo import DEMO_LOGINS  # noqa: E402
from organisation.models import User  # noqa: E402

HREF = re.compile(r'href="(/[^"#?]*)')
SKIP = ("/admin/", "/static/", "/accounts/logout/")


def paths(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):
                found += paths(entry, route)
        elif isinstance(entry, URLPattern) and "<" not in route and "(" not in route:
            found.append("/" + route)
    return found


def crawl(client: Client, start: list[str]) -> tuple[int, list[str]]:
    seen_shapes, failures, queue, opened = set(), [], deque(start), 0
    while queue:
        path = queue.popleft()
        shape = re.sub(r"\d+", "N", path)
        if shape in seen_shapes or path.startswith(SKIP):
            continue
        seen_shapes.add(shape)
        response = client.get(path)
        opened += 1
        if response.status_code >= 500:
            failures.append(f"GET {path} gave {response.status_code}")
        elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue.extend(HREF.findall(response.content.decode()))
    return opened, failures


setup_test_environment()
call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
start = paths(get_resolver())
failures, opened = [], 0
for role, email in DEMO_LOGINS.items():
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend")
    admin_status = client.get("/admin/").status_code
    if admin_status >= 500:
        failures.append(f"{role.label}: GET /admin/ gave {admin_status}")
    count, failed = crawl(client, start)
    opened += count
    failures += [f"{role.label}: {f}" for f in failed]
print(f"{opened} pages opened as {len(DEMO_LOGINS)} roles")
if failures:
    print("\n".join(failures))
    sys.exit(1)
