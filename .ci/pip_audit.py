"""Audits requirements.lock against the Python vulnerability database (pip-audit), and says plainly
whether it could.

pip-audit reports "No known vulnerabilities found" and exits 0 even when it could not reach PyPI and
skipped every package; this reads its JSON instead. Prints one verdict and exits with:
  0  every package was audited and none has a known vulnerability;
  1  a package has a known vulnerability (listed);
  2  NOT audited: the database could not be reached, or some packages could not be checked (listed).
"""

import json
import subprocess  # runs pip-audit only, a fixed command without a shell  # nosec B404
import sys

TIMEOUT = 300  # seconds: offline, pip-audit gives up after its own timeouts, well within this


def main() -> int:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "-r",
        "requirements.lock",
        "--no-deps",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ]
    try:
        # The command is fixed (no user input), run without a shell.
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)  # noqa: S603  # nosec B603
        report = json.loads(result.stdout)
    except (subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        print(f"pip-audit could not reach the vulnerability database: NOT audited ({type(exc).__name__}).")
        return 2
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(
                f"VULNERABLE: {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})"
            )
    if vulnerable:
        return 1
    if not dependencies or len(skipped) == len(dependencies):
        print("pip-audit could not reach the vulnerability database: NOT audited.")
        return 2
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        audited = len(dependencies) - len(skipped)
        print(f"{audited} packages audited, no known vulnerabilities; NOT audited: {names}.")
        return 2
    print(f"pip-audit: all {len(dependencies)} packages audited, no known vulnerabilities.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
