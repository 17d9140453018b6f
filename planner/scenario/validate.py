"""Checks across files: unique ids, known references, and rules that need more than one row.

Each check returns Problems naming the file, spreadsheet row and column of the offending
cell, so that a planner can go straight to it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, get_origin

from planner.base.errors import Problem
from planner.base.geo import great_circle_km
from planner.scenario.schemas import TABLES, Row, Scenario, ScenarioConfig, split_list

Purpose = Literal["sizing", "staffing", "roster", "outreach"]
Tables = dict[str, list[tuple[int, Row]]]


@dataclass(frozen=True)
class RefusedRow:
    """A row refused for a bad cell: its number, its cells as written, and the columns found bad."""

    number: int
    cells: Mapping[str, str]
    bad: frozenset[str | None]


def _file(key: str) -> str:
    return TABLES[key][0]


def unique_ids(tables: Tables, key: str, columns: tuple[str, ...]) -> list[Problem]:
    """Ids (or id combinations) must not repeat within a file."""
    first_seen: dict[tuple, int] = {}
    problems = []
    for number, row in tables[key]:
        value = tuple(getattr(row, c) for c in columns)
        if value in first_seen:
            shown = ", ".join(f"{c}={v}" for c, v in zip(columns, value, strict=True))
            problems.append(Problem(_file(key), f"duplicate {shown}; it is already on row "
                                    f"{first_seen[value]}", row=number, column=columns[-1]))
        else:
            first_seen[value] = number
    return problems


def known_references(tables: Tables, key: str, column: str, known: set[str], target: str,
                     refused: Sequence[RefusedRow] = ()) -> list[Problem]:
    """Every id that points into another file must exist there (an empty optional id points nowhere).

    `refused`: the file's rows refused for another bad cell, as written: their ids are checked too, so a row with
    an end before its start and an unknown advisor gets both findings in one run (a new user fixed one, then met
    the other).
    """
    problems = []
    listed = get_origin(TABLES[key][1].model_fields[column].annotation) is tuple  # `a|b` cells (skills)
    written = [(r.number, split_list(r.cells.get(column, "")) if listed else r.cells.get(column, "").strip())
               for r in refused if column not in r.bad and column in r.cells]
    for number, value in sorted([*((n, getattr(row, column)) for n, row in tables[key]), *written],
                                key=lambda item: item[0]):
        values = value if isinstance(value, tuple) else (value,)
        for item in values:
            if item != "" and item not in known:
                problems.append(Problem(_file(key), f"unknown id {item!r}; expected one of the ids in "
                                        f"{target}: {', '.join(sorted(known)) or '(none)'}",
                                        row=number, column=column))
    return problems


def ids(tables: Tables, key: str, column: str) -> set[str]:
    return {getattr(row, column) for _, row in tables[key]}


def every_provider_has_seasonality(tables: Tables) -> list[Problem]:
    """Demand needs the provider's twelve monthly factors."""
    seasonal = ids(tables, "seasonality", "provider_id")
    return [
        Problem(_file("providers"), f"provider {row.provider_id!r} has no row in seasonality.csv; expected "
                "one row with twelve positive monthly factors", row=n, column="provider_id")
        for n, row in tables["providers"] if row.provider_id not in seasonal
    ]


def seasonality_averages_one(tables: Tables) -> list[Problem]:
    """Factors are meant to average 1.0, so that the baseline is the average month."""
    problems = []
    for number, row in tables["seasonality"]:
        mean = sum(row.factors()) / 12
        if abs(mean - 1.0) > 0.05:
            problems.append(Problem(_file("seasonality"), f"the twelve factors average {mean:.2f}; "
                                    "expected about 1.0 (the baseline is the average month), so every "
                                    "month's demand is scaled by that much", row=number, severity="warning"))
    return problems


def points_with_demand(tables: Tables) -> dict[str, int]:
    """Point id → first row in baseline_demand.csv or closures.csv that gives it demand."""
    found: dict[str, int] = {}
    for key, column in (("baseline_demand", "monthly_volume"), ("closures", "monthly_visits"),
                        ("overflow_events", "office_daily_visits")):
        for number, row in tables[key]:
            if getattr(row, column) > 0:
                found.setdefault(row.point_id, number)
    return found


