"""Pydantic schemas: the contract between the scenario files and the models.

One row model per input CSV (`<Name>Row`), one model per section of `scenario.toml`,
and `Scenario`, which holds a whole validated scenario. `inputs/README.md` documents
every field here; a test fails when one is missing from it.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS: tuple[str, ...] = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)

# Free text (comments, reasons, sources, descriptions) may hold line breaks and tabs; names and
# every other text are one line. No text may hold another control character: plan.xlsx (XML)
# and calendars cannot carry them, and a terminal would act on them.
FREE_TEXT_FIELDS = frozenset({"comment", "reason", "source", "description"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROL_IN_FREE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 9: "TAB", 10: "LF (line break)", 13: "CR (line break)", 27: "ESC", 127: "DEL"}
MAX_NAME_CHARS = 200  # names end up in chart titles, sheet cells and calendar summaries


def _shown(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def check_text(value: object, field: str | None) -> object:
    """Refuse control characters (line breaks only in free text); other text is kept as written."""
    if isinstance(value, str):
        pattern = _CONTROL_IN_FREE_TEXT if field in FREE_TEXT_FIELDS else _CONTROL
        bad = pattern.search(value)
        if bad is not None:
            code = ord(bad.group())
            name = _CONTROL_NAMES.get(code, "")
            if code in (10, 13):
                raise ValueError(f"found a line break in {_shown(value)}; expected the text on one line "
                                 "(line breaks are allowed only in comment, reason, source and description)")
            raise ValueError(f"found the control character U+{code:04X}{f' ({name})' if name else ''} at character "
                             f"{bad.start() + 1} of {_shown(value)}; expected printable text")
    elif isinstance(value, tuple | list):
        for item in value:
            check_text(item, field)
    return value


_ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_CLOCK = re.compile(r"^\s*\d{1,2}:\d{2}(:\d{2})?\s*$")


def _iso_date(value: object) -> object:
    """Dates are written YYYY-MM-DD; pydantic would also take a Unix timestamp or a date-time. A date of the right
    form that does not exist (2015-02-30) is said in the same words, not pydantic's ("day value is outside …")."""
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError(f"found {_shown(value)}; expected a date YYYY-MM-DD, e.g. 2015-01-31")
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"found {_shown(value)}; expected a date that exists, YYYY-MM-DD (month 01–12, day 01 to "
                             "the month's last), e.g. 2015-01-31") from None
    return value


def _clock_text(value: object) -> object:
    """Times are written HH:MM from 00:00 to 23:59 (a closing time may also be 24:00, read before this check); one of
    the right form out of range (25:00, 08:75) is said in the same words, not pydantic's ("hour value is outside …").
    A one-digit hour, 9:00, is 09:00: Excel writes times so (the trial: opening_hours.csv saved from Excel was refused,
    "input is too short", while `planner check` read the same 9:00 in a roster)."""
    if isinstance(value, str) and not _CLOCK.match(value):
        raise ValueError(f"found {_shown(value)}; expected a time of day HH:MM, e.g. 08:30")
    if isinstance(value, str):
        hour, minute, *seconds = (int(part) for part in value.strip().split(":"))
        if hour > 23 or minute > 59:
            raise ValueError(f"found {_shown(value)}; expected a time of day HH:MM from 00:00 to 23:59 (24:00 only as "
                             "a closing time: midnight), e.g. 08:30")
        return f"{hour:02d}:{minute:02d}" + "".join(f":{s:02d}" for s in seconds)
    return value


FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
Day = Annotated[dt.date, BeforeValidator(_iso_date), Field(ge=FIRST_DAY, le=LAST_DAY)]
Clock = Annotated[dt.time, BeforeValidator(_clock_text)]

Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                      pattern=r"^[a-z0-9][a-z0-9_\-]*$"),
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_CHARS)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
Weight = Annotated[int, Field(ge=0, le=1_000_000)]  # a roster penalty weight, points
Factor = Annotated[float, Field(gt=0.0, le=12.0)]  # a month's share of a year's demand × 12


