"""Malformed scenarios against `planner validate` (and staff/plan for a sample of the accepted): counts of outcomes.

The cases are tests/scenario_fuzz.py's (the default scenario, one month, with one to three
mutations). Every case must exit 0 or 2 without a traceback, name file and row or key of each
error and write nothing; a failure stops the run with the case that broke it.

    .venv/bin/python bench/fuzz_inputs.py --cases 5000 --staff-every 25 --plan-every 500
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.scenario_fuzz import CASES, Case, check_outcome, run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=3000, help="scenarios to generate (default 3000)")
    parser.add_argument("--staff-every", type=int, default=25, help="run `planner staff` on every Nth accepted case")
    parser.add_argument("--plan-every", type=int, default=0, help="run `planner plan` on every Nth accepted case (0 = never)")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed")
    args = parser.parse_args()

    outcomes: Counter[str] = Counter()
    kinds: Counter[tuple[str, str]] = Counter()
    seconds: Counter[str] = Counter()
    accepted = 0

    @settings(max_examples=args.cases, deadline=None, database=None, phases=["generate"],
              suppress_health_check=list(HealthCheck))
    @seed(args.seed)
    @given(CASES)
    def one(case: Case) -> None:
        nonlocal accepted
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            folder = case.write(root)
            started = time.perf_counter()
            outcome = check_outcome(run(["validate", str(folder)]))
            seconds["validate"] += time.perf_counter() - started
            outcomes[f"validate {outcome}"] += 1
            for kind in set(case.kinds):
                kinds[(kind.split(":")[0] + ":" + kind.split(":", 1)[1][:20], outcome)] += 1
            if outcome == "rejected":
                staffed = run(["staff", str(folder), "-o", str(root / "out"), "--quiet"])
                check_outcome(staffed, [root / "out"])
                assert staffed.exit_code == 2, staffed.output
                return
            accepted += 1
            for command, every in (("staff", args.staff_every), ("plan", args.plan_every)):
                if every and accepted % every == 0:
                    started = time.perf_counter()
                    result = run([command, str(folder), "-o", str(root / command), "--quiet"])
                    seconds[command] += time.perf_counter() - started
                    check_outcome(result, [root / command] if result.exit_code == 2 else [])
                    outcomes[f"{command} exit {result.exit_code}"] += 1

    started = time.perf_counter()
    one()
    total = time.perf_counter() - started
    print(f"{sum(v for k, v in outcomes.items() if k.startswith('validate'))} cases in {total:.1f} s "
          f"(validate {seconds['validate']:.1f} s, staff {seconds['staff']:.1f} s, plan {seconds['plan']:.1f} s)")
    for key, count in sorted(outcomes.items()):
        print(f"  {key:<22} {count:6d}")
    print("by mutation (cases holding it):        accepted  rejected")
    for kind in sorted({k for k, _ in kinds}):
        print(f"  {kind:<36} {kinds[(kind, 'accepted')]:8d} {kinds[(kind, 'rejected')]:9d}")
    print("no traceback, every error named its file and row or key, nothing written for a refused input")


if __name__ == "__main__":
    main()
