"""Counts say what they count, and every country the report names has its view.

Expected figures are typed in from the report: Geretsried (Germany) is LEAD project 13,
decarbonisation project 3 (脱炭素に向けた支援実績) and a major project (主な引受プロジェクト);
Egypt's Gulf of Suez 2 expansion is LEAD 15, decarbonisation 7 and a major project.
"""

from pathlib import Path

import pandas as pd
import pytest

from nexidash import db
from nexidash.schema import TABLES
from nexidash.view import View

CSV = Path(__file__).resolve().parents[1] / "data" / "tables"


@pytest.fixture(scope="module")
def index():
    return db.run("country_index").set_index("iso3")


@pytest.mark.parametrize("iso3, projects, lead, decarbonisation, major", [
    ("DEU", 1, 1, 1, 1),  # one project in three lists
    ("EGY", 4, 4, 1, 1),  # LEAD 5, 7, 8 and 15; 15 is also in the other two lists
    ("KEN", 2, 0, 3, 1),  # a solar supply case, and Menengai in two decarbonisation rows
])
def test_a_project_in_several_lists_counts_once(index, iso3, projects, lead, decarbonisation,
                                                major):
    """Test that the index and the country view count distinct projects, with each list's
    entries beside them."""
    row = index.loc[iso3]
    assert (row["projects"], row["lead"], row["decarbonisation"], row["major"]) == (
        projects, lead, decarbonisation, major)
    from pages import country

    blocks = country.build(View("en", fixed={"iso3": iso3}))
    name = row["name_en"]
    headings = [b.text for b in blocks if type(b).__name__ == "Heading"]
    assert f"Projects in {name} ({projects})" in headings
    captions = [b.text for b in blocks if type(b).__name__ == "Caption"]
    assert any(f"{lead} LEAD, {decarbonisation} decarbonisation, {major} major" in c
               and f"({lead + decarbonisation + major} in all)" in c for c in captions)


def test_index_and_country_view_key_projects_alike(index):
    """Test that for every country the index's counts are the country view's rows: distinct
    projects and entries per list (the two queries key projects the same way)."""
    for iso3, row in index.iterrows():
        rows = db.run("country_projects", iso3=iso3)
        assert row["projects"] == rows["project"].nunique(), iso3
        for kind in ("lead", "decarbonisation", "major"):
            assert row[kind] == (rows["kind"] == kind).sum(), (iso3, kind)


def test_every_country_any_table_names_is_in_the_index(index):
    """Test that each iso3 in any column of any report table (host and site of major projects,
    offices, SME destinations included) is a named country of the index, so it has its view
    and its static page."""
    named = set(index.index[index["mentions"] > 0])
    found = 0
    for table in TABLES:
        if table.name == "country_regions":  # the map's reference list, not a report table
            continue
        frame = pd.read_csv(CSV / f"{table.name}.csv", dtype=str, keep_default_na=False)
        for col in table.columns:
            if col.kind != "iso3":
                continue
            codes = set(frame[col.name]) - {""}
            assert codes <= named, (table.name, col.name, sorted(codes - named))
            found += len(codes)
    assert found > 60
    mapped = set(db.run("project_places")["iso3"].dropna())
    assert mapped <= named, sorted(mapped - named)
