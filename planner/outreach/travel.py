"""What one outreach visit costs, and what the residents' alternatives cost.

The report's own arithmetic (§4.2), made explicit:

    car cost              = round-trip km × km_rate_eur
    travel salary         = round-trip driving hours × official's hourly cost
    productivity loss     = hours of appointments served in the field × (1 ÷ field efficiency − 1)
                            × hourly cost   (an hour at the point yields `field_efficiency`
                            of an office hour, so the rest must be made up)

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

# Appointment types the law requires in person (domain.md: police passports, ID cards, firearms and private
# security permits; register-office notarisations and weddings; the TE vocational psychologist's tests).
# appointment_types.csv `presence_required` overrides this per row.
PRESENCE_REQUIRED = frozenset({"permit", "passport", "id_card", "firearms", "security", "wedding", "notarisation",
                               "psychologist"})


def presence_required(scenario: Scenario, provider_id: str, appointment_type: str) -> bool:
    """Whether the law requires this type in person: appointment_types.csv, else PRESENCE_REQUIRED."""
    for row in scenario.appointment_types:
        if (row.provider_id, row.appointment_type) == (provider_id, appointment_type) and row.presence_required is not None:
            return row.presence_required
    return appointment_type in PRESENCE_REQUIRED


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
    customers_drive_eur: float
    remote_available: bool
    remote_eur: float | None
    remote_refused: str = ""  # why remote service is not offered although the provider has it


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


def alternative_cost(scenario: Scenario, official: OfficialRow, point_id: str, customers: int,
                     session_minutes: float, geography: Geography | None = None,
                     in_person_only: bool = False) -> AlternativeCost:
    """What the same customers cost if they drive to the office, or use remote service (never where the
    law requires presence: `in_person_only`)."""
    km, hours, eur = office_trip(scenario, point_id, official.home_office_id, geography)
    remote = scenario.provider(official.provider_id).remote_service != "none" and not in_person_only
    return AlternativeCost(
        customers=customers, customer_km=customers * km, customer_hours=customers * hours,
        customers_drive_eur=customers * eur,
        remote_available=remote,
        remote_eur=customers * session_minutes / 60 * official.hourly_cost_eur if remote else None,
        remote_refused="the law requires presence" if in_person_only and
        scenario.provider(official.provider_id).remote_service != "none" else "",
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
        warnings.append(f"{official.official_id} does not work on {weekday}s "
                        f"(working_weekdays: {'|'.join(official.working_weekdays)})")
    holiday = finnish_holidays(day.year, day.year).get(day)
    if holiday:
        warnings.append(f"{day} is a public holiday ({holiday})")
    return warnings