class Row(BaseModel):
    """Base of every CSV row: unknown columns are errors, rows are immutable, numbers are finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: object, info: ValidationInfo) -> object:
        return check_text(value, info.field_name)


def check_plausible_range(column: str, value: float, low: float | None, high: float | None,
                          bounds: tuple[str, str] | None = None) -> None:
    """A value and its optional plausible range for `planner sweep`: low ≤ value ≤ high.

    Raises ValueError whose message starts with the column to correct (parse_table points at it): the lower bound
    when the two bounds are the wrong way round, else the value itself; the range is said from low to high.
    """
    low_name, high_name = bounds or (f"{column}_low", f"{column}_high")
    expected = f"expected {low_name} ≤ {column} ≤ {high_name}"
    if low is not None and high is not None and low > high:
        raise ValueError(f"{low_name} {low:g} is above {high_name} {high:g}; {expected} (the two look swapped)")
    if low is not None and value < low:
        raise ValueError(f"{column} {value:g} is below {low_name} {low:g}; {expected}")
    if high is not None and value > high:
        raise ValueError(f"{column} {value:g} is above {high_name} {high:g}; {expected}")


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
    name: Name = Field(description="Name shown in reports, as written (`$` and `\\` are plain text).")
    municipality: Name = Field(description="Host municipality.")
    latitude: float = Field(ge=59.0, le=70.5, description="WGS84 latitude, degrees.")
    longitude: float = Field(ge=19.0, le=32.0, description="WGS84 longitude, degrees.")
    population: int = Field(ge=0, le=10_000_000, description="Residents of the municipality served, persons (at most 10 000 000).")
    comment: str = Field(default="", description="Free text: source of the figures.")


class OpeningHoursRow(Row):
    point_id: Identifier = Field(description="Service point (points.csv).")
    weekday: Weekday = Field(description="Day of week: mon, tue, wed, thu, fri, sat or sun.")
    opens: Clock = Field(description="Opening time, HH:MM.")
    closes: Clock = Field(description="Closing time, HH:MM (after `opens`; 24:00 = midnight).")

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
    name: Name = Field(description="Name shown in reports.")
    handling_minutes: Positive = Field(
        le=480, description="Advisor's handling time per counter transaction, minutes (at most 480, a working day).")
    annual_trend: float = Field(
        gt=-1.0, lt=1.0,
        description="Relative change of in-person demand per year, compounded monthly (-0.20 = 20 % fewer a year; "
                    "between -1 and 1).",
    )
    annual_trend_low: float | None = Field(
        default=None, gt=-1.0, lt=1.0,
        description="Optional: lowest plausible annual trend, for `planner sweep` (between -1 and 1).")
    annual_trend_high: float | None = Field(
        default=None, gt=-1.0, lt=1.0,
        description="Optional: highest plausible annual trend, for `planner sweep` (between -1 and 1).")
    remote_service: Literal["none", "booked", "immediate"] = Field(
        description="Remote video service from the point: none, booked (by appointment) or immediate.")
    face_to_face_share: Share = Field(
        description="Share of the provider's customers at the point who need an official in person (0..1).")
    comment: str = Field(default="", description="Free text: source of the figures.")


    @model_validator(mode="after")
    def _trend_range(self) -> ProviderRow:
        check_plausible_range("annual_trend", self.annual_trend, self.annual_trend_low, self.annual_trend_high)
        return self


class SeasonalityRow(Row):
    provider_id: Identifier = Field(description="Provider (providers.csv).")
    jan: Factor = Field(description="Monthly demand factor for January (the twelve average 1.0; each at most 12).")
    feb: Factor = Field(description="Factor for February (at most 12).")
    mar: Factor = Field(description="Factor for March (at most 12).")
    apr: Factor = Field(description="Factor for April (at most 12).")
    may: Factor = Field(description="Factor for May (at most 12).")
    jun: Factor = Field(description="Factor for June (at most 12).")
    jul: Factor = Field(description="Factor for July (at most 12).")
    aug: Factor = Field(description="Factor for August (at most 12).")
    sep: Factor = Field(description="Factor for September (at most 12).")
    oct: Factor = Field(description="Factor for October (at most 12).")
    nov: Factor = Field(description="Factor for November (at most 12).")
    dec: Factor = Field(description="Factor for December (at most 12).")
    comment: str = Field(default="", description="Free text: source of the factors.")

    def factors(self) -> tuple[float, ...]:
        return tuple(getattr(self, month) for month in MONTHS)


class BaselineDemandRow(Row):
    point_id: Identifier = Field(description="Service point (points.csv).")
    provider_id: Identifier = Field(description="Provider (providers.csv).")
    monthly_volume: NonNegative = Field(
        le=100_000, description="Counter transactions a month at the horizon start, before seasonality, "
                                "transactions/month (at most 100 000).")
    handling_minutes: Positive | None = Field(
        default=None, le=480, description="Optional: handling time at this point, overriding the provider's, "
                                          "minutes (at most 480).")
    comment: str = Field(default="", description="Free text: source of the figure.")


class OfficeRow(Row):
    office_id: Identifier = Field(description="Unique id of a provider office.")
    name: Name = Field(description="Name shown in reports.")
    provider_id: Identifier = Field(description="Provider that runs the office (providers.csv).")
    municipality: Name = Field(description="Town of the office.")
    latitude: float = Field(ge=59.0, le=70.5, description="WGS84 latitude, degrees.")
    longitude: float = Field(ge=19.0, le=32.0, description="WGS84 longitude, degrees.")
    comment: str = Field(default="", description="Free text.")


class ClosureRow(Row):
    office_id: Identifier = Field(description="Office that closes to customers or cuts its hours (offices.csv).")
    date: Day = Field(description="First day of the change, YYYY-MM-DD.")
    monthly_visits: NonNegative = Field(
        le=100_000, description="Office visits a month displaced by the change, before seasonality, visits/month "
                                "(at most 100 000).")
    point_id: Identifier = Field(description="Service point that receives a share (points.csv).")
    share_to_point: Share = Field(
        description="Share of the displaced visits that move to the point (0..1); the rest go to "
                    "e-services, phone or other offices.")
    share_low: Share | None = Field(default=None, description="Optional: lowest plausible share, for `planner sweep`.")
    share_high: Share | None = Field(default=None, description="Optional: highest plausible share, for `planner sweep`.")
    change: Literal["closes", "cuts_hours"] = Field(
        default="closes", description="Optional: `closes` (default) — the office is closed to customers from `date` on, "
                                      "so outreach never sends customers there (before `date` it does: the customers "
                                      "arriving then are priced their trip to it); `cuts_hours` — it stays open, "
                                      "shorter.")
    comment: str = Field(default="", description="Free text: source of the figures.")

    @model_validator(mode="after")
    def _share_range(self) -> ClosureRow:
        check_plausible_range("share_to_point", self.share_to_point, self.share_low, self.share_high,
                              ("share_low", "share_high"))
        return self


class OverflowRow(Row):
    event_id: Identifier = Field(description="Unique id of the event.")
    office_id: Identifier = Field(description="Office that is shut or congested (offices.csv).")
    point_id: Identifier = Field(description="Service point that receives the spill (points.csv).")
    start: Day = Field(description="First day of the event, YYYY-MM-DD.")
    end: Day = Field(description="Last day of the event (inclusive), YYYY-MM-DD.")
    office_daily_visits: NonNegative = Field(
        le=10_000, description="Visits a day the office would have had, visits/day (at most 10 000).")
    share_to_point: Share = Field(description="Share of those visits that spill to the point (0..1).")
    comment: str = Field(default="", description="Free text.")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> OverflowRow:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; expected end ≥ start")
        return self


class BackOfficeTaskRow(Row):
    point_id: Identifier = Field(description="Service point (points.csv).")
    task: Name = Field(description="Municipal back-office task, e.g. mail handling, phone service.")
    hours_per_week: NonNegative = Field(le=1000, description="Work the task needs, hours/week (at most 1000).")
    comment: str = Field(default="", description="Free text: source of the figure.")


class AdvisorRow(Row):
    advisor_id: Identifier = Field(description="Unique id of the advisor.")
    name: Name = Field(description="Name printed on rosters.")
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
    start: Day = Field(description="First day away, YYYY-MM-DD.")
    end: Day = Field(description="Last day away (inclusive), YYYY-MM-DD.")
    reason: str = Field(default="", description="annual leave, training, sick leave …")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> AbsenceRow:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; expected end ≥ start")
        return self


class OfficialRow(Row):
    official_id: Identifier = Field(description="Unique id of the provider official.")
    name: Name = Field(description="Name or role shown in visit calendars.")
    provider_id: Identifier = Field(description="Provider the official works for (providers.csv).")
    home_office_id: Identifier = Field(description="Office the official drives from (offices.csv).")
    hourly_cost_eur: Positive = Field(le=500, description="Employer's cost of one working hour, €/h (at most 500).")
    field_efficiency: float = Field(
        gt=0.0, le=1.0, description="Output of an hour served at a point relative to an hour at the office (0..1].")
    working_weekdays: tuple[Weekday, ...] = Field(
        default=("mon", "tue", "wed", "thu", "fri"), description="Days the official works, `mon|tue|wed`.")
    daily_hours: Positive = Field(
        default=7.25, le=16, description="Length of the official's working day including driving, hours (at most 16).")
    comment: str = Field(default="", description="Free text: source of the figures.")

    _split = field_validator("working_weekdays", mode="before")(split_list)


class AppointmentTypeRow(Row):
    provider_id: Identifier = Field(description="Provider (providers.csv).")
    appointment_type: Identifier = Field(description="Kind of appointment, e.g. `permit`, `wedding`, `notary`.")
    slot_minutes: Positive = Field(
        le=960, description="Length of one appointment slot at a point, minutes (at most 960, an official's longest day).")
    share: Share = Field(description="Share of the provider's face-to-face demand that is of this type (0..1).")
    remote_share: Share = Field(
        default=0.0, description=("Upper bound of the share of this type's customers who can use remote video where the "
                                   "provider offers it and the law allows it (0..1); the plan chooses video within it."))
    presence_required: bool | None = Field(
        default=None, description=(
            "`true`: the law requires the customer and the official in person (no remote service, "
            "`remote_share` must be 0). Empty: true for the types in planner/scenario/schemas.py "
            "PRESENCE_REQUIRED (permit, passport, id_card, firearms, security, wedding, notarisation, "
            "psychologist), else false."))
    comment: str = Field(default="", description="Free text: source of the figures.")

    @model_validator(mode="after")
    def _presence_means_no_remote(self) -> AppointmentTypeRow:
        if self.presence_required and self.remote_share > 0:
            raise ValueError("presence_required is true but remote_share is above 0; expected remote_share 0")
        return self


class VisitPatternRow(Row):
    point_id: Identifier = Field(description="Service point (points.csv).")
    provider_id: Identifier = Field(description="Provider whose officials visit (providers.csv).")
    max_days_between: int | None = Field(
        default=None, ge=1, le=366,
        description="Optional: every run of this many calendar days holds a visit while the pair has face-to-face demand, days (1–366).")
    weekdays: tuple[Weekday, ...] = Field(
        default=(), description="Optional: visits only on these weekdays, `fri` or `tue|thu`; empty = any working day.")
    comment: str = Field(default="", description="Free text.")

    _split = field_validator("weekdays", mode="before")(split_list)


class StatusQuoVisitRow(Row):
    """A visit the providers make today (the plan is compared with these, over the same horizon)."""

    provider_id: Identifier = Field(description="Provider (providers.csv); the official's provider.")
    official_id: Identifier = Field(description="Official who makes the trip today (officials.csv).")
    point_id: Identifier = Field(description="Service point visited (points.csv); a single-stop trip from the official's home office.")
    visits_per_month: int | None = Field(
        default=None, ge=1, le=23,
        description="Optional: trips a month, each on a day the official works and the point is open (1–23).")
    appointment_type: str = Field(
        default="", max_length=64,
        description=("Optional: the only appointment type served on these trips (appointment_types.csv); empty = every "
                     "type of the provider."))
    per_appointment: bool = Field(
        default=False,
        description=("`true`: one trip per appointment of `appointment_type` (at most one a trip), and those customers "
                     "are always served at the point, never sent to the office."))
    comment: str = Field(default="", description="Free text: where today's practice is described.")

    @model_validator(mode="after")
    def _a_frequency(self) -> StatusQuoVisitRow:
        if self.visits_per_month is None and not self.per_appointment:
            raise ValueError("neither visits_per_month nor per_appointment is given; expected one")
        if self.per_appointment and not self.appointment_type:
            raise ValueError("per_appointment needs an appointment_type")
        return self


class VideoHoursRow(Row):
    """Hours a provider (or one of its officials) gives to remote video service: a capacity of outreach planning."""

    provider_id: Identifier = Field(description="Provider (providers.csv) whose customers the hours serve.")
    official_id: str = Field(
        default="", max_length=64,
        description=("Optional: the official (officials.csv, of `provider_id`) whose hours these are; their video "
                     "minutes also count against their working day. Empty: the provider's pooled hours."))
    hours: NonNegative = Field(le=744, description="Video service hours in each `per` period, hours (at most 744).")
    per: Literal["week", "month"] = Field(
        default="week", description="Period of `hours`: `week` (Monday–Sunday) or `month` (calendar month).")
    comment: str = Field(default="", description="Free text: source of the figures.")


class OfficialAbsenceRow(Row):
    official_id: Identifier = Field(description="Official (officials.csv).")
    start: Day = Field(description="First day away, YYYY-MM-DD.")
    end: Day = Field(description="Last day away (inclusive), YYYY-MM-DD.")
    reason: str = Field(default="", description="annual leave, training, sick leave …")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> OfficialAbsenceRow:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; expected end ≥ start")
        return self


class DistanceRow(Row):
    from_id: Identifier = Field(description="A point_id or office_id.")
    to_id: Identifier = Field(description="A point_id or office_id; the pair is used in both directions.")
    km: NonNegative = Field(le=2000, description="Road distance one way, km (at most 2000).")
    minutes: NonNegative = Field(le=1800, description="Driving time one way, minutes (at most 1800).")
    source: str = Field(default="", description="Where the figure comes from.")


class WeekdayProfileRow(Row):
    point_id: Identifier = Field(description="Service point (points.csv) whose weekday factors replace "
                                             "scenario.toml [demand] weekday_factors.")
    mon: NonNegative = Field(default=1.0, le=10.0, description="Relative demand on Mondays, at most 10 (a weekday "
                                                               "the point is closed gets none whatever its factor).")
    tue: NonNegative = Field(default=1.0, le=10.0, description="Relative demand on Tuesdays, at most 10.")
    wed: NonNegative = Field(default=1.0, le=10.0, description="Relative demand on Wednesdays, at most 10.")
    thu: NonNegative = Field(default=1.0, le=10.0, description="Relative demand on Thursdays, at most 10.")
    fri: NonNegative = Field(default=1.0, le=10.0, description="Relative demand on Fridays, at most 10.")
    sat: NonNegative = Field(default=1.0, le=10.0, description="Relative demand on Saturdays, at most 10.")
    sun: NonNegative = Field(default=1.0, le=10.0, description="Relative demand on Sundays, at most 10.")
    comment: str = Field(default="", description="Free text: source of the factors (`planner fit` writes how many "
                                                 "records over which months).")

    def factors(self) -> dict[str, float]:
        return {day: getattr(self, day) for day in WEEKDAYS}


class HourlyProfileRow(Row):
    point_id: Identifier = Field(description="Service point (points.csv); its rows replace scenario.toml [demand] "
                                             "hourly_profile for that point.")
    hour: int = Field(ge=0, le=23, description="Clock hour the weight applies to (8 = 8:00-8:59), 0..23.")
    weight: NonNegative = Field(le=1000.0, description="Relative arrivals per open minute of that hour, at most "
                                                       "1000; open hours without a row get the point's smallest "
                                                       "listed weight.")
    comment: str = Field(default="", description="Free text: source of the weight.")


# ------------------------------------------------------------------ scenario.toml


def _accepts_text(annotation: object) -> bool:
    """Whether a setting of this type may be a TOML string (a name, a choice) rather than a number or date."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return _accepts_text(args[0])
    if origin in (typing.Union, types.UnionType):
        return any(_accepts_text(a) for a in args)
    if origin is Literal:
        return any(isinstance(a, str) for a in args)
    return annotation is str


