"""The CI's dependency audit fails on a known vulnerability and never passes silently."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_summary.py"


def judge(tmp_path: Path, report: dict | None, errors: str = "") -> tuple[int, str]:
    report_path, errors_path = tmp_path / "report.json", tmp_path / "errors.log"
    if report is not None:
        report_path.write_text(json.dumps(report))
    errors_path.write_text(errors)
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(report_path), str(errors_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout


CLEAN = {"name": "django", "version": "6.1.3", "vulns": []}
UNCHECKED = {"name": "celery", "skip_reason": "Dependency not found on PyPI: celery (5.7.0)"}


def test_a_known_vulnerability_fails_naming_the_fix(tmp_path):
    vulnerable = {
        "name": "django",
        "version": "6.1.0",
        "vulns": [{"id": "PYSEC-2026-1", "fix_versions": ["6.1.1"]}],
    }
    status, out = judge(tmp_path, {"dependencies": [vulnerable, CLEAN]})

    assert status == 1
    assert "django 6.1.0: PYSEC-2026-1 (fix: 6.1.1)" in out
    assert out.splitlines()[-1].startswith("FAILED")


def test_a_clean_audit_passes(tmp_path):
    status, out = judge(tmp_path, {"dependencies": [CLEAN]})

    assert status == 0
    assert out.splitlines()[-1] == "no known vulnerabilities in 1 pinned dependencies"


def test_unchecked_dependencies_are_a_loud_warning(tmp_path):
    status, out = judge(tmp_path, {"dependencies": [CLEAN, UNCHECKED]})

    assert status == 0
    assert out.splitlines()[-1].startswith("WARNING: 1 of 2 pinned dependencies were NOT audited")


def test_an_unreachable_advisory_service_is_a_warning(tmp_path):
    errors = "requests.exceptions.ConnectionError: Max retries exceeded with url: /v1/querybatch"
    status, out = judge(tmp_path, None, errors)

    assert status == 0
    assert out.splitlines()[-1].startswith("WARNING: pip-audit could not reach")


@pytest.mark.parametrize("report", [None, "not json"])
def test_any_other_failure_to_audit_fails(tmp_path, report):
    if report is not None:
        (tmp_path / "report.json").write_text(report)
    status, out = judge(tmp_path, None, "ERROR: requirement has no hash")

    assert status == 1
    assert out.splitlines()[-1] == "FAILED: pip-audit produced no report"
