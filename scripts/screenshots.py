"""Screenshots of pages as each demo role sees them, for looking at what we built.

Usage: .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8001] ROLE:PATH [ROLE:PATH ...]
ROLE is a demo login's local part (comms, officer, auditor, ...) or "anon". PNGs go to var/screenshots/."""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8001")
    parser.add_argument("--password", default="demo-password-2026")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--top", action="store_true", help="only the first screenful, not the whole page")
    parser.add_argument("shots", nargs="+")
    args = parser.parse_args()
    out = Path("var/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        contexts = {}
        for shot in args.shots:
            role, path = shot.split(":", 1)
            if role not in contexts:
                context = browser.new_context(viewport={"width": args.width, "height": 900})
                if role != "anon":
                    page = context.new_page()
                    page.goto(args.base + "/accounts/login/")
                    page.fill("input[name=username]", f"{role}@northfield.gov.uk")
                    page.fill("input[name=password]", args.password)
                    page.click("main button")
                    page.close()
                contexts[role] = context
            page = contexts[role].new_page()
            page.goto(args.base + path)
            name = out / (
                role + "_" + (re.sub(r"[^a-z0-9]+", "_", path.lower()).strip("_") or "home") + ".png"
            )
            page.screenshot(path=str(name), full_page=not args.top)
            print(name)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