def quoted_value(annotation: object, value: object) -> object | None:
    """The first string in `value` where the type wants a TOML number, date or boolean; pydantic would convert it."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return quoted_value(args[0], value)
    if origin in (typing.Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        return quoted_value(non_none[0], value) if len(non_none) == 1 else None
    if origin is tuple and isinstance(value, list | tuple):
        element_types = [args[0]] * len(value) if len(args) == 2 and args[1] is Ellipsis else list(args)
        return next((q for t, v in zip(element_types, value, strict=False) if (q := quoted_value(t, v)) is not None), None)
    if origin is dict and isinstance(value, dict):
        return next((q for v in value.values() if (q := quoted_value(args[1], v)) is not None), None)
    section = isinstance(annotation, type) and issubclass(annotation, BaseModel)
    if isinstance(value, str) and not _accepts_text(annotation) and not section:
        return value
    if isinstance(value, bool) and annotation in (int, float):
        return value
    return None


class Section(BaseModel):
    """Base of every scenario.toml section: unknown keys are errors, numbers finite and unquoted."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _plain_values(cls, value: object, info: ValidationInfo) -> object:
        field = cls.model_fields[info.field_name]
        found = quoted_value(field.annotation, value)
        if found is not None:
            kind = ("a date without quotes, e.g. 2015-01-01" if "date" in str(field.annotation)
                    else "true or false without quotes" if field.annotation is bool
                    else "a number without quotes, e.g. 12")
            shown = f"the text {_shown(found)} in quotes" if isinstance(found, str) else str(found).lower()
            raise ValueError(f"found {shown}; expected {kind}")
        return check_text(value, info.field_name)


