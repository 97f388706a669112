"""Symbols as the Government Statistical Service uses them: [c] only for confidentiality; a percentage of too
few people is [u] (low reliability), never [c]; the method section explains every symbol used."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from pmreport.disclosure import GOVERNOR_POLICY, DisclosureGate, Microdata
from pmreport.disclosure.layout import percent_band_cell
from pmreport.jobs import governors_content
from pmreport.report import publish
from pmreport.synth import generate
from tests.support.forgery import people_frame


def test_a_percentage_of_few_people_is_unreliable_not_confidential():
    """13 met, 0 not met: both counts are safe to show, and their percentages are [u], not [c]."""
    md = Microdata(people_frame([({"assessment": "met", "has_review": "yes"}, 13)]))
    table = DisclosureGate(md).frequency("has_review", categories=["yes", "no"], adverse="no", percentages=True)
    assert [c.text for c in table.cells[0]] == ["13", "13", "0", "[u]", "[u]"]
    assert table.symbols_used() == {"u": "low reliability: a percentage of too few people to be meaningful"}
    assert any(note.startswith("[u] Low reliability") for note in table.footnotes)
    assert not any(note.startswith("[c]") for note in table.footnotes)


@pytest.mark.parametrize(("low", "high", "size", "text"), [
    (0, 5, 111, "up to 5%"),      # 5 of 111 is 4.5%: up to 5%
    (106, 111, 111, "95% or more"),  # 106 of 111 is 95.5%: 95% or more
    (36, 41, 111, "30% to 40%"),  # 32.4% to 36.9%, widened outwards to multiples of 5
    (18, 23, 23, "75% or more"),  # 78.3%: 75% or more
    (0, 5, 23, "up to 25%"),      # 21.7%: up to 25%
])
def test_a_percentage_beside_a_band_is_the_band_it_follows_from(low, high, size, text):
    """Worked out by hand: the band of people, as percentages of the row, widened outwards to a multiple of 5."""
    assert percent_band_cell((low, high), size, GOVERNOR_POLICY).text == text
    # it says no more than the band of people: every count the band allows is inside the band of percentages
    cell = percent_band_cell((low, high), size, GOVERNOR_POLICY)
    assert cell.interval is not None
    assert all(cell.interval[0] <= 100 * k / size <= cell.interval[1] for k in range(low, high + 1))
    # too few people for a percentage: [u]; a number of staff not shown exactly (rounded): [c]
    assert percent_band_cell((0, 5), 19, GOVERNOR_POLICY).text == "[u]"
    assert percent_band_cell((0, 5), 111, replace(GOVERNOR_POLICY, count_rounding=5)).text == "[c]"


def test_the_gate_gives_the_percentage_of_a_band_and_the_audit_still_passes():
    """25 staff: 22 met, 3 did not. The counts are "at least 20" and "5 or fewer"; their percentages (of 25) are
    80% or more and up to 20%, exactly what the bands of people say."""
    md = Microdata(people_frame([({"assessment": "met", "has_review": "yes"}, 22),
                                 ({"assessment": "not_met", "has_review": "yes"}, 3)]))
    gate = DisclosureGate(md)
    table = gate.frequency("assessment", categories=["met", "not_met"], percentages=True)
    assert [c.text for c in table.cells[0]] == ["25", "at least 20", "5 or fewer", "80% or more", "up to 20%"]
    assert table.to_public_dict()["rows"][0]["cells"][4] == {"low": 0, "high": 20, "text": "up to 20%",
                                                            "shown": "interval"}
    assert any("A percentage beside a range is a range too" in note for note in table.footnotes)
    assert gate.audit().passed


def test_c_only_where_something_is_kept_confidential():
    """In a whole report, a percentage shows [c] only where the count it is a share of is hidden too (beside a
    count given as a band it is a band too, or [u]), and the method section explains every symbol the tables use."""
    school = generate("primary", seed=15, n_staff=26, cycles=2)
    report = publish(governors_content(school.data, salt="s"), dt.date(2027, 1, 15))
    used = set()
    bands = 0
    for section in report["sections"]:
        for t in section["tables"]:
            kinds = [c["kind"] for c in t["columns"]]
            counts = [i for i, k in enumerate(kinds) if k == "count"]
            percents = [i for i, k in enumerate(kinds) if k == "percent"]
            for row in t["rows"]:
                cells = row["cells"]
                used |= {c["symbol"] for c in cells if "symbol" in c}
                if t["id"].startswith("trend-") or not counts:
                    continue
                # the i-th percentage column is the share of the count column it is labelled after
                for p in percents:
                    base = t["columns"][p]["label"].removesuffix(" (%)")
                    k = next(i for i in counts if t["columns"][i]["label"] == base)
                    if cells[p].get("symbol") == "c":  # the count is hidden too
                        assert cells[k].get("symbol") == "c", (t["id"], row["label"])
                    if "low" in cells[p]:  # a band of percentages only beside a band of people
                        assert "low" in cells[k], (t["id"], row["label"])
                        # and it says no more: every count the band of people allows is inside it
                        n = cells[0]["value"]
                        assert all(cells[p]["low"] <= 100 * x / n <= cells[p]["high"]
                                   for x in range(cells[k]["low"], cells[k]["high"] + 1)), (t["id"], row["label"])
                        bands += 1
    assert "u" in used  # a 26-staff school has percentages of fewer than 20 people (its breakdowns)
    assert bands  # and percentages beside counts given as bands
    assert "A percentage beside such a range is a range too" in report["method"]
    for symbol in used:
        assert f"[{symbol}]" in report["method"], symbol