def demand_points_are_open(tables: Tables) -> list[Problem]:
    """Demand at a point that never opens could not be served or placed on any day."""
    open_points = ids(tables, "opening_hours", "point_id")
    return [
        Problem(_file("points"), f"point {row.point_id!r} has demand but no opening hours; expected at "
                "least one row for it in opening_hours.csv", row=n, column="point_id")
        for n, row in tables["points"]
        if row.point_id in points_with_demand(tables) and row.point_id not in open_points
    ]


def _covers_horizon(ranges: Iterable[tuple[dt.date, dt.date]], start: dt.date, end: dt.date) -> bool:
    day = start
    for first, last in sorted(ranges):
        if first > day:
            return False
        day = max(day, last + dt.timedelta(days=1))
        if day > end:
            return True
    return day > end


def points_have_regular_advisors(tables: Tables, config: ScenarioConfig, horizon_end: dt.date,
                                 purpose: Purpose) -> list[Problem]:
    """A point with demand needs a regular advisor who is not away for the whole horizon.

    Sizing can still answer "how many are needed" for a new point, so it is a warning there;
    a roster cannot be made, so it is an error when rostering.
    """
    absences: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for _, row in tables["absences"]:
        absences[row.advisor_id].append((row.start, row.end))
    available: set[str] = set()
    for _, row in tables["advisors"]:
        away = _covers_horizon(absences[row.advisor_id], config.horizon.start, horizon_end)
        if row.role == "advisor" and not away:
            available.add(row.point_id)
            available.update(row.other_points)
    severity = "error" if purpose == "roster" else "warning"
    return [
        Problem(_file("points"), f"point {row.point_id!r} has demand but every advisor named to it is "
                "a backup or away for the whole horizon; expected at least one advisor with role "
                "'advisor' in advisors.csv" + ("" if purpose == "roster" else " before rostering"),
                row=n, column="point_id", severity=severity)
        for n, row in tables["points"]
        if row.point_id in points_with_demand(tables) and row.point_id not in available
    ]


def _clock_minutes(t: dt.time) -> int:
    """Minutes after midnight; 24:00 (read as 23:59:59) is 1440."""
    return 24 * 60 if t == dt.time(23, 59, 59) else t.hour * 60 + t.minute


def points_can_be_manned(tables: Tables, config: ScenarioConfig) -> list[Problem]:
    """A warning per point whose weekly opening hours × [workforce] min_on_duty exceed every hour
    its advisors' contracts hold (FTE × [workforce] weekly_hours, backups and advisors of other
    points who may work there counted in full — an upper bound): such a point has hours with
    nobody on duty, week after week, whatever the roster. A planner sees it before planning
    (a 24-hour point staffed with 1.6 FTE passed validate without a word)."""
    need = config.workforce.min_on_duty
    if not need:
        return []
    open_minutes: dict[str, int] = defaultdict(int)
    rows_of: dict[str, list[int]] = defaultdict(list)  # the opening_hours.csv rows that add up to the week
    for n, row in tables["opening_hours"]:
        open_minutes[row.point_id] += _clock_minutes(row.closes) - _clock_minutes(row.opens)
        rows_of[row.point_id].append(n)
    held: dict[str, float] = defaultdict(float)
    for _, row in tables["advisors"]:
        for point in {row.point_id, *row.other_points}:
            held[point] += row.fte * config.workforce.weekly_hours
    problems = []
    for _, row in tables["points"]:
        hours = need * open_minutes.get(row.point_id, 0) / 60
        if hours > held[row.point_id] + 1e-9:
            # Named by the opening hours (the trial: it named points.csv, which holds no hours): the point's first
            # row of opening_hours.csv, and the others it adds up.
            rows = rows_of[row.point_id]
            others = f" (with rows {', '.join(map(str, rows[1:]))})" if len(rows) > 1 else ""
            problems.append(Problem(_file("opening_hours"), (
                f"point {row.point_id!r} is open {open_minutes[row.point_id] / 60:g} h a week{others} and needs "
                f"{need} on duty ([workforce] min_on_duty): {hours:g} advisor-hours a week, but the contracts of "
                f"every advisor who may work there hold at most {held[row.point_id]:g} h (FTE × weekly_hours "
                f"{config.workforce.weekly_hours:g} h in advisors.csv) — at least {hours - held[row.point_id]:g} h a "
                "week will have nobody on duty; add advisors or shorten the opening hours"), row=rows[0],
                column="closes", severity="warning"))
    return problems


