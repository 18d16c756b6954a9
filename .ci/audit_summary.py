"""Judges a pip-audit JSON report for CI: fail on a known vulnerability, never pass silently.

Usage: audit_summary.py REPORT.json STDERR.log

- A known vulnerability in a pinned dependency fails (exit 1), with the fix versions.
- Dependencies pip-audit could not check (the advisory service did not answer
  for them) and an audit that could not reach the service at all are reported
  as a WARNING that names how many packages went unchecked; the run goes on.
- Any other failure to produce a report fails.
The last line printed is the one-line summary for the CI run's closing table.
"""

import json
import sys
from pathlib import Path

UNREACHABLE = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Temporary failure in name resolution",
    "timed out",
    "Could not resolve host",
)


def summarise(report: dict) -> tuple[int, list[str]]:
    dependencies = report.get("dependencies", [])
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    lines: list[str] = []
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            name = f"{dep['name']} {dep.get('version', '?')}"
            lines.append(f"{name}: {vuln.get('id')} (fix: {fixes})")
    if vulnerable:
        count = sum(len(dep["vulns"]) for dep in vulnerable)
        lines.append(f"FAILED: {count} known vulnerabilities in {len(vulnerable)} dependencies")
        return 1, lines
    checked = len(dependencies) - len(skipped)
    if skipped:
        lines.append(f"first unchecked: {skipped[0]['skip_reason']}")
        lines.append(
            f"WARNING: {len(skipped)} of {len(dependencies)} pinned dependencies were NOT "
            f"audited (the advisory service had no answer for them); {checked} checked, "
            "none known to be vulnerable"
        )
        return 0, lines
    lines.append(f"no known vulnerabilities in {checked} pinned dependencies")
    return 0, lines


def main(report_path: str, stderr_path: str) -> int:
    try:
        report = json.loads(Path(report_path).read_text())
    except (OSError, ValueError):
        errors = Path(stderr_path).read_text() if Path(stderr_path).exists() else ""
        tail = errors.strip().splitlines()[-3:]
        print("\n".join(tail))
        if any(marker in errors for marker in UNREACHABLE):
            print("WARNING: pip-audit could not reach its advisory service; nothing was audited")
            return 0
        print("FAILED: pip-audit produced no report")
        return 1
    status, lines = summarise(report)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
