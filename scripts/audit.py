"""Check the locked requirements against known vulnerabilities with pip-audit, and say plainly
how much was checked.

    .venv-audit/bin/python scripts/audit.py requirements.txt requirements-dev.txt

Exits 1 when any locked package has a known vulnerability (each is listed with its fix). When the
vulnerability database cannot be reached (a machine without access to PyPI's JSON API), it says
how many packages went unchecked and exits 0: an audit that could not run is reported as such,
never as a pass. With AUDIT_STRICT=1 an incomplete audit fails too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys


def audit(path: str) -> tuple[int, int, list[str]]:
    result = subprocess.run(
        [sys.executable, "-m", "pip_audit", "-r", path, "-f", "json", "--progress-spinner", "off"],
        capture_output=True, text=True, timeout=600,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"pip-audit gave no report for {path}:\n{result.stderr[-2000:]}") from None
    packages = report.get("dependencies", [])
    skipped = [p for p in packages if p.get("skip_reason")]
    found = [
        f"{p['name']} {p['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions') or ['no release yet'])})"
        for p in packages for v in p.get("vulns", [])
    ]
    return len(packages), len(skipped), found


def main(paths: list[str]) -> int:
    strict = os.environ.get("AUDIT_STRICT") == "1"
    failed = False
    for path in paths:
        total, skipped, found = audit(path)
        if found:
            failed = True
            print(f"{path}: {len(found)} known vulnerabilities:")
            for line in found:
                print(f"  - {line}")
        checked = total - skipped
        if skipped:
            print(f"{path}: {checked} of {total} packages checked; {skipped} could not be checked "
                  "(the vulnerability database was not reachable for them).")
            failed = failed or strict
        elif not found:
            print(f"{path}: all {total} packages checked, no known vulnerabilities.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["requirements.txt"]))