# The longest horizon, and so the longest outreach plan, in months: scenario.toml and every --months option.
MAX_MONTHS = 36


class HorizonConfig(Section):
    start: dt.date = Field(ge=dt.date(2000, 1, 1), le=dt.date(2099, 12, 1),
                           description="First day of the planning horizon; must be the 1st of a month (2000–2099).")
    months: int = Field(ge=1, le=MAX_MONTHS, description="Length of the horizon, months (1–36).")
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
    target: float = Field(default=0.80, gt=0.0, le=1.0, description="Share of walk-ins served within `answer_within_minutes` (0..1].")
    answer_within_minutes: Positive = Field(default=15.0, le=480,
                                            description="Waiting-time limit of the service level, minutes (at most 480).")
    max_average_wait_minutes: Positive | None = Field(default=10.0, le=480,
                                                      description="Optional cap on the average wait, minutes (at most 480).")
    max_occupancy: float = Field(default=0.85, gt=0.0, le=1.0, description="Highest share of counter time spent serving (0..1].")
    queue_model: Literal["erlang_c", "erlang_a"] = Field(default="erlang_c", description="erlang_c, or erlang_a with abandonment.")
    patience_minutes: Positive | None = Field(
        default=None, le=480, description="Mean patience before a customer leaves (erlang_a), minutes (at most 480).")


