"""Pydantic schemas: the contract between the scenario files and the models.

One row model per input CSV (`<Name>Row`), one model per section of `scenario.toml`,
and `Scenario`, which holds a whole validated scenario. `inputs/README.md` documents
every field here; a test fails when one is missing from it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS: tuple[str, ...] = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)

Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                      pattern=r"^[a-z0-9][a-z0-9_\-]*$"),
]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]


class Row(BaseModel):
    """Base of every CSV row: unknown columns are errors, rows are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def split_list(value: object) -> object:
    """Lists inside one CSV cell are written `a|b|c`; an empty cell is an empty list."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split("|") if part.strip())
    return value


def parse_clock(value: object) -> object:
    """Clock times are written HH:MM; 24:00 is allowed as a closing time."""
    if isinstance(value, str) and value.strip() == "24:00":
        return dt.time(23, 59, 59)
    return value


# --------------------------------------------------------------------------- rows


class PointRow(Row):
    point_id: Identifier = Field(description="Unique id of the service point, e.g. `mikkeli`.")
    name: str = Field(min_length=1, description="Name shown in reports.")
    municipality: str = Field(min_length=1, description="Host municipality.")
    latitude: float = Field(ge=59.0, le=70.5, description="WGS84 latitude, degrees.")
    longitude: float = Field(ge=19.0, le=32.0, description="WGS84 longitude, degrees.")
    population: int = Field(ge=0, description="Residents of the municipality served, persons.")
    comment: str = Field(default="", description="Free text: source of the figures.")


class OpeningHoursRow(Row):
    point_id: Identifier = Field(description="Service point (points.csv).")
    weekday: Weekday = Field(description="Day of week: mon, tue, wed, thu, fri, sat or sun.")
    opens: dt.time = Field(description="Opening time, HH:MM.")
    closes: dt.time = Field(description="Closing time, HH:MM (after `opens`).")

    _parse_closes = field_validator("closes", mode="before")(parse_clock)

    @model_validator(mode="after")
    def _closes_after_opens(self) -> OpeningHoursRow:
        if self.closes <= self.opens:
            raise ValueError(
                f"closes {self.closes:%H:%M} is not after opens {self.opens:%H:%M}; "
                "expected a closing time later than the opening time"
            )
        return self


class ProviderRow(Row):
    provider_id: Identifier = Field(description="kela, vero, poliisi, te, maistraatti, kunta or another id.")
    name: str = Field(min_length=1, description="Name shown in reports.")
    handling_minutes: Positive = Field(description="Advisor's handling time per counter transaction, minutes.")
    annual_trend: float = Field(
        gt=-1.0, lt=1.0,
        description="Relative change of in-person demand per year, compounded monthly (-0.20 = 20 % fewer a year).",
    )
    annual_trend_low: float | None = Field(
        default=None, gt=-1.0, lt=1.0, description="Optional: lowest plausible annual trend, for `planner sweep`.")
    annual_trend_high: float | None = Field(
        default=None, gt=-1.0, lt=1.0, description="Optional: highest plausible annual trend, for `planner sweep`.")
    remote_service: Literal["none", "booked", "immediate"] = Field(
        description="Remote video service from the point: none, booked (by appointment) or immediate.")
    face_to_face_share: Share = Field(
        description="Share of the provider's customers at the point who need an official in person (0..1).")
    comment: str = Field(default="", description="Free text: source of the figures.")


    @model_validator(mode="after")
    def _trend_range(self) -> ProviderRow:
        low = self.annual_trend if self.annual_trend_low is None else self.annual_trend_low
        high = self.annual_trend if self.annual_trend_high is None else self.annual_trend_high
        if not low <= self.annual_trend <= high:
            raise ValueError(f"annual_trend {self.annual_trend} is outside [annual_trend_low, annual_trend_high] = "
                             f"[{low}, {high}]; expected low ≤ trend ≤ high")
        return self


class SeasonalityRow(Row):
    provider_id: Identifier = Field(description="Provider (providers.csv).")
    jan: Positive = Field(description="Monthly demand factor for January (the twelve average 1.0).")
    feb: Positive = Field(description="Factor for February.")
    mar: Positive = Field(description="Factor for March.")
    apr: Positive = Field(description="Factor for April.")
    may: Positive = Field(description="Factor for May.")
    jun: Positive = Field(description="Factor for June.")
    jul: Positive = Field(description="Factor for July.")
    aug: Positive = Field(description="Factor for August.")
    sep: Positive = Field(description="Factor for September.")
    oct: Positive = Field(description="Factor for October.")
    nov: Positive = Field(description="Factor for November.")
    dec: Positive = Field(description="Factor for December.")
    comment: str = Field(default="", description="Free text: source of the factors.")

    def factors(self) -> tuple[float, ...]:
        return tuple(getattr(self, month) for month in MONTHS)


class BaselineDemandRow(Row):
    point_id: Identifier = Field(description="Service point (points.csv).")
    provider_id: Identifier = Field(description="Provider (providers.csv).")
    monthly_volume: NonNegative = Field(
        description="Counter transactions a month at the horizon start, before seasonality, transactions/month.")
    handling_minutes: Positive | None = Field(
        default=None, description="Optional: handling time at this point, overriding the provider's, minutes.")
    comment: str = Field(default="", description="Free text: source of the figure.")


class OfficeRow(Row):
    office_id: Identifier = Field(description="Unique id of a provider office.")
    name: str = Field(min_length=1, description="Name shown in reports.")
    provider_id: Identifier = Field(description="Provider that runs the office (providers.csv).")
    municipality: str = Field(min_length=1, description="Town of the office.")
    latitude: float = Field(ge=59.0, le=70.5, description="WGS84 latitude, degrees.")
    longitude: float = Field(ge=19.0, le=32.0, description="WGS84 longitude, degrees.")
    comment: str = Field(default="", description="Free text.")


class ClosureRow(Row):
    office_id: Identifier = Field(description="Office that closes to customers or cuts its hours (offices.csv).")
    date: dt.date = Field(description="First day of the change, YYYY-MM-DD.")
    monthly_visits: NonNegative = Field(
        description="Office visits a month displaced by the change, before seasonality, visits/month.")
    point_id: Identifier = Field(description="Service point that receives a share (points.csv).")
    share_to_point: Share = Field(
        description="Share of the displaced visits that move to the point (0..1); the rest go to "
                    "e-services, phone or other offices.")
    share_low: Share | None = Field(default=None, description="Optional: lowest plausible share, for `planner sweep`.")
    share_high: Share | None = Field(default=None, description="Optional: highest plausible share, for `planner sweep`.")
    comment: str = Field(default="", description="Free text: source of the figures.")

    @model_validator(mode="after")
    def _share_range(self) -> ClosureRow:
        low = self.share_to_point if self.share_low is None else self.share_low
        high = self.share_to_point if self.share_high is None else self.share_high
        if not low <= self.share_to_point <= high:
            raise ValueError(f"share_to_point {self.share_to_point} is outside [share_low, share_high] = "
                             f"[{low}, {high}]; expected low ≤ share ≤ high")
        return self


class OverflowRow(Row):
    event_id: Identifier = Field(description="Unique id of the event.")
    office_id: Identifier = Field(description="Office that is shut or congested (offices.csv).")
    point_id: Identifier = Field(description="Service point that receives the spill (points.csv).")
    start: dt.date = Field(description="First day of the event, YYYY-MM-DD.")
    end: dt.date = Field(description="Last day of the event (inclusive), YYYY-MM-DD.")
    office_daily_visits: NonNegative = Field(description="Visits a day the office would have had, visits/day.")
    share_to_point: Share = Field(description="Share of those visits that spill to the point (0..1).")
    comment: str = Field(default="", description="Free text.")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> OverflowRow:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; expected end ≥ start")
        return self


class BackOfficeTaskRow(Row):
    point_id: Identifier = Field(description="Service point (points.csv).")
    task: str = Field(min_length=1, description="Municipal back-office task, e.g. mail handling, phone service.")
    hours_per_week: NonNegative = Field(description="Work the task needs, hours/week.")
    comment: str = Field(default="", description="Free text: source of the figure.")


class AdvisorRow(Row):
    advisor_id: Identifier = Field(description="Unique id of the advisor.")
    name: str = Field(min_length=1, description="Name printed on rosters.")
    point_id: Identifier = Field(description="Home service point (points.csv).")
    fte: float = Field(gt=0.0, le=1.2, description="Contract as a fraction of full time (1.0 = the scenario's weekly hours).")
    skills: tuple[Identifier, ...] = Field(description="Providers the advisor is trained for, `kela|vero|kunta`.")
    role: Literal["advisor", "backup"] = Field(
        description="advisor = regular counter staff; backup = named cover, used only when needed.")
    other_points: tuple[Identifier, ...] = Field(
        default=(), description="Optional: further points of the same municipality the advisor may work at, `a|b`.")

    _split = field_validator("skills", "other_points", mode="before")(split_list)


class AbsenceRow(Row):
    advisor_id: Identifier = Field(description="Advisor (advisors.csv).")
    start: dt.date = Field(description="First day away, YYYY-MM-DD.")
    end: dt.date = Field(description="Last day away (inclusive), YYYY-MM-DD.")
    reason: str = Field(default="", description="annual leave, training, sick leave …")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> AbsenceRow:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; expected end ≥ start")
        return self


class OfficialRow(Row):
    official_id: Identifier = Field(description="Unique id of the provider official.")
    name: str = Field(min_length=1, description="Name or role shown in visit calendars.")
    provider_id: Identifier = Field(description="Provider the official works for (providers.csv).")
    home_office_id: Identifier = Field(description="Office the official drives from (offices.csv).")
    hourly_cost_eur: Positive = Field(description="Employer's cost of one working hour, €/h.")
    field_efficiency: float = Field(
        gt=0.0, le=1.0, description="Output of an hour served at a point relative to an hour at the office (0..1].")
    working_weekdays: tuple[Weekday, ...] = Field(
        default=("mon", "tue", "wed", "thu", "fri"), description="Days the official works, `mon|tue|wed`.")
    daily_hours: Positive = Field(default=7.25, description="Length of the official's working day including driving, hours.")
    comment: str = Field(default="", description="Free text: source of the figures.")

    _split = field_validator("working_weekdays", mode="before")(split_list)


class AppointmentTypeRow(Row):
    provider_id: Identifier = Field(description="Provider (providers.csv).")
    appointment_type: Identifier = Field(description="Kind of appointment, e.g. `permit`, `wedding`, `notary`.")
    slot_minutes: Positive = Field(description="Length of one appointment slot at a point, minutes.")
    share: Share = Field(description="Share of the provider's face-to-face demand that is of this type (0..1).")
    remote_share: Share = Field(
        default=0.0, description="Share of this type that remote video service can take where the provider offers it (0..1).")
    comment: str = Field(default="", description="Free text: source of the figures.")


class VisitPatternRow(Row):
    point_id: Identifier = Field(description="Service point (points.csv).")
    provider_id: Identifier = Field(description="Provider whose officials visit (providers.csv).")
    max_days_between: int | None = Field(
        default=None, ge=1, le=366,
        description="Optional: every run of this many calendar days holds a visit while the pair has face-to-face demand, days.")
    weekdays: tuple[Weekday, ...] = Field(
        default=(), description="Optional: visits only on these weekdays, `fri` or `tue|thu`; empty = any working day.")
    comment: str = Field(default="", description="Free text.")

    _split = field_validator("weekdays", mode="before")(split_list)


class OfficialAbsenceRow(Row):
    official_id: Identifier = Field(description="Official (officials.csv).")
    start: dt.date = Field(description="First day away, YYYY-MM-DD.")
    end: dt.date = Field(description="Last day away (inclusive), YYYY-MM-DD.")
    reason: str = Field(default="", description="annual leave, training, sick leave …")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> OfficialAbsenceRow:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; expected end ≥ start")
        return self


class DistanceRow(Row):
    from_id: Identifier = Field(description="A point_id or office_id.")
    to_id: Identifier = Field(description="A point_id or office_id; the pair is used in both directions.")
    km: NonNegative = Field(description="Road distance one way, km.")
    minutes: NonNegative = Field(description="Driving time one way, minutes.")
    source: str = Field(default="", description="Where the figure comes from.")


# ------------------------------------------------------------------ scenario.toml


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HorizonConfig(Section):
    start: dt.date = Field(description="First day of the planning horizon; must be the 1st of a month.")
    months: int = Field(ge=1, le=36, description="Length of the horizon, months.")
    interval_minutes: Literal[15, 30, 60] = Field(default=15, description="Length of a planning interval, minutes.")

    @property
    def end(self) -> dt.date:
        """Last day of the horizon (inclusive)."""
        months = self.start.month - 1 + self.months
        first_after = dt.date(self.start.year + months // 12, months % 12 + 1, 1)
        return first_after - dt.timedelta(days=1)

    @field_validator("start")
    @classmethod
    def _first_of_month(cls, value: dt.date) -> dt.date:
        if value.day != 1:
            raise ValueError(f"{value} is not the first day of a month; expected YYYY-MM-01")
        return value


class ServiceLevelConfig(Section):
    target: float = Field(default=0.80, gt=0.0, le=1.0, description="Share of walk-ins served within `answer_within_minutes`.")
    answer_within_minutes: Positive = Field(default=15.0, description="Waiting-time limit of the service level, minutes.")
    max_average_wait_minutes: Positive | None = Field(default=10.0, description="Optional cap on the average wait, minutes.")
    max_occupancy: float = Field(default=0.85, gt=0.0, le=1.0, description="Highest share of counter time spent serving.")
    queue_model: Literal["erlang_c", "erlang_a"] = Field(default="erlang_c", description="erlang_c, or erlang_a with abandonment.")
    patience_minutes: Positive | None = Field(default=None, description="Mean patience before a customer leaves (erlang_a), minutes.")


class WorkforceConfig(Section):
    weekly_hours: Positive = Field(default=36.25, description="Full-time weekly working hours (FTE 1.0), hours.")
    daily_hours: Positive = Field(default=7.25, description="Full-time daily working hours, hours.")
    advisor_hourly_cost_eur: Positive = Field(default=22.0, description="Employer's cost of an advisor hour, €/h.")
    shrinkage: float = Field(default=0.19, ge=0.0, lt=1.0, description="Share of paid time lost to leave, sickness and training.")
    min_named_persons: int = Field(default=2, ge=1, description="Persons named to each point (cover for absences).")
    min_on_duty: int = Field(default=1, ge=0, description="Advisors on duty whenever a point is open.")
    shift_lengths_hours: tuple[Positive, ...] = Field(
        default=(4.0, 5.0, 6.0, 7.75), min_length=1,
        description="Allowed shift lengths on site, including an unpaid break where one is due, hours.")
    break_minutes: NonNegative = Field(default=30.0, description="Unpaid lunch break in a long shift, minutes.")
    break_after_hours: Positive = Field(
        default=6.0, description="A shift longer than this has the lunch break (Working Hours Act §24), hours.")
    break_window_hours: tuple[NonNegative, NonNegative] = Field(
        default=(2.5, 5.0), description="Earliest and latest start of the break after the shift starts, hours.")

    @model_validator(mode="after")
    def _break_window_fits(self) -> WorkforceConfig:
        earliest, latest = self.break_window_hours
        if latest < earliest:
            raise ValueError(f"break_window_hours {list(self.break_window_hours)} ends before it starts; "
                             "expected [earliest, latest] with earliest ≤ latest")
        return self

    @property
    def shortest_shift_hours(self) -> float:
        return min(self.shift_lengths_hours)


class CostConfig(Section):
    km_rate_eur: NonNegative = Field(default=0.45, description="Car cost per km driven, €/km.")
    customer_value_of_time_eur_per_hour: NonNegative = Field(default=12.0, description="Value of a resident's travel hour, €/h.")
    access_weight: NonNegative = Field(default=1.0, description="λ: weight of residents' access cost against official cost.")
    waiting_cost_eur_per_day: NonNegative = Field(
        default=1.0, description="Cost of one customer waiting one calendar day for the next outreach visit, €/day.")
    pool_cars: bool = Field(
        default=False, description="Officials from the same town going to the same point on the same day share one car.")


class TravelConfig(Section):
    detour_factor: float = Field(default=1.3, ge=1.0, le=3.0, description="Road km per straight-line km where no distance is given.")
    speed_kmh: Positive = Field(default=70.0, description="Average road speed where no driving time is given, km/h.")


class DemandProfileConfig(Section):
    weekday_factors: dict[Weekday, NonNegative] = Field(
        default={"mon": 1.15, "tue": 1.0, "wed": 1.0, "thu": 1.0, "fri": 0.85, "sat": 1.0, "sun": 1.0},
        description="Relative demand per weekday.")
    hourly_profile: dict[int, NonNegative] = Field(
        default={8: 8.0, 9: 14.0, 10: 16.0, 11: 14.0, 12: 14.0, 13: 13.0, 14: 12.0, 15: 9.0},
        description="Relative arrivals per clock hour; open hours not listed get the smallest listed weight.")

    @field_validator("hourly_profile")
    @classmethod
    def _hours_in_day(cls, value: dict[int, float]) -> dict[int, float]:
        bad = [hour for hour in value if not 0 <= hour <= 23]
        if bad:
            raise ValueError(f"hours {bad} are not clock hours; expected 0..23")
        if not value or sum(value.values()) <= 0:
            raise ValueError("expected at least one hour with a positive weight")
        return value


class OutreachConfig(Section):
    max_stops_per_day: int = Field(default=3, ge=1, le=3, description="Most points an official visits on one day.")
    day_start_hour: float = Field(default=8.0, ge=0.0, lt=24.0,
                                  description="Earliest departure from the home office, hours after midnight.")


class SolverConfig(Section):
    time_limit_seconds: Positive = Field(default=10.0, description="Wall-clock limit per solver call, seconds.")
    seed: int = Field(default=0, ge=0, description="Random seed: the same input gives the same output.")
    workers: int = Field(default=2, ge=1, le=64, description="Solver threads.")



# ------------------------------------------------------------------ rosters (issue #4)


class RosterRequestRow(Row):
    advisor_id: Identifier = Field(description="Advisor (advisors.csv).")
    date: dt.date = Field(description="Day the request is about, YYYY-MM-DD.")
    kind: Literal["day_off", "prefer_shift", "avoid_shift"] = Field(
        description="day_off = not to work that day; prefer_shift / avoid_shift = a shift starting at `start` "
                    "(any shift that day when `start` is empty).")
    start: dt.time | None = Field(default=None, description="Optional: start of the shift meant, HH:MM.")
    weight: int = Field(default=10, ge=0, description="Penalty when the request is not honoured, points.")


class RosterConfig(Section):
    """Weights of the roster's soft rules (points per unit) and its options; defaults documented here."""

    on_duty_hard: bool = Field(
        default=False, description="true = someone on duty whenever a point is open is a hard rule (conflicts "
                                   "exit 3); false = very heavy penalty `unmanned_weight` instead.")
    unmanned_weight: int = Field(default=10000, ge=0, description="Per interval with nobody on duty, points.")
    cover_under_weight: int = Field(default=100, ge=0, description="Per advisor short of the requirement, per interval, points.")
    cover_over_weight: int = Field(default=1, ge=0, description="Per advisor above the requirement, per interval, points.")
    missing_skill_weight: int = Field(
        default=1000, ge=0, description="Per provider with demand that day and nobody trained for it on duty, points.")
    contract_under_weight: int = Field(default=1, ge=0, description="Per minute below contract − tolerance, points.")
    contract_over_weight: int = Field(default=2, ge=0, description="Per minute above contract + tolerance, points.")
    contract_tolerance_hours_per_week: NonNegative = Field(
        default=1.0, description="Paid hours either side of FTE × weekly hours that cost nothing, hours/week.")
    backup_day_weight: int = Field(default=300, ge=0, description="Per day a backup person works, points.")
    fair_late_weight: int = Field(
        default=2, ge=0, description="Per 0.1 closing shift per full-time (count × 1/FTE) of spread between a point's advisors, points.")
    fair_saturday_weight: int = Field(
        default=2, ge=0, description="Per 0.1 Saturday per full-time of spread between a point's advisors, points.")
    fair_single_off_weight: int = Field(
        default=2, ge=0, description="Per 0.1 single day off (worked on both sides) per full-time of spread between a "
                                     "point's advisors, points.")
    isolated_day_weight: int = Field(default=30, ge=0, description="Per working day with a day off on both sides, points.")
    weeks: int = Field(default=4, ge=1, le=8, description="Default roster length, weeks (2-8).")
    shift_start_step_minutes: Literal[15, 30, 60] = Field(
        default=30, description="Roster shifts start on this grid (a multiple of the interval), minutes; coarser is faster.")


