"""Command-line interface: click only, no modelling."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aspa-planner")
def main() -> None:
    """Plan staffing, rosters and outreach days for shared customer-service points."""