class WorkforceConfig(Section):
    weekly_hours: Positive = Field(default=36.25, le=60, description="Full-time weekly working hours (FTE 1.0), hours (at most 60).")
    daily_hours: Positive = Field(default=7.25, le=16, description="Full-time daily working hours, hours (at most 16).")
    advisor_hourly_cost_eur: Positive = Field(default=22.0, le=500, description="Employer's cost of an advisor hour, €/h (at most 500).")
    shrinkage: float = Field(default=0.19, ge=0.0, lt=1.0, description="Share of paid time lost to leave, sickness and training (0..1).")
    min_named_persons: int = Field(default=2, ge=1, le=50, description="Persons named to each point (cover for absences; at most 50).")
    min_on_duty: int = Field(default=1, ge=0, le=50, description="Advisors on duty whenever a point is open (at most 50).")
    shift_lengths_hours: tuple[Annotated[float, Field(gt=0.0, le=16.0)], ...] = Field(
        default=(4.0, 5.0, 6.0, 7.75), min_length=1, max_length=24,
        description="Allowed shift lengths on site, including an unpaid break where one is due, hours (each at most 16).")
    break_minutes: NonNegative = Field(default=30.0, le=120, description="Unpaid lunch break in a long shift, minutes (at most 120).")
    break_after_hours: Positive = Field(
        default=6.0, le=16, description="A shift longer than this has the lunch break (Working Hours Act §24), hours (at most 16).")
    break_window_hours: tuple[Annotated[float, Field(ge=0.0, le=16.0)], Annotated[float, Field(ge=0.0, le=16.0)]] = Field(
        default=(2.5, 5.0), description="Earliest and latest start of the break after the shift starts, hours (each at most 16); "
                                        "breaks start on the interval grid, the earliest rounded up and the latest down.")

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
    km_rate_eur: NonNegative = Field(default=0.45, le=10, description="Car cost per km driven, €/km (at most 10).")
    customer_value_of_time_eur_per_hour: NonNegative = Field(
        default=12.0, le=500, description="Value of a resident's travel hour, €/h (at most 500).")
    access_weight: NonNegative = Field(
        default=1.0, le=1000, description="λ: weight of residents' access cost against official cost (at most 1000).")
    waiting_cost_eur_per_day: NonNegative = Field(
        default=1.0, le=1000, description="Cost of one customer waiting one calendar day for the next outreach visit, €/day "
                                          "(at most 1000).")
    pool_cars: bool = Field(
        default=False, description="Officials from the same town going to the same point on the same day share one car.")
    # Overnight outreach trips (issue #15). Per diems: the Tax Administration's tax-free travel allowances
    # for 2015 (Verohallinto: full per diem 39 €, partial per diem 18 €); the hotel night is an estimate.
    hotel_eur_per_night: NonNegative = Field(
        default=90.0, le=1000, description="Hotel night of an official on an overnight outreach trip, € per night (estimate; "
                                           "at most 1000).")
    per_diem_eur: NonNegative = Field(
        default=39.0, le=1000, description="Full per diem of an overnight trip, € per started day (Tax Administration, 2015: "
                                           "39 €; at most 1000).")
    partial_per_diem_eur: NonNegative = Field(
        default=18.0, le=1000, description="Partial per diem for a trip's last started day of 2–6 h, € (Tax Administration, "
                                           "2015: 18 €; at most 1000).")
    # Remote video service as a channel the outreach plan chooses (issue #15 item 4). The report gives no figure:
    # estimate, about half an hour of a resident's time at customer_value_of_time (12 €/h) for what video adds to a
    # local visit to the point (setting up with the advisor, a weaker channel, a second session for papers).
    video_eur_per_customer: NonNegative = Field(
        default=6.0, le=1000, description="Residents' cost of one customer served by remote video from the point "
                                          "instead of face to face there, € per customer (estimate; at most 1000).")
    # Customers arriving when every office of their provider is closed (closures.csv) and served by no visit nor video
    # are unmet: a residents' cost per customer in the access cost. The report gives no figure: estimate, set above
    # (1) the dearest day trip an official can make — a 7.25 h day with about 6 h at the wheel, ~420 km × 0.45 €/km +
    # 6 h × 45 €/h ≈ 460 € — so that at λ = 1 a visit pays for even one customer no office serves wherever an official
    # can drive in a day (an overnight trip, hotel and per diem on top, for two or more); and (2) any customer's trip to
    # an office in a Finnish region (the pilots' dearest, Pelkosenniemi–Rovaniemi, 169 €), so that closing offices never
    # makes a plan look cheaper. The resident's own cost is of that order: the next office of the provider outside the
    # region, ~2 × 300 km at 0.45 €/km and a day of their time at 12 €/h (~370 €), or the matter left undone.
    unmet_eur_per_customer: NonNegative = Field(
        default=500.0, le=100_000, description="Residents' cost of one customer left unmet: arriving when every office of "
                                               "the provider is closed (closures.csv) and served by no outreach visit "
                                               "nor video, € per customer (estimate; at most 100 000).")