class ReportConfig(Section):
    """What people read: the report, the workbook, the roster grids and the calendar files."""

    language: Literal["fi", "sv", "en"] = Field(
        default="en", description="Language of report.html, plan.xlsx's sheets and headers, the week rosters and the "
                                  "calendar files: fi, sv or en (`planner plan --lang` overrides it). CSV headers "
                                  "stay English.")


class ScenarioConfig(Section):
    name: str = Field(min_length=1, description="Scenario name.")
    description: str = Field(default="", description="Free text.")
    horizon: HorizonConfig
    service_level: ServiceLevelConfig = ServiceLevelConfig()
    workforce: WorkforceConfig = WorkforceConfig()
    costs: CostConfig = CostConfig()
    travel: TravelConfig = TravelConfig()
    demand: DemandProfileConfig = DemandProfileConfig()
    outreach: OutreachConfig = OutreachConfig()
    solver: SolverConfig = SolverConfig()
    roster: RosterConfig = RosterConfig()
    report: ReportConfig = ReportConfig()


class Scenario(BaseModel):
    """A validated scenario: the config plus every table, cross-references checked."""

    model_config = ConfigDict(frozen=True)

    config: ScenarioConfig
    points: tuple[PointRow, ...]
    opening_hours: tuple[OpeningHoursRow, ...]
    providers: tuple[ProviderRow, ...]
    seasonality: tuple[SeasonalityRow, ...]
    baseline_demand: tuple[BaselineDemandRow, ...]
    advisors: tuple[AdvisorRow, ...]
    offices: tuple[OfficeRow, ...] = ()
    closures: tuple[ClosureRow, ...] = ()
    overflow_events: tuple[OverflowRow, ...] = ()
    municipal_work: tuple[BackOfficeTaskRow, ...] = ()
    absences: tuple[AbsenceRow, ...] = ()
    officials: tuple[OfficialRow, ...] = ()
    distances: tuple[DistanceRow, ...] = ()
    roster_requests: tuple[RosterRequestRow, ...] = ()
    appointment_types: tuple[AppointmentTypeRow, ...] = ()
    visit_patterns: tuple[VisitPatternRow, ...] = ()
    official_absences: tuple[OfficialAbsenceRow, ...] = ()

    def point(self, point_id: str) -> PointRow:
        return next(p for p in self.points if p.point_id == point_id)

    def provider(self, provider_id: str) -> ProviderRow:
        return next(p for p in self.providers if p.provider_id == provider_id)

    def office(self, office_id: str) -> OfficeRow:
        return next(o for o in self.offices if o.office_id == office_id)

    @property
    def horizon_end(self) -> dt.date:
        return self.config.horizon.end


