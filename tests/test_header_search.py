"""Finding a sheet's table: the school sheet's label/value layout, down to a single pair."""

from __future__ import annotations

from pmreport.header_search import locate
from pmreport.reading import RawSheet
from pmreport.schema import schema


def _sheet(rows: list[list[object]]) -> RawSheet:
    return RawSheet("School Details", "school.xlsx", rows, list(range(1, len(rows) + 1)))


def test_the_academic_year_alone_is_a_school_sheet_of_label_and_value():
    """A head who types only "Academic Year | 2025/26" under a title has given everything the school sheet
    must hold (the policy's defaults give the dates)."""
    layout = locate(_sheet([["School details for appraisal"], [], ["Academic Year", "2025/26"]]), schema("school"))
    assert layout.key_value and layout.kv_rows == {"cycle": 2}


def test_a_label_with_nothing_beside_it_is_not_a_pair():
    """A one-column sheet headed "Cycle" (a table with its values below) is not read as label and value."""
    layout = locate(_sheet([["Cycle"], ["2025/26"]]), schema("school"))
    assert not layout.key_value


def test_several_pairs_are_label_and_value_as_before():
    layout = locate(_sheet([["URN", "123456"], ["School name", "Oakfield Primary"], ["Academic Year", "2025/26"]]),
                    schema("school"))
    assert layout.key_value and set(layout.kv_rows) == {"urn", "school_name", "cycle"}