class TravelConfig(Section):
    detour_factor: float = Field(default=1.3, ge=1.0, le=3.0, description="Road km per straight-line km where no distance is given (1–3).")
    speed_kmh: Positive = Field(default=70.0, le=200,
                                description="Average road speed where no driving time is given, km/h (at most 200).")


class DemandProfileConfig(Section):
    weekday_factors: dict[Weekday, Annotated[float, Field(ge=0.0, le=100.0)]] = Field(
        default={"mon": 1.15, "tue": 1.0, "wed": 1.0, "thu": 1.0, "fri": 0.85, "sat": 1.0, "sun": 1.0},
        description="Relative demand per weekday (each at most 100).")
    hourly_profile: dict[int, Annotated[float, Field(ge=0.0, le=1000.0)]] = Field(
        default={8: 8.0, 9: 14.0, 10: 16.0, 11: 14.0, 12: 14.0, 13: 13.0, 14: 12.0, 15: 9.0},
        description="Relative arrivals per clock hour; open hours not listed get the smallest listed weight (each at most 1000).")

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
    months: int | None = Field(default=None, ge=1, le=MAX_MONTHS, description=(
        "Months of the horizon outreach plans, from its start (1–36); default: the whole horizon. A shorter "
        "span is planned faster; summary.json states the months planned and why."))
    max_stops_per_day: int = Field(default=3, ge=1, le=3, description="Most points an official visits on one day (1–3).")
    day_start_hour: float = Field(default=8.0, ge=0.0, lt=24.0,
                                  description="Earliest departure from the home office, hours after midnight (0 to under 24).")
    max_nights: int = Field(default=2, ge=0, le=4, description=(
        "Most hotel nights of one overnight outreach trip (0–4; 0: day trips only). Overnight trips are offered to points "
        "no day trip reaches."))