# Which CSV file holds which table, and its row model. Required files must exist.
TABLES: dict[str, tuple[str, type[Row], bool]] = {
    "points": ("points.csv", PointRow, True),
    "opening_hours": ("opening_hours.csv", OpeningHoursRow, True),
    "providers": ("providers.csv", ProviderRow, True),
    "seasonality": ("seasonality.csv", SeasonalityRow, True),
    "baseline_demand": ("baseline_demand.csv", BaselineDemandRow, True),
    "advisors": ("advisors.csv", AdvisorRow, True),
    "offices": ("offices.csv", OfficeRow, False),
    "closures": ("closures.csv", ClosureRow, False),
    "overflow_events": ("overflow_events.csv", OverflowRow, False),
    "municipal_work": ("municipal_work.csv", BackOfficeTaskRow, False),
    "absences": ("absences.csv", AbsenceRow, False),
    "officials": ("officials.csv", OfficialRow, False),
    "distances": ("distances.csv", DistanceRow, False),
    "roster_requests": ("roster_requests.csv", RosterRequestRow, False),
    "appointment_types": ("appointment_types.csv", AppointmentTypeRow, False),
    "visit_patterns": ("visit_patterns.csv", VisitPatternRow, False),
    "official_absences": ("official_absences.csv", OfficialAbsenceRow, False),
}
