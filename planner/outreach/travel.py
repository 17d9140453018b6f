"""What one outreach visit costs, and what the residents' alternatives cost.

The report's own arithmetic (§4.2), made explicit:

    car cost              = round-trip km × km_rate_eur
    travel salary         = round-trip driving hours × official's hourly cost
    productivity loss     = hours of appointments served in the field × (1 ÷ field efficiency − 1)
                            × hourly cost   (an hour at the point yields `field_efficiency`
                            of an office hour, so the rest must be made up)

An overnight trip (issue #15: where a day cannot hold the drive and the service) of N nights
drives out on its first day, serves, sleeps at a hotel N nights and drives back on its last
day after serving; each of its N + 1 days is a working day of the official:

    car cost, travel salary, productivity loss   as above (one round trip)
    hotel                 = N × hotel_eur_per_night
    per diem              = the Tax Administration's rule for the trip's length, which is taken as
                            N × 24 h + the official's daily_hours (out in the morning of the first day,
                            back after a working day on the last): per_diem_eur per whole 24 h, and for
                            the started period beyond it per_diem_eur if over 6 h, partial_per_diem_eur
                            if over 2 h (2015: 39 € and 18 €)

Alternatives for the same customers:

    customer drives to the office = customers × round-trip km × km_rate_eur
                                    + customers × round-trip hours × value of a resident's hour
    remote video service          = sessions × session hours × official's hourly cost
                                    (only where the provider offers it)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from planner.base.calendar import finnish_holidays
from planner.base.geo import Geography
from planner.scenario.schemas import WEEKDAYS, OfficialRow, Scenario

# Appointment types the law requires in person: PRESENCE_REQUIRED and presence_required live with the input
# contract (planner/scenario/schemas.py), so that the plan checker reads the same law without the outreach code.


@dataclass(frozen=True)
class VisitCost:
    official_id: str
    point_id: str
    appointments: int
    slot_minutes: float
    km: float
    driving_hours: float
    service_hours: float
    car_eur: float
    salary_eur: float
    productivity_eur: float
    distance_estimated: bool

    @property
    def total_eur(self) -> float:
        return self.car_eur + self.salary_eur + self.productivity_eur

    def as_dict(self) -> dict[str, float | int | str | bool]:
        return {**asdict(self), "total_eur": self.total_eur}


@dataclass(frozen=True)
class AlternativeCost:
    customers: int
    customer_km: float
    customer_hours: float
    customers_drive_eur: float | None  # None: the provider has no office open that day (office_id "")
    remote_available: bool
    remote_eur: float | None
    remote_refused: str = ""  # why remote service is not offered although the provider has it
    office_id: str = ""  # the office the customers would drive to (the provider's nearest open one); "" when none
    closed: tuple[tuple[str, dt.date], ...] = ()  # the provider's offices closed to customers by then, and since when


@dataclass(frozen=True)
class OvernightCost:
    """An overnight trip of `nights` hotel nights to one point: € per part, km and hours of the whole trip."""

    official_id: str
    point_id: str
    nights: int
    appointments: int
    slot_minutes: float
    km: float  # the round trip
    driving_hours: float  # the round trip
    service_hours: float
    trip_hours: float  # from leaving the office to returning (per diem basis)
    car_eur: float
    salary_eur: float
    productivity_eur: float
    hotel_eur: float
    per_diem_eur: float
    distance_estimated: bool

    @property
    def total_eur(self) -> float:
        return self.car_eur + self.salary_eur + self.productivity_eur + self.hotel_eur + self.per_diem_eur

    @property
    def days(self) -> int:
        return self.nights + 1

    def as_dict(self) -> dict[str, float | int | str | bool]:
        return {**asdict(self), "total_eur": self.total_eur}


def per_diem(scenario: Scenario, trip_hours: float) -> float:
    """Per diem € of a trip of `trip_hours` hours (the Tax Administration's rule, amounts from [costs]).

    Up to 24 h: full over 10 h, partial over 6 h. Over 24 h: full per whole 24 h, and for the started
    period beyond: full if over 6 h, partial if over 2 h.
    """
    costs = scenario.config.costs
    if trip_hours <= 24:
        return costs.per_diem_eur if trip_hours > 10 else costs.partial_per_diem_eur if trip_hours > 6 else 0.0
    whole = int(trip_hours // 24)
    rest = trip_hours - 24 * whole
    extra = costs.per_diem_eur if rest > 6 else costs.partial_per_diem_eur if rest > 2 else 0.0
    return whole * costs.per_diem_eur + extra


def overnight_trip_hours(official: OfficialRow, nights: int) -> float:
    """Hours from leaving the office on the first day to returning on the last: N × 24 h + daily_hours."""
    return nights * 24 + official.daily_hours


def overnight_cost(scenario: Scenario, official: OfficialRow, point_id: str, nights: int, appointments: int,
                   slot_minutes: float, geography: Geography | None = None) -> OvernightCost:
    """Cost of an overnight trip of `nights` ≥ 1 nights from the official's home office to a point and back."""
    if nights < 1:
        raise ValueError(f"an overnight trip has at least one night, not {nights}")
    geography = geography or Geography(scenario)
    leg = geography.leg(official.home_office_id, point_id)
    km, hours = 2 * leg.km, 2 * leg.minutes / 60
    service_hours = appointments * slot_minutes / 60
    rate, costs = official.hourly_cost_eur, scenario.config.costs
    length = overnight_trip_hours(official, nights)
    return OvernightCost(
        official_id=official.official_id, point_id=point_id, nights=nights, appointments=appointments,
        slot_minutes=slot_minutes, km=km, driving_hours=hours, service_hours=service_hours, trip_hours=length,
        car_eur=km * costs.km_rate_eur, salary_eur=hours * rate,
        productivity_eur=service_hours * (1 / official.field_efficiency - 1) * rate,
        hotel_eur=nights * costs.hotel_eur_per_night, per_diem_eur=per_diem(scenario, length),
        distance_estimated=leg.estimated,
    )


def overnight_appointments_that_fit(scenario: Scenario, official: OfficialRow, point_id: str, nights: int,
                                    slot_minutes: float, geography: Geography | None = None) -> int:
    """Slots an overnight trip holds: the first and last days after one leg each, the days between whole."""
    leg = (geography or Geography(scenario)).leg(official.home_office_id, point_id)
    day = official.daily_hours * 60
    ends = 2 * max(0, int((day - leg.minutes) // slot_minutes))
    return ends + (nights - 1) * int(day // slot_minutes)


def overnight_fits(official: OfficialRow, one_way_minutes: float, slot_minutes: float) -> bool:
    """Whether a day can hold the drive one way and one slot (the first and the last day of an overnight trip)."""
    return one_way_minutes + slot_minutes <= official.daily_hours * 60


def visit_cost(scenario: Scenario, official: OfficialRow, point_id: str, appointments: int,
               slot_minutes: float, geography: Geography | None = None) -> VisitCost:
    """Cost of one round trip from the official's home office to a point and back."""
    geography = geography or Geography(scenario)
    leg = geography.leg(official.home_office_id, point_id)
    km, hours = 2 * leg.km, 2 * leg.minutes / 60
    service_hours = appointments * slot_minutes / 60
    rate = official.hourly_cost_eur
    return VisitCost(
        official_id=official.official_id, point_id=point_id, appointments=appointments,
        slot_minutes=slot_minutes, km=km, driving_hours=hours, service_hours=service_hours,
        car_eur=km * scenario.config.costs.km_rate_eur,
        salary_eur=hours * rate,
        productivity_eur=service_hours * (1 / official.field_efficiency - 1) * rate,
        distance_estimated=leg.estimated,
    )


def office_trip(scenario: Scenario, point_id: str, office_id: str,
                geography: Geography | None = None) -> tuple[float, float, float]:
    """One customer's round trip from the point to an office: km, hours, € (car + value of time)."""
    leg = (geography or Geography(scenario)).leg(point_id, office_id)
    costs = scenario.config.costs
    km, hours = 2 * leg.km, 2 * leg.minutes / 60
    return km, hours, km * costs.km_rate_eur + hours * costs.customer_value_of_time_eur_per_hour


def all_provider_offices(scenario: Scenario, provider_id: str) -> set[str]:
    """The provider's offices, open or closed: offices.csv rows of the provider and its officials' home offices."""
    found = {o.office_id for o in scenario.offices if o.provider_id == provider_id}
    return found | {o.home_office_id for o in scenario.officials if o.provider_id == provider_id}


def provider_offices(scenario: Scenario, provider_id: str, until: dt.date | None = None) -> list[str]:
    """Offices a customer of `provider_id` can go to on day `until`: all_provider_offices sorted by id, without
    those closed to customers (closures.csv, change `closes`) on or before `until` (an office closing on date D is
    open before D; None: without any office that closes, whenever). The plan asks this per day (office_spans), so
    customers are never sent to a door that is shut, and before a closure they are priced the office still open."""
    closed = {c.office_id for c in scenario.closures if c.change == "closes" and (until is None or c.date <= until)}
    return sorted(all_provider_offices(scenario, provider_id) - closed)


@dataclass(frozen=True)
class OfficeSpan:
    """The office customers of a point and provider arriving from `first` to `last` (dates, inclusive) drive to:
    the provider's nearest office open on those days."""

    first: dt.date
    last: dt.date
    office_id: str  # '' when no office of the provider is open to customers then (or it has none)
    km: float  # one customer's round trip, km (0 without an office)
    eur: float  # one customer's round trip, € (car + value of time, as office_trip; 0 without an office)

    def indices(self, days) -> list[int]:
        """Indices of the dates in `days` (a sequence of dt.date) that fall in this span."""
        return [d for d, day in enumerate(days) if self.first <= day <= self.last]


def office_spans(scenario: Scenario, point_id: str, provider_id: str, start: dt.date, end: dt.date,
                 geography: Geography | None = None) -> tuple[OfficeSpan, ...]:
    """The offices customers at `point_id` of `provider_id` drive to from `start` to `end`, in date order: a new
    span where the nearest open office changes, i.e. on a closing date (closures.csv, change `closes`) of the
    provider's nearest office inside the horizon. One span over the whole horizon when none closes in it."""
    geography = geography or Geography(scenario)
    mine = all_provider_offices(scenario, provider_id)
    changes = sorted({c.date for c in scenario.closures if c.change == "closes" and c.office_id in mine
                      and start < c.date <= end})
    spans: list[OfficeSpan] = []
    for first, after in zip([start, *changes], [*changes, end + dt.timedelta(days=1)], strict=True):
        nearest = nearest_office(scenario, point_id, provider_id, geography,
                                 provider_offices(scenario, provider_id, first))
        office, (km, _, eur) = nearest or ("", (0.0, 0.0, 0.0))
        last = after - dt.timedelta(days=1)
        if spans and spans[-1].office_id == office:  # a closure of another office: the same trip goes on
            spans[-1] = OfficeSpan(spans[-1].first, last, office, km, eur)
        else:
            spans.append(OfficeSpan(first, last, office, km, eur))
    return tuple(spans)


def nearest_office(scenario: Scenario, point_id: str, provider_id: str, geography: Geography | None = None,
                   offices: list[str] | None = None) -> tuple[str, tuple[float, float, float]] | None:
    """The provider's office a customer at `point_id` would drive to: the fewest round-trip km (ties by id).

    Returns (office_id, (km, hours, €) of one customer's round trip, as office_trip), or None when the
    provider has no office. The outreach plan prices "the customer travels to the office" with it.
    """
    geography = geography or Geography(scenario)
    choices = provider_offices(scenario, provider_id) if offices is None else offices
    trips = [(office_trip(scenario, point_id, o, geography), o) for o in choices]
    best = min(trips, key=lambda item: (item[0][0], item[1]), default=None)
    return None if best is None else (best[1], best[0])


def closed_offices(scenario: Scenario, provider_id: str, day: dt.date) -> tuple[tuple[str, dt.date], ...]:
    """The provider's offices (all_provider_offices) closed to customers on or before `day` (closures.csv, change
    `closes`), as (office_id, closing date) sorted by id."""
    mine = all_provider_offices(scenario, provider_id)
    return tuple(sorted((c.office_id, c.date) for c in scenario.closures
                        if c.change == "closes" and c.date <= day and c.office_id in mine))


def alternative_cost(scenario: Scenario, official: OfficialRow, point_id: str, customers: int,
                     session_minutes: float, geography: Geography | None = None,
                     in_person_only: bool = False, day: dt.date | None = None) -> AlternativeCost:
    """What the same customers cost if they drive to their provider's nearest office open on `day` (default: the
    horizon's first day) — an office closing later is open until its closing date (closures.csv) — or use remote
    service (never where the law requires presence: `in_person_only`). With no office of the provider open then,
    no office is named (not a closed one, nor the official's closed home office): office_id "", customers_drive_eur
    None, and `closed` lists the provider's closed offices with their dates."""
    day = day or scenario.config.horizon.start
    provider = official.provider_id
    nearest = nearest_office(scenario, point_id, provider, geography, provider_offices(scenario, provider, day))
    closed = closed_offices(scenario, provider, day)
    office_id, (km, hours, eur) = nearest or ("", (0.0, 0.0, None))
    remote = scenario.provider(provider).remote_service != "none" and not in_person_only
    return AlternativeCost(
        customers=customers, customer_km=customers * km, customer_hours=customers * hours,
        customers_drive_eur=None if eur is None else customers * eur, closed=closed,
        remote_available=remote,
        # Priced as the plan prices video (models/outreach add_video_cost): the residents' cost per customer; the
        # official serves the same slots from the office, so no travel or field cost of theirs.
        remote_eur=customers * scenario.config.costs.video_eur_per_customer if remote else None,
        remote_refused="the law requires presence" if in_person_only and
        scenario.provider(official.provider_id).remote_service != "none" else "",
        office_id=office_id,
    )


def appointments_that_fit(scenario: Scenario, official: OfficialRow, point_id: str, slot_minutes: float,
                          geography: Geography | None = None) -> int:
    """Slots that fit in the official's day after driving there and back."""
    leg = (geography or Geography(scenario)).leg(official.home_office_id, point_id)
    free_minutes = official.daily_hours * 60 - 2 * leg.minutes
    return max(0, int(free_minutes // slot_minutes))


def annual_outreach_loss(days_per_year: int, travel_share: float, daily_hours: float,
                         hourly_cost_eur: float) -> tuple[float, float]:
    """Person-days and euros lost to driving when `travel_share` of each outreach day is on the road.

    The report's rule: one day a month with 25 % travel loses about 3 person-days a year.
    """
    hours = days_per_year * travel_share * daily_hours
    return hours / daily_hours, hours * hourly_cost_eur


def visit_length_warnings(official: OfficialRow, cost: VisitCost) -> list[str]:
    """A day longer than the official's daily hours (driving there and back plus the appointments)."""
    hours = cost.driving_hours + cost.service_hours
    if hours <= official.daily_hours + 1e-9:
        return []
    return [f"the day is {hours:.2f} h ({cost.driving_hours:.2f} h driving {cost.km:.0f} km + {cost.service_hours:.2f} h of "
            f"appointments), longer than {official.official_id}'s daily_hours of {official.daily_hours:g} h: no such "
            "day fits in one working day"]


def visit_day_warnings(scenario: Scenario, official: OfficialRow, day: dt.date) -> list[str]:
    """Reasons the official would not normally travel on `day`."""
    warnings = []
    weekday = WEEKDAYS[day.weekday()]
    if weekday not in official.working_weekdays:
        # The day's English name, not %A: that follows the machine's locale.
        name = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[day.weekday()]
        warnings.append(f"{official.official_id} does not work on {name}s "
                        f"(working_weekdays: {'|'.join(official.working_weekdays)})")
    holiday = finnish_holidays(day.year, day.year).get(day)
    if holiday:
        warnings.append(f"{day} is a public holiday ({holiday})")
    return warnings
