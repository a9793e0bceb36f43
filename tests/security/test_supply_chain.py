"""Supply chain: CI runs pip-audit when it can reach the vulnerability database and says plainly when
it could not (pip-audit itself reports "No known vulnerabilities found" after skipping every package),
and the app's code is bandit-clean."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def audit(monkeypatch):
    spec = importlib.util.spec_from_file_location("pip_audit_ci", ROOT / ".ci" / "pip_audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def run_with(report):
        stdout = report if isinstance(report, str) else json.dumps({"dependencies": report, "fixes": []})
        completed = subprocess.CompletedProcess([], 0, stdout=stdout, stderr="")
        monkeypatch.setattr(module.subprocess, "run", lambda *a, **k: completed)
        return module.main()

    return run_with


SKIPPED = {
    "name": "django",
    "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2)",
}
CLEAN = {"name": "celery", "version": "5.7.0", "vulns": []}
BAD = {"name": "django", "version": "5.2.1", "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["5.2.2"]}]}


def test_an_audit_that_reached_nothing_says_so(audit, capsys):
    assert audit([SKIPPED, {**SKIPPED, "name": "celery"}]) == 2
    out = capsys.readouterr().out
    assert "pip-audit could not reach the vulnerability database: NOT audited" in out
    assert "no known vulnerabilities" not in out.lower()


def test_an_audit_that_did_not_run_says_so(audit, capsys):
    assert audit("Traceback (most recent call last): ConnectionError") == 2
    assert "NOT audited" in capsys.readouterr().out


def test_a_partly_skipped_audit_names_what_was_not_audited(audit, capsys):
    assert audit([CLEAN, SKIPPED]) == 2
    assert "NOT audited: django" in capsys.readouterr().out


def test_a_known_vulnerability_fails(audit, capsys):
    assert audit([CLEAN, BAD]) == 1
    assert "VULNERABLE: django 5.2.1: GHSA-xxxx (fixed in 5.2.2)" in capsys.readouterr().out


def test_a_full_clean_audit(audit, capsys):
    assert audit([CLEAN]) == 0
    assert "all 1 packages audited, no known vulnerabilities" in capsys.readouterr().out


def test_ci_runs_both_and_reports_the_audit_in_its_last_line():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ".ci/pip_audit.py" in ci and "bandit -c pyproject.toml -r ." in ci
    assert 'banner "CI passed (${audit_result})"' in ci


def test_the_app_code_is_bandit_clean():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", ".", "-q", "-f", "custom"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