def _severity(purpose: Purpose, strict_for: tuple[str, ...]) -> Literal["error", "warning"]:
    return "error" if purpose in strict_for else "warning"


def opening_windows_fit_a_shift(tables: Tables, config: ScenarioConfig, purpose: Purpose) -> list[Problem]:
    """A shift must fit inside the opening hours, or no advisor could be scheduled that day."""
    shortest = config.workforce.shortest_shift_hours
    problems = []
    for number, row in tables["opening_hours"]:
        hours = (dt.datetime.combine(dt.date.min, row.closes) - dt.datetime.combine(dt.date.min, row.opens)).seconds / 3600
        if hours + 1e-9 < shortest:
            problems.append(Problem(
                _file("opening_hours"), f"{row.point_id} is open {row.opens:%H:%M}–{row.closes:%H:%M} on {row.weekday} "
                f"({hours:g} h), shorter than the shortest shift ({shortest:g} h); expected a longer window or a "
                "shorter shift in scenario.toml [workforce] shift_lengths_hours",
                row=number, column="closes", severity=_severity(purpose, ("staffing", "roster"))))
    return problems


def advisors_trained_for_demand(tables: Tables, purpose: Purpose) -> list[Problem]:
    """Each provider with demand at a staffed point needs someone there trained for it."""
    skills: dict[str, set[str]] = defaultdict(set)
    for _, row in tables["advisors"]:
        for point in (row.point_id, *row.other_points):
            skills[point].update(row.skills)
    demand: dict[tuple[str, str], int] = {}
    for number, row in tables["baseline_demand"]:
        if row.monthly_volume > 0:
            demand.setdefault((row.point_id, row.provider_id), number)
    problems = []
    for (point, provider), number in sorted(demand.items(), key=lambda item: item[1]):
        if skills.get(point) and provider not in skills[point]:
            problems.append(Problem(
                _file("baseline_demand"), f"{point} has {provider} customers but no advisor named to it is trained "
                f"for {provider}; expected {provider} in the skills of at least one of its advisors in advisors.csv",
                row=number, column="provider_id", severity=_severity(purpose, ("staffing", "roster"))))
    return problems


