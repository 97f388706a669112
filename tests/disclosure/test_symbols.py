"""Symbols as the Government Statistical Service uses them: [c] only for confidentiality; a percentage of too
few people is [u] (low reliability), never [c]; the method section explains every symbol used."""

from __future__ import annotations

import datetime as dt

from pmreport.disclosure import DisclosureGate, Microdata
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


def test_c_only_where_something_is_kept_confidential():
    """In a whole report, a percentage shows [c] only where the count it is a share of is hidden too, and the
    method section explains every symbol the tables use."""
    school = generate("primary", seed=15, n_staff=15, cycles=2)
    report = publish(governors_content(school.data, salt="s"), dt.date(2027, 1, 15))
    used = set()
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
                    if cells[p].get("symbol") == "c":  # the count is hidden too, or given only as a band
                        assert cells[k].get("symbol") == "c" or cells[k]["shown"] == "interval", (t["id"], row["label"])
    assert "u" in used  # a 15-staff school has percentages of fewer than 20 people
    for symbol in used:
        assert f"[{symbol}]" in report["method"], symbol
