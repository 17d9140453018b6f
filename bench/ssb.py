"""Shift Scheduling Benchmark runner: import, search, check independently, one JSON line each.

Example:
    .venv/bin/python bench/ssb.py /work/shared/bench/ssb/*.txt --time-limit 60 --workers 2

Exits 1 (loudly) when a roster breaks a benchmark rule or the checker's objective differs
from the solver's. Wall time counts from reading the file to the checked roster.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.roster import Weights, build  # noqa: E402
from models.roster_search import Progress, SearchParams, search  # noqa: E402
from planner.ssb import parse_ssb  # noqa: E402
from planner.ssb_check import check_ssb  # noqa: E402


def run_instance(path: Path, time_limit: float, workers: int, seed: int, verbose: bool,
                 parallel: int = 1, lexicographic: bool = True) -> dict:
    """Solve one instance within `time_limit` wall seconds and certify the roster."""
    t0 = time.monotonic()
    text = path.read_text()
    built = build(parse_ssb(text))
    # The final full solve (bound) gets the last part of the budget; LNS stops before it.
    reserve = min(0.05 * time_limit, 3.0)

    def progress(p: Progress) -> bool:
        if verbose:
            click.echo(f"  {time.monotonic() - t0:6.1f}s {p.phase:7s} {p.neighbourhood:22s} "
                       f"obj={p.objective} bound={p.bound}", err=True)
        return time.monotonic() - t0 > time_limit - reserve - 1.0

    params = SearchParams(
        workers=workers, seed=seed,
        time_limit=time_limit - (time.monotonic() - t0) - 2.0,  # Python overhead
        initial_dtime=max(1.0, 0.1 * time_limit), initial_share=0.4, lns_dtime=0.3,
        final_dtime=reserve,
        iterations=100_000, parallel=parallel,
        # Lexicographic start: shortfall only first, then the full objective from that roster.
        first_weights=Weights(cover_over=0, request_on=0, request_off=0) if lexicographic
        else None,
    )
    result = search(built, params, progress)
    seconds = time.monotonic() - t0
    if result.objective is None:
        raise click.ClickException(f"{path.name}: no roster found ({result.status})")
    report = check_ssb(text, result.assignment)
    if not report.ok:
        raise click.ClickException(f"{path.name}: roster breaks rules: {report.breaches[:5]}")
    if report.objective != round(result.objective):
        raise click.ClickException(
            f"{path.name}: checker objective {report.objective} != solver {result.objective}")
    return {"instance": path.stem, "objective": report.objective,
            "bound": None if result.bound is None else round(result.bound, 3),
            "status": result.status, "seconds": round(seconds, 2)}


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("instances", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--time-limit", default=60.0, show_default=True, help="wall seconds per instance")
@click.option("--workers", default=2, show_default=True, help="CP-SAT workers")
@click.option("--seed", default=0, show_default=True, help="random seed (solver and LNS)")
@click.option("--parallel", default=1, show_default=True,
              help="LNS neighbourhoods solved side by side (one worker each when > 1)")
@click.option("--lexicographic/--no-lexicographic", default=True, show_default=True,
              help="first minimise cover shortfall alone, then the full objective")
@click.option("-v", "--verbose", is_flag=True, help="progress lines on stderr")
def main(instances: tuple[Path, ...], time_limit: float, workers: int, seed: int,
         parallel: int, lexicographic: bool, verbose: bool) -> None:
    """Run the roster engine on SSB instances; print one checked JSON line per instance.

    Example: bench/ssb.py Instance1.txt Instance7.txt --time-limit 60 --workers 2
    """
    for path in instances:
        click.echo(json.dumps(run_instance(path, time_limit, workers, seed, verbose, parallel,
                                             lexicographic)))


if __name__ == "__main__":
    main()
