"""Intervals instead of blanks, and group disclosure both ways (issue 22, items 2 and 4).

A count that cannot be shown exactly is published as a fixed band ("5 or fewer", "at least 20", "6 to 11")
where the audit, with the band as a constraint, still passes; everyone in a row with the same personal
outcome, favourable too, is given as "all or all but a few". Expected tables are worked out by hand here.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from pmreport.disclosure import GOVERNOR_POLICY, DisclosureGate, Microdata, audit
from pmreport.disclosure.intervals import band
from pmreport.disclosure.tables import CellSpec
from tests.support.forgery import count_query, everyone, forge_table, people_frame

BINARY = count_query("assessment", ["met", "not_met"], ["not_met"])
COLUMNS = [("Number of staff", "size"), ("Met", "count"), ("Not met", "count")]


def _md(met: int, not_met: int) -> Microdata:
    return Microdata(people_frame([({"assessment": "met", "has_review": "yes"}, met),
                                   ({"assessment": "not_met", "has_review": "yes"}, not_met)]))


def _specs() -> list[list[CellSpec | None]]:
    members = everyone()
    return [[CellSpec("size", BINARY, members)] + [CellSpec("count", BINARY, members, (c,)) for c in BINARY.categories]]


def texts(table) -> list[str]:
    return [c.text for c in table.cells[0]]


@pytest.mark.parametrize(("size", "value", "expected"), [
    (111, 2, (0, 5)),      # every small number: "5 or fewer"
    (111, 109, (106, 111)),  # everyone or all but a few: "at least 106"
    (111, 37, (36, 41)),   # bands of 6 from 6 upwards: 6-11, 12-17, ..., 36-41
    (111, 101, (96, 105)),  # the last band below the top takes what is left (96 to 105)
    (26, 26, (21, 26)),
    (12, 7, (6, 12)),      # 12 people: too few between 5 and 7 for a band of 6, so the top band starts at 6
    (3, 1, None),          # "3 or fewer" of 3 says nothing: stays [c]
])
def test_bands_by_hand(size, value, expected):
    assert band(value, size, 5) == expected


def test_bands_split_the_numbers_so_a_band_depends_on_the_count_alone():
    for size in range(0, 160):
        for value in range(size + 1):
            found = band(value, size, 5)
            if found is None:
                continue
            low, high = found
            assert low <= value <= high
            assert all(band(w, size, 5) == found for w in range(low, high + 1))
            assert high - low >= 5 or (high == size and low == 6)  # at least 6 numbers, bar a row of 7 to 11


def test_a_small_number_is_given_as_its_band():
    """25 staff, 22 met and 3 did not: 3 is hidden and its row partner with it; as bands, "5 or fewer" (0-5) and
    "at least 20" (20-25), which together leave the 3 anywhere from 0 to 5: as uncertain as [c] had to be."""
    md = _md(22, 3)
    gate = DisclosureGate(md)
    table = gate.frequency("assessment", categories=["met", "not_met"])
    assert texts(table) == ["25", "at least 20", "5 or fewer"]
    public = table.to_public_dict()["rows"][0]["cells"]
    assert public[2] == {"low": 0, "high": 5, "text": "5 or fewer", "shown": "interval"}
    result = gate.audit()
    assert result.passed
    assert {(r.column, r.low, r.high) for r in result.ranges} == {("Met", 20, 25), ("Not met", 0, 5)}
    assert any("range it lies in" in note for note in table.footnotes)


def test_everyone_with_the_same_favourable_outcome_is_all_or_all_but_a_few():
    """25 of 25 met: shown exactly, it tells every governor each person's outcome. Given as "at least 20" and
    "5 or fewer" instead."""
    md = _md(25, 0)
    assert texts(DisclosureGate(md).frequency("assessment", categories=["met", "not_met"])) == \
        ["25", "at least 20", "5 or fewer"]
    classic = replace(GOVERNOR_POLICY, intervals=False, hide_unanimous=False)
    assert texts(DisclosureGate(md, classic).frequency("assessment", categories=["met", "not_met"])) == ["25", "25", "0"]
    # and unfavourable: 25 of 25 did not meet them
    assert texts(DisclosureGate(_md(0, 25)).frequency("assessment", categories=["met", "not_met"])) == \
        ["25", "5 or fewer", "at least 20"]


def test_a_whole_school_process_figure_stays_exact_when_everyone_had_it():
    """All 25 had a review: what the school did, published exactly (no unanimity rule for process figures)."""
    table = DisclosureGate(_md(25, 0)).frequency("has_review", categories=["yes", "no"], adverse="no", public=True)
    assert texts(table) == ["25", "25", "0"]


def test_the_audit_fails_unanimity_published_exactly():
    md = _md(25, 0)
    forged = forge_table("Assessment", ["All"], COLUMNS, [[25, 25, 0]], _specs())
    codes = {f.code for f in audit([forged], md).failures}
    assert {"unanimous_published", "unanimous_outcome"} <= codes
    assert audit([forge_table("Assessment", ["All"], COLUMNS, [[25, (20, 25), (0, 5)]], _specs())], md).passed


def test_the_audit_treats_bands_as_constraints():
    """10 staff, 8 met and 2 did not. The bands "at least 6" (6-10) and "5 or fewer" (0-5) together say the
    2 is from 0 to 4: narrower than 5, so the audit fails them; either band alone leaves 0 to 5 and passes."""
    md = _md(8, 2)
    both = forge_table("Assessment", ["All"], COLUMNS, [[10, (6, 10), (0, 5)]], _specs())
    result = audit([both], md)
    assert not result.passed and "hidden_recoverable" in {f.code for f in result.failures}
    assert audit([forge_table("Assessment", ["All"], COLUMNS, [[10, "c", (0, 5)]], _specs())], md).passed
    # the gate finds the same: it gives the small one's band only
    assert texts(DisclosureGate(md).frequency("assessment", categories=["met", "not_met"])) == \
        ["10", "[c]", "5 or fewer"]
    # a band is checked against the data like a figure shown exactly
    wrong = forge_table("Assessment", ["All"], COLUMNS, [[10, "c", (3, 8)]], _specs())
    assert "inconsistent" in {f.code for f in audit([wrong], md).findings}
