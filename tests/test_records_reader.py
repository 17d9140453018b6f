"""Bad visit logs: exit 2 with file, row and column, or exclusions counted by kind; never a traceback."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.records.logformat import Mapping
from planner.records.reader import read_records
from planner.scenario.loading import load_scenario

PILOTS = Path(__file__).resolve().parent.parent / "inputs" / "aspa-pilots-2015"
HEADER = "point_id,provider_id,arrived_at,called_at,finished_at,errands,channel\n"
GOOD = "mikkeli,kela,2014-03-05 09:12,2014-03-05 09:15,2014-03-05 09:22,1,counter\n"


def run(tmp_path, text, *options, name="log.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8", "surrogateescape"))  # a lone \udcXX is that byte, not UTF-8
    result = CliRunner().invoke(main, ["fit", str(path), "-o", str(tmp_path / "out"), *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize(("text", "options", "expected"), [
    (HEADER + GOOD + "mikkeli,kela,5.3.2014 9.99,,,1,counter\n", (),
     "log.csv row 3, column arrived_at: found '5.3.2014 9.99'"),
    (HEADER + GOOD + "mikkeli,kela,1899-03-05 09:12,,,1,counter\n", (),
     "log.csv row 3, column arrived_at: found '1899-03-05 09:12'; is outside the plausible range"),
    (HEADER + GOOD + "mikkeli,kela,2014-03-05 09:12,,,two,counter\n", (), "log.csv row 3, column errands: found 'two'"),
    (HEADER + GOOD + "mikkeli,kela,2014-03-05 09:12,,,1,phone\n", (), "log.csv row 3, column channel: found 'phone'"),
    (HEADER + GOOD + ",kela,2014-03-05 09:12,,,1,counter\n", (), "log.csv row 3, column point_id: the value is missing"),
    ("", (), "log.csv row 1: the file is empty"),
    (HEADER, (), "log.csv row 2: the file has a header but no visits"),
    ("point_id,provider_id\nmikkeli,kela\n", (), "log.csv row 1, column arrived_at: required column 'arrived_at' is missing"),
    (HEADER + GOOD, ("--map", "arrived_at=Saapunut"),
     "log.csv row 1, column Saapunut: the mapping names 'Saapunut' for arrived_at"),
    (HEADER + GOOD, ("--map", "called_at=Kutsuttu"),
     "log.csv row 1, column Kutsuttu: the mapping names 'Kutsuttu' for called_at"),
    # A mapped export's bad cell is named under the export's own column, which the user can find in their file.
    ("Piste,Palvelu,Saapunut,Kutsuttu,Valmis,Asioita,Kanava\n" + GOOD + "mikkeli,kela,eilen,,,kaksi,counter\n",
     ("--map", "point_id=Piste", "--map", "provider_id=Palvelu", "--map", "arrived_at=Saapunut", "--map",
      "called_at=Kutsuttu", "--map", "finished_at=Valmis", "--map", "errands=Asioita", "--map", "channel=Kanava"),
     "log.csv row 3, column Saapunut (arrived_at): found 'eilen'"),
    ("Piste,provider_id,arrived_at,called_at,finished_at,Asioita,channel\n" + GOOD + "mikkeli,kela,2014-03-05 09:12,,,0,counter\n",
     ("--map", "point_id=Piste", "--map", "errands=Asioita"), "log.csv row 3, column Asioita (errands): found '0'"),
    (HEADER + GOOD + "mikkeli,kela,2014-03-05 09:12,,,1,counter,extra\n", (),
     "log.csv row 3: cannot be read: the row has 8 cells; expected 7"),
    (HEADER + GOOD + "mikkeli,k\udcc4la,2014-03-05 09:12,,,1,counter\n", (), "log.csv row 3: cannot be read: a cell is not UTF-8"),
])
def test_a_bad_log_exits_2_naming_file_row_and_column(tmp_path, text, options, expected):
    result = run(tmp_path, text, *options)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_log_of_other_points_is_rejected_with_the_exclusions(tmp_path):
    text = HEADER + GOOD + "helsinki,kela,2014-03-05 09:12,,,1,counter\n" + "mikkeli,ely,2014-03-05 09:12,,,1,counter\n"
    result = run(tmp_path, text)
    assert result.exit_code == 2
    assert "log.csv row 3, column point_id: excluded 1 row: the point is not in points.csv" in result.output
    assert "log.csv row 4, column provider_id: excluded 1 row: the provider is not in providers.csv" in result.output
    assert "2 of 3 rows (66.7%) would be excluded" in result.output


def test_exclusions_are_counted_by_kind_with_their_first_row(tmp_path):
    scenario, _ = load_scenario(PILOTS)
    rows = [GOOD] * 1 + [
        "mikkeli,kela,2014-03-05 09:30,2014-03-05 09:35,2014-03-05 09:40,1,counter\n",
        "mikkeli,kela,2014-03-05 09:30,2014-03-05 09:35,2014-03-05 09:40,1,counter\n",  # row 4: duplicate of row 3
        "mikkeli,kela,2014-03-05 10:00,2014-03-05 10:05,2014-03-05 09:59,1,counter\n",  # row 5: finished before called
        "mikkeli,kela,2014-03-05 11:00,2014-03-05 10:55,,1,counter\n",  # row 6: called before arrival
        "mikkeli,kela,2014-03-05 17:30,,,1,counter\n",  # row 7: after closing (16:00)
        "mikkeli,kela,2014-12-25 10:00,,,1,counter\n",  # row 8: Christmas Day
        "tampere,kela,2014-03-05 10:00,,,1,counter\n",  # row 9: unknown point
    ]
    path = tmp_path / "log.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    records = read_records([path], scenario, max_excluded=1.0)
    try:
        found = {e.kind: (e.count, e.row, e.column) for e in records.exclusions}
        assert found == {"duplicate": (1, 4, "arrived_at"), "finished_before_called": (1, 5, "finished_at"),
                         "called_before_arrival": (1, 6, "called_at"), "outside_opening_hours": (2, 7, "arrived_at"),
                         "unknown_point": (1, 9, "point_id")}
        assert records.rows_read == 8 and records.rows_used == 2
    finally:
        records.close()


def test_customers_of_the_same_minute_in_a_minute_only_export_are_not_duplicates(tmp_path):
    """Two tickets drawn at 09:30 with nothing else recorded are two customers; with seconds, a repeat is a duplicate."""
    scenario, _ = load_scenario(PILOTS)
    path = tmp_path / "log.csv"
    path.write_text(HEADER + GOOD + "mikkeli,kela,2014-03-05 09:30,,,1,counter\n" * 3
                    + "mikkeli,kela,2014-03-05 10:30:17,,,1,counter\n" * 2, encoding="utf-8")
    records = read_records([path], scenario, max_excluded=1.0)
    try:
        found = {e.kind: (e.count, e.row) for e in records.exclusions}
        assert found == {"duplicate": (1, 7)}  # the 10:30:17 repeat only
        assert records.rows_used == 5
    finally:
        records.close()


def test_a_finnish_excel_export_with_a_mapping_is_read(tmp_path):
    """`;` between cells, Finnish dates and clock times, other column names and service names."""
    scenario, _ = load_scenario(PILOTS)
    path = tmp_path / "jonotus.csv"
    path.write_text("Palvelupiste;Palvelu;Saapunut;Kutsuttu;Valmis;Asioita\n"
                    "mikkeli;Kela-asiat;5.3.2014 9:12;9:15;9:22;1,0\n"
                    "mikkeli;Verohallinto;5.3.2014 10:01;10:02;10:09;2\n", encoding="utf-8")
    mapping = Mapping({"point_id": "Palvelupiste", "provider_id": "Palvelu", "arrived_at": "Saapunut",
                       "called_at": "Kutsuttu", "finished_at": "Valmis", "errands": "Asioita"},
                      {"provider_id": {"Kela-asiat": "kela", "Verohallinto": "vero"}})
    records = read_records([path], scenario, mapping)
    try:
        visits = records.df("SELECT provider_id, wait_min, service_min, errands FROM visits ORDER BY arrived_at")
        assert visits.values.tolist() == [["kela", 3.0, 7.0, 1], ["vero", 1.0, 7.0, 2]]
    finally:
        records.close()


def test_excel_files_are_read(tmp_path):
    import pandas as pd

    scenario, _ = load_scenario(PILOTS)
    path = tmp_path / "log.xlsx"
    pd.DataFrame({"point_id": ["mikkeli"], "provider_id": ["kela"], "arrived_at": ["2014-03-05 09:12"]}).to_excel(
        path, index=False)
    records = read_records([path], scenario)
    try:
        assert records.rows_used == 1
    finally:
        records.close()


SPLIT = "Palvelupiste;Palvelu;Päivä;Saapumisaika;Kutsuttu;Valmis\n"
SPLIT_MAP = ("--map", "point_id=Palvelupiste", "--map", "provider_id=Palvelu", "--map",
             "arrived_at=Päivä + Saapumisaika", "--map", "called_at=Päivä + Kutsuttu", "--map", "finished_at=Päivä + Valmis")


def test_a_date_and_a_time_column_are_read_as_one_date_time(tmp_path):
    """A queue-system export with the day in one column and the clock times in others (mapped "Päivä + Aika")."""
    scenario, _ = load_scenario(PILOTS)
    path = tmp_path / "jonotus.csv"
    path.write_text(SPLIT + "mikkeli;kela;5.3.2014;9.12;9:15;9:22:30\n"
                    "mikkeli;kela;2014-03-06;10:01;;\n", encoding="utf-8")
    mapping = Mapping({"point_id": "Palvelupiste", "provider_id": "Palvelu", "arrived_at": "Päivä + Saapumisaika",
                       "called_at": "Päivä + Kutsuttu", "finished_at": "Päivä + Valmis"})
    records = read_records([path], scenario, mapping)
    try:
        visits = records.df("SELECT CAST(arrived_at AS VARCHAR) AS arrived, coalesce(wait_min, -1) AS wait, "
                            "coalesce(service_min, -1) AS service, abandoned FROM visits ORDER BY arrived_at")
        assert visits.values.tolist() == [["2014-03-05 09:12:00", 3.0, 7.5, False],
                                          ["2014-03-06 10:01:00", -1.0, -1.0, True]]
    finally:
        records.close()


@pytest.mark.parametrize(("row", "expected"), [
    ("mikkeli;kela;5.3.2014;25:70;;\n", "jonotus.csv row 3, column Saapumisaika: found '25:70'; expected a clock time"),
    ("mikkeli;kela;35.3.2014;9:12;;\n", "jonotus.csv row 3, column Päivä: found '35.3.2014'; expected a date"),
    ("mikkeli;kela;5.3.2014;9:12;9:61;\n", "jonotus.csv row 3, column Kutsuttu: found '9:61'; expected a clock time"),
    (";kela;;;;\n", "jonotus.csv row 3, column Päivä + Saapumisaika (arrived_at): the value is missing"),
])
def test_a_bad_date_or_time_of_a_split_column_names_its_own_column(tmp_path, row, expected):
    result = run(tmp_path, SPLIT + "mikkeli;kela;5.3.2014;9:12;9:15;9:22\n" + row, *SPLIT_MAP, name="jonotus.csv")
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert result.output.count(expected.split(":")[0] + ":") == 1  # a shared date column is reported once
    assert not (tmp_path / "out").exists()


def test_a_split_mapping_naming_a_missing_column_is_an_error(tmp_path):
    text = "Palvelupiste;Palvelu;Pvm;Saapumisaika\nmikkeli;kela;5.3.2014;9:12\n"
    result = run(tmp_path, text, "--map", "point_id=Palvelupiste", "--map", "provider_id=Palvelu", "--map",
                 "arrived_at=Päivä + Saapumisaika", name="jonotus.csv")
    assert result.exit_code == 2, result.output
    assert "jonotus.csv row 1, column Päivä: the mapping reads the date of arrived_at from 'Päivä'" in result.output


def test_only_a_date_time_column_may_join_two_columns(tmp_path):
    result = run(tmp_path, HEADER + GOOD, "--map", "point_id=Kunta + Piste")
    assert result.exit_code == 2
    assert "point_id = 'Kunta + Piste' joins two columns" in result.output


def test_a_failed_fit_leaves_the_previous_variant_intact(tmp_path, monkeypatch):
    """One writer: a run that fails while writing (here the second file) leaves the earlier output as it was."""
    from planner.outputs import writer

    assert run(tmp_path, HEADER + GOOD).exit_code == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    assert "baseline_demand.csv" in before and "fit.json" in before
    written = []

    def failing(target, content):
        written.append(target)
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        return original(target, content)

    original = writer.write_file
    monkeypatch.setattr(writer, "write_file", failing)
    # Another log: every file of its variant differs from the first run's (variant.toml counts the visits).
    (tmp_path / "log.csv").write_text(HEADER + GOOD + GOOD.replace("09:", "10:"), encoding="utf-8")
    result = CliRunner().invoke(main, ["fit", str(tmp_path / "log.csv"), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0 and len(written) == 2
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []  # no staging or lock left
