"""Independent checks of rosters and visit plans, each reporting Findings of one type.

planner/checks/roster.py scores a roster, planner/checks/visits.py a visit plan, and
`plan_checks` runs both on what `planner plan` writes, for its manifest. The benchmark
checkers (bench/ssb_check.py, bench/route_check.py) report the same Finding type.
"""

from planner.checks.findings import CheckResult, Finding, Severity, Subject, hard, soft

__all__ = ["CheckResult", "Finding", "Severity", "Subject", "hard", "soft"]
