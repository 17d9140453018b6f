"""Input schema of the named-person roster engine (models/roster.py).

General enough for the Shift Scheduling Benchmark (cover per day and shift type) and for
service-point rosters (cover per day and time interval, 11 h daily and 35 h weekly rest).
All times are minutes from midnight of the shift's own day; a shift may run past
midnight (start + length > 1440) but must end before the end of the next day.

Days need not last 1440 minutes: `RosterProblem.day_minutes` gives each day's real length
(a clock-change night has 1380 or 1500 in Finland) and the rests between days are counted
with it; the caller puts start, length and intervals on the same elapsed-minute axis of
their day (planner/base/calendar). Empty, every day has 1440 (the benchmarks).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

MINUTES_PER_DAY = 1440


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ShiftType(_Row):
    id: str = Field(description="shift type id, unique")
    start: int = Field(0, ge=0, lt=MINUTES_PER_DAY + 60,
                       description="start, minutes after midnight (up to 1500 on a 25-hour clock-change day)")
    length: int = Field(gt=0, le=MINUTES_PER_DAY, description="length in minutes")
    paid: int | None = Field(
        None, ge=0, description="paid minutes counted against contracts; None = length"
    )
    covers: tuple[tuple[int, int], ...] | None = Field(
        None,
        description="time intervals [from, to) in minutes of the shift's day during which the "
        "person serves customers (breaks excluded); None = the whole shift",
    )

    @property
    def end(self) -> int:
        return self.start + self.length

    @property
    def paid_minutes(self) -> int:
        return self.length if self.paid is None else self.paid

    @property
    def serving(self) -> tuple[tuple[int, int], ...]:
        return self.covers if self.covers is not None else ((self.start, self.end),)


class Employee(_Row):
    id: str = Field(description="person id, unique")
    max_shifts: dict[str, int] = Field(
        default_factory=dict,
        description="per shift type id: at most this many in the horizon (0 = may not work "
        "it); a type not listed is unlimited",
    )
    allowed_shifts: frozenset[str] | None = Field(
        None, description="shift types this person may work; None = all"
    )
    min_minutes: int = Field(0, ge=0, description="minimum paid minutes in the horizon")
    max_minutes: int | None = Field(None, ge=0, description="maximum paid minutes in the horizon")
    min_consecutive_work: int = Field(
        1, ge=1, description="minimum working days in a row (runs touching horizon ends exempt)"
    )
    max_consecutive_work: int | None = Field(None, ge=1, description="max working days in a row")
    min_consecutive_off: int = Field(
        1, ge=1, description="minimum days off in a row (runs touching horizon ends exempt)"
    )
    max_weekends: int | None = Field(
        None, ge=0, description="max weekends with a Saturday or Sunday shift"
    )
    days_off: frozenset[int] = Field(
        default_factory=frozenset, description="days (0-based) this person must not work"
    )

    def may_work(self, shift: str) -> bool:
        if self.allowed_shifts is not None and shift not in self.allowed_shifts:
            return False
        return self.max_shifts.get(shift, 1) > 0


class Succession(_Row):
    first: str = Field(description="shift type worked on day d")
    then: str = Field(description="shift type that may not be worked on day d + 1")


class RestRules(_Row):
    daily_rest_minutes: int | None = Field(
        None, ge=0, description="minimum rest between two shifts, minutes (Act §25: 660)"
    )
    weekly_rest_minutes: int | None = Field(
        None,
        ge=0,
        description="once per 7-day block from day 0, a rest of at least this many minutes "
        "around a free day (Act §27: 2100)",
    )


class ShiftCover(_Row):
    day: int = Field(ge=0)
    shift: str
    requirement: int = Field(ge=0, description="people wanted on this shift")
    weight_under: int = Field(ge=0, description="penalty per missing person")
    weight_over: int = Field(ge=0, description="penalty per surplus person")


class IntervalCover(_Row):
    day: int = Field(ge=0)
    start: int = Field(ge=0, description="minutes after midnight")
    end: int = Field(gt=0, description="minutes after midnight, exclusive")
    requirement: int = Field(ge=0, description="people serving wanted during the interval")
    weight_under: int = Field(ge=0, description="penalty per missing person")
    weight_over: int = Field(ge=0, description="penalty per surplus person")


class Request(_Row):
    employee: str
    day: int = Field(ge=0)
    shift: str
    weight: int = Field(ge=0, description="penalty when the request is not honoured")
    on: bool = Field(description="True = wants this shift, False = wants not to work it")


class RosterProblem(_Row):
    horizon: int = Field(gt=0, description="number of days")
    first_weekday: int = Field(0, ge=0, le=6, description="weekday of day 0, 0 = Monday")
    shifts: tuple[ShiftType, ...]
    employees: tuple[Employee, ...]
    forbidden_successions: tuple[Succession, ...] = ()
    rest: RestRules = RestRules()
    shift_cover: tuple[ShiftCover, ...] = ()
    interval_cover: tuple[IntervalCover, ...] = ()
    requests: tuple[Request, ...] = ()
    day_minutes: tuple[int, ...] = Field(
        (), description="real minutes of each day, midnight to midnight (1380/1500 on clock-change nights); "
        "empty = 1440 each")

    def day_length(self, day: int) -> int:
        """Real minutes of `day` (1440 unless `day_minutes` says otherwise)."""
        return self.day_minutes[day] if self.day_minutes else MINUTES_PER_DAY

    def day_start(self, day: int) -> int:
        """Minutes from the start of day 0 to the start of `day`."""
        return sum(self.day_length(d) for d in range(day)) if self.day_minutes else day * MINUTES_PER_DAY

    def weekday(self, day: int) -> int:
        return (self.first_weekday + day) % 7

    def weekends(self) -> list[tuple[int, ...]]:
        """Days of each (possibly partial) Saturday–Sunday weekend inside the horizon."""
        out: dict[int, list[int]] = {}
        for d in range(self.horizon):
            if self.weekday(d) >= 5:
                # Saturday d and Sunday d+1 share the key of the Saturday.
                key = d if self.weekday(d) == 5 else d - 1
                out.setdefault(key, []).append(d)
        return [tuple(v) for _, v in sorted(out.items())]

    @model_validator(mode="after")
    def _references(self) -> RosterProblem:
        if self.day_minutes and len(self.day_minutes) != self.horizon:
            raise ValueError(f"day_minutes: {len(self.day_minutes)} values for a horizon of {self.horizon} days")
        if any(m <= 0 for m in self.day_minutes):
            raise ValueError("day_minutes: every day lasts a positive number of minutes")
        shift_ids = [s.id for s in self.shifts]
        if len(set(shift_ids)) != len(shift_ids):
            raise ValueError("shifts: duplicate shift id")
        emp_ids = [e.id for e in self.employees]
        if len(set(emp_ids)) != len(emp_ids):
            raise ValueError("employees: duplicate employee id")
        known, people = set(shift_ids), set(emp_ids)
        for e in self.employees:
            unknown = set(e.max_shifts) - known
            if unknown:
                raise ValueError(f"employee {e.id}: unknown shift types {sorted(unknown)}")
        for s in self.forbidden_successions:
            if s.first not in known or s.then not in known:
                raise ValueError(f"forbidden succession {s.first}->{s.then}: unknown shift type")
        for c in self.shift_cover:
            if c.shift not in known or c.day >= self.horizon:
                raise ValueError(f"shift cover day {c.day} {c.shift}: unknown shift or day")
        for r in self.requests:
            if r.shift not in known or r.employee not in people or r.day >= self.horizon:
                raise ValueError(f"request {r.employee} day {r.day} {r.shift}: unknown reference")
        return self