def absences_do_not_overlap(tables: Tables) -> list[Problem]:
    """Overlapping absences of one person are usually a typing error; they are merged."""
    problems = []
    by_advisor: dict[str, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
    for number, row in tables["absences"]:
        by_advisor[row.advisor_id].append((row.start, row.end, number))
    for advisor, spans in by_advisor.items():
        spans.sort()
        for (_, end_a, row_a), (start_b, _, row_b) in zip(spans, spans[1:], strict=False):
            if start_b <= end_a:
                problems.append(Problem(_file("absences"), f"absence of {advisor!r} overlaps the one on row "
                                        f"{row_a}; the two are treated as one", row=row_b,
                                        column="start", severity="warning"))
    return problems


def appointment_shares_sum_to_one(tables: Tables) -> list[Problem]:
    """The types of one provider split its face-to-face demand: their shares add up to 1."""
    totals: dict[str, float] = defaultdict(float)
    first: dict[str, int] = {}
    for number, row in tables["appointment_types"]:
        totals[row.provider_id] += row.share
        first.setdefault(row.provider_id, number)
    return [
        Problem(_file("appointment_types"), f"the shares of {provider}'s appointment types add up to {total:g}; "
                "expected 1 (each type's share of the provider's face-to-face demand)", row=first[provider], column="share")
        for provider, total in totals.items() if abs(total - 1.0) > 0.01
    ]


def visit_patterns_are_usable(tables: Tables) -> list[Problem]:
    """A pattern needs a rule: a longest gap or weekdays."""
    return [
        Problem(_file("visit_patterns"), "neither max_days_between nor weekdays is given; expected at least one",
                row=n, column="max_days_between")
        for n, row in tables["visit_patterns"] if row.max_days_between is None and not row.weekdays
    ]


def status_quo_officials_match(tables: Tables) -> list[Problem]:
    """A status-quo trip is made by an official of its provider, for one of that provider's appointment types."""
    provider_of = {row.official_id: row.provider_id for _, row in tables["officials"]}
    types = {(row.provider_id, row.appointment_type) for _, row in tables["appointment_types"]}
    given = {provider for provider, _ in types}
    problems = []
    for n, row in tables["status_quo_visits"]:
        if provider_of.get(row.official_id, row.provider_id) != row.provider_id:
            problems.append(Problem(_file("status_quo_visits"), f"{row.official_id} is an official of "
                                    f"{provider_of[row.official_id]}, not {row.provider_id}; expected the official's "
                                    "provider", row=n, column="provider_id"))
        if row.appointment_type and row.provider_id in given and (row.provider_id, row.appointment_type) not in types:
            problems.append(Problem(_file("status_quo_visits"), f"{row.appointment_type!r} is not an appointment type "
                                    f"of {row.provider_id} in appointment_types.csv; expected one of its types",
                                    row=n, column="appointment_type"))
    return problems


def video_hours_match(tables: Tables) -> list[Problem]:
    """Video hours are an official's of the provider named, for a provider that offers remote service, once each."""
    provider_of = {row.official_id: row.provider_id for _, row in tables["officials"]}
    officials = {row.official_id: row for _, row in tables["officials"]}
    remote = {row.provider_id: row.remote_service for _, row in tables["providers"]}
    problems, seen = [], {}
    for n, row in tables["video_hours"]:
        if row.provider_id not in remote:
            continue  # an unknown provider: the reference check names it
        official = officials.get(row.official_id)
        if official is not None:
            # An official's video hours come out of their working time: no more than they work in the period
            # (a weekday comes at most 5 times in a calendar month).
            days = len(official.working_weekdays) * (1 if row.per == "week" else 5)
            most = days * official.daily_hours
            if row.hours > most + 1e-9:
                problems.append(Problem(_file("video_hours"), f"{row.hours:g} h a {row.per} of video is more than "
                                        f"{row.official_id} works in a {row.per} ({days} days × {official.daily_hours:g} h "
                                        f"= {most:g} h, officials.csv); expected at most {most:g}", row=n, column="hours"))
        if row.official_id and provider_of.get(row.official_id, row.provider_id) != row.provider_id:
            problems.append(Problem(_file("video_hours"), f"{row.official_id} is an official of "
                                    f"{provider_of[row.official_id]}, not {row.provider_id}; expected the official's "
                                    "provider", row=n, column="official_id"))
        if remote.get(row.provider_id) == "none" and row.hours > 0:
            problems.append(Problem(_file("video_hours"), f"{row.provider_id} offers no remote service "
                                    "(providers.csv remote_service none) but has video hours; expected 0 hours or "
                                    "remote_service booked or immediate", row=n, column="hours"))
        key = (row.provider_id, row.official_id, row.per)
        if key in seen:
            problems.append(Problem(_file("video_hours"), f"duplicate provider_id={row.provider_id}, official_id="
                                    f"{row.official_id or '(empty)'}, per={row.per}; it is already on row {seen[key]}",
                                    row=n, column="per"))
        seen.setdefault(key, n)
    return problems


def dated_changes_fall_in_the_horizon(tables: Tables, config: ScenarioConfig) -> list[Problem]:
    """A closure dated after the horizon, or an overflow event wholly outside it, changes nothing in the plan: a
    warning, since the date is more often a typo (2016 for 2015) than meant (the trial: a closure a year after the
    horizon passed validate without a word). A closure before the horizon is in effect from its start and is fine."""
    start, end = config.horizon.start, config.horizon.end
    horizon = f"the horizon {start} – {end} (scenario.toml [horizon])"
    problems = [
        Problem(_file("closures"), f"{row.office_id} {'closes' if row.change == 'closes' else 'cuts its hours'} on "
                f"{row.date}, after {horizon}: the row changes nothing in this scenario's plans; expected a date "
                "within the horizon, or a longer horizon", row=n, column="date", severity="warning")
        for n, row in tables["closures"] if row.date > end]
    problems += [
        Problem(_file("overflow_events"), f"event {row.event_id} ({row.start} – {row.end}) lies wholly "
                f"{'after' if row.start > end else 'before'} {horizon}: the row changes nothing in this scenario's "
                "plans; expected dates within the horizon", row=n, column="start" if row.start > end else "end",
                severity="warning")
        for n, row in tables["overflow_events"] if row.start > end or row.end < start]
    return problems


# Farther than this in a straight line, an office and a point it sends customers to (or an official's home office
# and a point they visit) are on different sides of the country: the longest such trips of a region stay under it
# (Rovaniemi – Nuorgam is about 390 km), while a wrong coordinate or office id is typically 500 km and more off.
FAR_OFFICE_KM = 400.0


def offices_are_near_their_points(tables: Tables) -> list[Problem]:
    """A warning for each row that ties an office to a point more than FAR_OFFICE_KM apart (closures.csv,
    overflow_events.csv, and status_quo_visits.csv through the official's home office): likely a wrong coordinate
    in offices.csv or points.csv, or a wrong office id. Said with the great-circle distance, km."""
    offices = {row.office_id: (n, row) for n, row in tables["offices"]}
    points = {row.point_id: row for _, row in tables["points"]}
    home = {row.official_id: row.home_office_id for _, row in tables["officials"]}
    ties = [("closures", n, row.office_id, row.point_id, "office_id", "sends customers to")
            for n, row in tables["closures"]]
    ties += [("overflow_events", n, row.office_id, row.point_id, "office_id", "spills customers to")
             for n, row in tables["overflow_events"]]
    ties += [("status_quo_visits", n, home.get(row.official_id, ""), row.point_id, "official_id",
              f"sends {row.official_id} to") for n, row in tables["status_quo_visits"]]
    problems = []
    for key, n, office_id, point_id, column, verb in ties:
        if office_id not in offices or point_id not in points:
            continue  # an unknown id: the reference check names it
        office_row, office = offices[office_id]
        point = points[point_id]
        km = great_circle_km(office.latitude, office.longitude, point.latitude, point.longitude)
        if km > FAR_OFFICE_KM:
            problems.append(Problem(_file(key), (
                f"office {office_id} (offices.csv row {office_row}, in {office.municipality}) {verb} point {point_id} "
                f"(in {point.municipality}) {km:.0f} km away in a straight line; expected an office within "
                f"{FAR_OFFICE_KM:.0f} km of the points it serves — check the coordinates in offices.csv and "
                f"points.csv, and the {column} of this row"), row=n, column=column, severity="warning"))
    return problems


def cross_check(config: ScenarioConfig | None, tables: Tables, purpose: Purpose = "sizing",
                broken: frozenset[str] = frozenset(), raw_ids: Mapping[str, set[str]] | None = None,
                refused: Mapping[str, Sequence[RefusedRow]] | None = None) -> list[Problem]:
    """All checks across files, in the order a planner would fix them.

    `broken`: keys of TABLES whose file could not be read whole (a missing column, a bad row): their
    readable rows are still checked for unique ids and references, but no reference *into* them
    is (their ids are incomplete, so "unknown id" would be a false alarm) — unless `raw_ids` has the ids of
    all the file's rows as written (loading.load_tables: only cells other than the id were bad), so the unknown ids
    are listed in the same run as the bad cells. `refused`: per key, the rows refused for a bad cell, as written
    (loading.load_tables): their other id cells are checked too. With any error found, or without a config
    (scenario.toml unreadable), the rules that assume resolved references are not run.
    """
    raw_ids = raw_ids or {}

    def ids_of(key: str, column: str) -> set[str]:
        return ids(tables, key, column) | raw_ids.get(key, set())

    points, providers = ids_of("points", "point_id"), ids_of("providers", "provider_id")
    offices, advisors = ids_of("offices", "office_id"), ids_of("advisors", "advisor_id")
    officials = ids_of("officials", "official_id")
    incomplete = broken - set(raw_ids)  # broken files whose ids are not all known
    places = points | offices
    problems: list[Problem] = []
    for key, columns in (("points", ("point_id",)), ("providers", ("provider_id",)),
                         ("seasonality", ("provider_id",)), ("offices", ("office_id",)),
                         ("advisors", ("advisor_id",)), ("officials", ("official_id",)),
                         ("overflow_events", ("event_id",)), ("opening_hours", ("point_id", "weekday")),
                         ("baseline_demand", ("point_id", "provider_id")),
                         ("distances", ("from_id", "to_id")),
                         ("appointment_types", ("provider_id", "appointment_type")),
                         ("visit_patterns", ("point_id", "provider_id")),
                         ("weekday_profiles", ("point_id",)), ("hourly_profiles", ("point_id", "hour"))):
        problems += unique_ids(tables, key, columns)
    references: list[tuple[str, str, set[str], str]] = [
        ("opening_hours", "point_id", points, "points.csv"),
        ("seasonality", "provider_id", providers, "providers.csv"),
        ("baseline_demand", "point_id", points, "points.csv"),
        ("baseline_demand", "provider_id", providers, "providers.csv"),
        ("offices", "provider_id", providers, "providers.csv"),
        ("closures", "office_id", offices, "offices.csv"),
        ("closures", "point_id", points, "points.csv"),
        ("overflow_events", "office_id", offices, "offices.csv"),
        ("overflow_events", "point_id", points, "points.csv"),
        ("municipal_work", "point_id", points, "points.csv"),
        ("advisors", "point_id", points, "points.csv"),
        ("advisors", "skills", providers, "providers.csv"),
        ("advisors", "other_points", points, "points.csv"),
        ("absences", "advisor_id", advisors, "advisors.csv"),
        ("roster_requests", "advisor_id", advisors, "advisors.csv"),
        ("officials", "provider_id", providers, "providers.csv"),
        ("officials", "home_office_id", offices, "offices.csv"),
        ("distances", "from_id", places, "points.csv or offices.csv"),
        ("distances", "to_id", places, "points.csv or offices.csv"),
        ("appointment_types", "provider_id", providers, "providers.csv"),
        ("visit_patterns", "point_id", points, "points.csv"),
        ("visit_patterns", "provider_id", providers, "providers.csv"),
        ("official_absences", "official_id", officials, "officials.csv"),
        ("weekday_profiles", "point_id", points, "points.csv"),
        ("hourly_profiles", "point_id", points, "points.csv"),
        ("status_quo_visits", "official_id", officials, "officials.csv"),
        ("status_quo_visits", "point_id", points, "points.csv"),
        ("status_quo_visits", "provider_id", providers, "providers.csv"),
        ("video_hours", "provider_id", providers, "providers.csv"),
        ("video_hours", "official_id", officials, "officials.csv"),
    ]
    for key, column, known, target in references:
        if any(_file(b) in target for b in incomplete):
            continue  # the target file's ids are incomplete: its own problems come first
        problems += known_references(tables, key, column, known, target, (refused or {}).get(key, ()))
    # Needs no resolved reference (an unknown id is left to the reference check), so it is never held back.
    problems += video_hours_match(tables)
    if config is None or broken or any(p.severity == "error" for p in problems):
        return problems  # the rules below assume the references resolve
    horizon_end = config.horizon.end
    checks: list[Callable[[], list[Problem]]] = [
        lambda: every_provider_has_seasonality(tables),
        lambda: seasonality_averages_one(tables),
        lambda: demand_points_are_open(tables),
        lambda: points_have_regular_advisors(tables, config, horizon_end, purpose),
        lambda: points_can_be_manned(tables, config),
        lambda: absences_do_not_overlap(tables),
        lambda: opening_windows_fit_a_shift(tables, config, purpose),
        lambda: advisors_trained_for_demand(tables, purpose),
        lambda: appointment_shares_sum_to_one(tables),
        lambda: visit_patterns_are_usable(tables),
        lambda: status_quo_officials_match(tables),
        lambda: dated_changes_fall_in_the_horizon(tables, config),
        lambda: offices_are_near_their_points(tables),
    ]
    for check in checks:
        problems += check()
    return problems


def points_have_regular_advisors_in(scenario: Scenario) -> list[Problem]:
    """The rostering check on an already loaded scenario (row numbers as in its files)."""
    tables: Tables = {key: [(n, row) for n, row in enumerate(getattr(scenario, key), start=2)] for key in TABLES}
    return points_have_regular_advisors(tables, scenario.config, scenario.horizon_end, "roster")