WORK_LIMIT = 10.0  # deterministic seconds; see planner/base/budget.py


class SolverConfig(Section):
    work_limit: Positive = Field(default=WORK_LIMIT, le=86_400, description=(
        "Work budget per solver call, CP-SAT deterministic seconds (at most 86 400): the same input and settings "
        "give the same plan on any machine load. Larger finds better rosters and outreach plans and takes longer "
        "(README: Solver budgets)."))
    time_limit_seconds: Positive = Field(default=600.0, le=86_400, description=(
        "Wall-clock safety cap per solver call, seconds (at most 86 400, a day); a call that reaches it before its "
        "work budget is reported time-limited and is not repeatable."))
    seed: int = Field(default=0, ge=0, le=2_147_483_647,
                      description="Random seed: the same input gives the same output (at most 2 147 483 647).")
    workers: int = Field(default=2, ge=1, le=64, description="Solver threads (1–64).")



# ------------------------------------------------------------------ rosters (issue #4)


class RosterRequestRow(Row):
    advisor_id: Identifier = Field(description="Advisor (advisors.csv).")
    date: Day = Field(description="Day the request is about, YYYY-MM-DD.")
    kind: Literal["day_off", "prefer_shift", "avoid_shift"] = Field(
        description="day_off = not to work that day; prefer_shift / avoid_shift = a shift starting at `start` "
                    "(any shift that day when `start` is empty).")
    start: Clock | None = Field(default=None, description="Optional: start of the shift meant, HH:MM.")
    weight: int = Field(default=10, ge=0, le=1_000_000,
                        description="Penalty when the request is not honoured, points (at most 1 000 000).")


class RosterConfig(Section):
    """Weights of the roster's soft rules (points per unit) and its options; defaults documented here."""

    on_duty_hard: bool = Field(
        default=False, description="true = someone on duty whenever a point is open is a hard rule (conflicts "
                                   "exit 3); false = very heavy penalty `unmanned_weight` instead.")
    unmanned_weight: Weight = Field(default=10000, description="Per interval with nobody on duty, points (at most 1 000 000).")
    cover_under_weight: Weight = Field(
        default=100, description="Per advisor short of the requirement, per interval, points (at most 1 000 000).")
    cover_over_weight: Weight = Field(default=1, description="Per advisor above the requirement, per interval, points (at most 1 000 000).")
    missing_skill_weight: Weight = Field(
        default=1000, description="Per provider with demand that day and nobody trained for it on duty, points (at most 1 000 000).")
    contract_under_weight: Weight = Field(default=1, description="Per minute below contract − tolerance, points (at most 1 000 000).")
    contract_over_weight: Weight = Field(default=2, description="Per minute above contract + tolerance, points (at most 1 000 000).")
    contract_tolerance_hours_per_week: NonNegative = Field(
        default=1.0, le=60, description="Paid hours either side of FTE × weekly hours that cost nothing, hours/week (at most 60).")
    backup_day_weight: Weight = Field(default=300, description="Per day a backup person works, points (at most 1 000 000).")
    fair_late_weight: Weight = Field(
        default=2, description="Per 0.1 closing shift per full-time (count × 1/FTE) of spread between a point's advisors, "
                               "points (at most 1 000 000).")
    fair_saturday_weight: Weight = Field(
        default=2, description="Per 0.1 Saturday per full-time of spread between a point's advisors, points (at most 1 000 000).")
    fair_single_off_weight: Weight = Field(
        default=2, description="Per 0.1 single day off (worked on both sides) per full-time of spread between a "
                                     "point's advisors, points (at most 1 000 000).")
    isolated_day_weight: Weight = Field(default=30, description="Per working day with a day off on both sides, points (at most 1 000 000).")
    change_weight: Weight = Field(
        default=500, description="Re-planning (`planner roster --keep`): per advisor-day from the re-plan date whose "
                                 "shift differs from the kept roster, points (at most 1 000 000; an estimate: a change "
                                 "is worth making when it fills more than 5 short counter intervals of 15 min).")
    weeks: int | None = Field(
        default=None, ge=1, le=530,
        description="Roster length, weeks from the roster's first day (at most 530; the last week is cut at the "
                    "horizon end); unset = the whole horizon. `planner roster --from/--weeks` narrows it. A roster "
                    "longer than `period_weeks` is solved as consecutive work periods.")
    period_weeks: int = Field(
        default=3, ge=1, le=8,
        description="Work period over which contract hours are balanced, weeks (1-8; 3 is an estimate, the "
                    "three-week period of municipal period work). A longer roster is solved period by period, each "
                    "holding the previous period's last week fixed so rests carry across the seams; the contract "
                    "balance and the fairness counts carry from period to period.")
    shift_start_step_minutes: Literal[15, 30, 60] = Field(
        default=30, description="Roster shifts start on this grid (a multiple of the interval), minutes; coarser is faster.")


