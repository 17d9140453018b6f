"""Mutation testing of the core modules with mutmut, one module at a time, only the tests that cover it.

    .venv/bin/python mutation/run.py                 # every module below
    .venv/bin/python mutation/run.py io travel       # some of them
    .venv/bin/python mutation/run.py queueing --only 'planner.staffing.queueing.x_erlang_c*'   # some functions
    make mutation MODULES="io travel"
    nice -n 10 .venv/bin/python mutation/run.py sizing --max-children 1   # one mutant at a time (a shared machine)

For each module: a copy of the checkout (git's tracked and untracked, not ignored files) in a
temporary folder, where mutmut writes its `mutants/` tree (the checkout is never changed);
mutmut runs only the module's tests, and of those only the ones that reach the mutated
function. Prints killed / total per module, with the equivalent mutants of
mutation/equivalent.txt left out of the total, and the survivors by name
(`mutmut show NAME` in the printed folder shows the change). Exit 1 when a module has a
survivor that is not listed as equivalent.

Not part of `make test`: a module takes minutes to an hour on a loaded 2-core machine.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EQUIVALENT = REPO / "mutation" / "equivalent.txt"


@dataclass(frozen=True)
class Module:
    source: str
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()  # mutmut name globs to run (default: every function of the module)
    deselect: tuple[str, ...] = ()  # tests that cannot run on mutmut's rewritten source (they read the source text)
    # Seconds added to each test's measured time before mutmut's ×15 timeout: a module-scoped fixture is timed
    # with the first test that used it, so a mutant running another test first would time out on the fixture.
    timeout_constant: float = 1.0


MODULES = {
    "io": Module("planner/base/io.py", ("tests/test_io_neutralise.py", "tests/test_io_atomic.py"),
                 ("planner.base.io.x_atomic_path*", "planner.base.io.x__umask*", "planner.base.io.x_neutralise_formula*",
                  "planner.base.io.x_write_csv*", "planner.base.io.x_write_json*", "planner.base.io.x_read_json*",
                  "planner.base.io.x_write_text*")),
    "io_read": Module("planner/base/io.py", ("tests/test_mutation_io_read.py",),
                      ("planner.base.io.x__decode*", "planner.base.io.x__sniff_delimiter*", "planner.base.io.x_read_csv*",
                       "planner.base.io.x__records*", "planner.base.io.x__deepest*", "planner.base.io.x__deep_line*",
                       "planner.base.io.x_read_toml*")),
    "travel": Module("planner/outreach/travel.py", ("tests/test_travel.py", "tests/test_travel_exact.py")),
    # test_queueing's hypothesis properties and its 250-place chain run seconds per mutant (a hang times out at
    # 15× that); test_mutation_queueing checks the same exactly, in milliseconds. They stay in `make test`.
    "queueing": Module("planner/staffing/queueing.py", ("tests/test_queueing.py", "tests/test_queueing_independent.py",
                                                        "tests/test_mutation_queueing.py"),
                       deselect=tuple(f"tests/test_queueing.py::{t}" for t in (
                           "test_service_level_never_falls_when_agents_are_added",
                           "test_required_agents_is_the_smallest_count_meeting_every_target",
                           "test_erlang_a_never_needs_more_than_erlang_c",
                           "test_erlang_a_matches_brute_force_chain"))),
    # test_demand's property test forecasts 40 random scenarios for every mutant; test_mutation_forecast works
    # a three-point scenario by hand.
    "forecast": Module("planner/demand/forecast.py", ("tests/test_mutation_forecast.py",)),
    # test_sizing sizes the whole year for every mutant (hours); test_mutation_sizing sizes one month of two points.
    "sizing": Module("planner/staffing/sizing.py", ("tests/test_mutation_sizing.py",), timeout_constant=5.0),
    "staffing_model": Module("models/staffing.py", ("tests/test_staffing_model.py", "tests/test_mutation_staffing_model.py")),
    "checks_roster": Module("planner/checks/roster.py", ("tests/test_checks_roster.py", "tests/test_checks_rest_boundaries.py")),
    "checks_visits": Module("planner/checks/visits.py", ("tests/test_checks_visits.py", "tests/test_mutation_checks_visits.py")),
    "validate": Module("planner/scenario/validate.py", ("tests/test_validation.py", "tests/test_validation_references.py",
                                                        "tests/test_mutation_validate.py"),
                       deselect=("tests/test_validation_references.py::test_the_table_lists_every_reference_of_cross_check",)),
}

STATUS = re.compile(r"^\s*(\S+__mutmut_\d+): (.+)$")
# The tests caught the mutant: they failed, or hung until the timeout, or the test process crashed
# (an OR-Tools call given None dies with SIGSEGV): each is a red run.
CAUGHT = {"killed", "timeout", "segfault"}


def equivalents() -> dict[str, str]:
    """Mutant name → why it is equivalent, from mutation/equivalent.txt (`name  # reason`)."""
    found = {}
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.partition("#")
            if not reason.strip():
                sys.exit(f"{EQUIVALENT.name}: {name.strip()} needs a one-line reason after '#'")
            found[name.strip()] = reason.strip()
    return found


def copy_checkout(target: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def setup_cfg(module: Module) -> str:
    lines = ["[mutmut]", f"timeout_constant={module.timeout_constant:g}",
             "source_paths=", "    planner", "    models", f"only_mutate={module.source}",
             "also_copy=", "    inputs", "    bench", "pytest_add_cli_args=", "    -p", "    no:cacheprovider",
             "    -q", *(f"    --deselect={t}" for t in module.deselect),
             "pytest_add_cli_args_test_selection=", *(f"    {t}" for t in module.tests)]
    return "\n".join(lines) + "\n"


def run(name: str, module: Module, mutmut: str, keep: bool, max_children: int | None = None
        ) -> tuple[int, int, list[str]]:
    work = Path(tempfile.mkdtemp(prefix=f"mutation-{name}-"))
    copy_checkout(work)
    (work / "setup.cfg").write_text(setup_cfg(module), encoding="utf-8")
    started = time.monotonic()
    log = work / "mutmut.log"
    with log.open("w") as out:
        children = ["--max-children", str(max_children)] if max_children else []
        subprocess.run([mutmut, "run", *children, *module.functions], cwd=work, stdout=out, stderr=subprocess.STDOUT)
    listing = subprocess.run([mutmut, "results", "--all", "true"], cwd=work, capture_output=True, text=True).stdout
    statuses = {m.group(1): m.group(2).strip() for m in map(STATUS.match, listing.splitlines()) if m}
    if module.functions:
        pattern = re.compile("|".join(re.escape(f).replace(r"\*", ".*") for f in module.functions))
        statuses = {k: v for k, v in statuses.items() if pattern.fullmatch(k)}
    equivalent = equivalents()
    counted = {k: v for k, v in statuses.items() if k not in equivalent}
    killed = sum(v in CAUGHT for v in counted.values())
    survivors = sorted(k for k, v in counted.items() if v not in CAUGHT)
    minutes = (time.monotonic() - started) / 60
    score = 100 * killed / len(counted) if counted else 0.0
    print(f"{name:16} {module.source:32} killed {killed}/{len(counted)} ({score:.1f} %), "
          f"{len(statuses) - len(counted)} equivalent, {minutes:.1f} min   [{work}]", flush=True)
    for survivor in survivors:
        print(f"    {counted[survivor]:12} {survivor}")
    if not statuses:
        print(f"    no mutants run: see {log}")
    if not keep and not survivors and statuses:
        shutil.rmtree(work, ignore_errors=True)
    return killed, len(counted), survivors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"some of: {' '.join(MODULES)} (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder even when every mutant is killed")
    parser.add_argument("--only", action="append", default=[], metavar="GLOB",
                        help="run and score only the mutants of these functions (mutmut name globs, e.g. "
                             "'planner.staffing.queueing.x_erlang_c*'): a partial score, not the module's")
    parser.add_argument("--max-children", type=int, metavar="N",
                        help="mutants tested at once (mutmut's default: one per CPU); 1 on a shared machine")
    args = parser.parse_args()
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}; expected some of {', '.join(MODULES)}")
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    if not Path(mutmut).exists():
        sys.exit("mutmut is not installed: pip install -e '.[mutation]'")
    failed = False
    for name in args.modules or MODULES:
        module = MODULES[name]
        if args.only:
            module = replace(module, functions=tuple(args.only))
        _, _, survivors = run(name, module, mutmut, args.keep, args.max_children)
        failed |= bool(survivors)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