class ReportConfig(Section):
    """What people read: the report, the workbook, the roster grids and the calendar files."""

    language: Literal["fi", "sv", "en"] = Field(
        default="en", description="Language of report.html, plan.xlsx's sheets and headers, the week rosters and the "
                                  "calendar files: fi, sv or en (`planner plan --lang` overrides it). CSV headers "
                                  "stay English.")


class ScenarioConfig(Section):
    name: Name = Field(description="Scenario name.")
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

    @field_validator("workforce")
    @classmethod
    def _break_window_holds_a_grid_point(cls, workforce: WorkforceConfig, info: ValidationInfo) -> WorkforceConfig:
        # Breaks start on the interval grid, the window's ends rounded inwards (models/staffing.py
        # break_starts): a window between two grid points would leave every long shift without a break.
        horizon = info.data.get("horizon")
        if horizon is None:  # the horizon has its own error
            return workforce
        interval = horizon.interval_minutes
        earliest, latest = (round(h * 60, 6) for h in workforce.break_window_hours)
        first = -(-earliest // interval) * interval
        if first > latest:
            raise ValueError(
                f"break_window_hours {list(workforce.break_window_hours)} holds no start of a "
                f"{interval}-minute interval (breaks start on the horizon.interval_minutes grid); expected a "
                f"window that includes a multiple of {interval / 60:g} h, such as [{first / 60:g}, {first / 60:g}]")
        return workforce


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
    weekday_profiles: tuple[WeekdayProfileRow, ...] = ()
    hourly_profiles: tuple[HourlyProfileRow, ...] = ()
    status_quo_visits: tuple[StatusQuoVisitRow, ...] = ()
    video_hours: tuple[VideoHoursRow, ...] = ()

    def point(self, point_id: str) -> PointRow:
        return next(p for p in self.points if p.point_id == point_id)

    def provider(self, provider_id: str) -> ProviderRow:
        return next(p for p in self.providers if p.provider_id == provider_id)

    def office(self, office_id: str) -> OfficeRow:
        return next(o for o in self.offices if o.office_id == office_id)

    @property
    def horizon_end(self) -> dt.date:
        return self.config.horizon.end


# Appointment types the law requires in person (domain.md: police passports, ID cards, firearms and private
# security permits; register-office notarisations and weddings; the TE vocational psychologist's tests).
# appointment_types.csv `presence_required` overrides this per row.
PRESENCE_REQUIRED = frozenset({"permit", "passport", "id_card", "firearms", "security", "wedding", "notarisation",
                               "psychologist"})


def presence_required(scenario: Scenario, provider_id: str, appointment_type: str) -> bool:
    """Whether the law requires this type in person (never remote video): appointment_types.csv `presence_required`
    where given, else membership of PRESENCE_REQUIRED."""
    for row in scenario.appointment_types:
        if (row.provider_id, row.appointment_type) == (provider_id, appointment_type) and row.presence_required is not None:
            return row.presence_required
    return appointment_type in PRESENCE_REQUIRED


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
    "weekday_profiles": ("weekday_profiles.csv", WeekdayProfileRow, False),
    "hourly_profiles": ("hourly_profiles.csv", HourlyProfileRow, False),
    "status_quo_visits": ("status_quo_visits.csv", StatusQuoVisitRow, False),
    "video_hours": ("video_hours.csv", VideoHoursRow, False),
}
