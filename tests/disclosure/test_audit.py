"""The adversarial audit: it must find disclosure in unsafe tables (so it can fail) and none in the gate's."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from pmreport.disclosure import GOVERNOR_POLICY, DisclosureGate, DisclosureRisk, Microdata, Population, audit
from pmreport.disclosure.query import Group, Members, Query
from pmreport.disclosure.tables import CellSpec
from tests.support.forgery import count_query, everyone, forge_table, microdata, people_frame

ASSESS = count_query("assessment", ["met", "partly_met", "not_met"], ["partly_met", "not_met"])
BINARY = count_query("assessment", ["met", "not_met"], ["not_met"])
ALL = "All staff"


def frequency_specs(query: Query, members: Members) -> list[CellSpec | None]:
    return [CellSpec("size", query, members)] + [CellSpec("count", query, members, (c,)) for c in query.categories]


def codes(findings) -> list[str]:
    return sorted({f.code for f in findings})


def test_a_hidden_cell_recoverable_from_the_row_total_is_found():
    """25 staff: 22 met shown, 3 partly met hidden, 0 not met shown: 3 = 25 - 22 - 0."""
    md = microdata([({"assessment": "met"}, 22), ({"assessment": "partly_met"}, 3)])
    table = forge_table("Assessment", [ALL], [("Staff", "size"), ("Met", "count"), ("Partly met", "count"),
                                              ("Not met", "count")],
                        [[25, 22, "c", 0]], [frequency_specs(ASSESS, everyone())])
    result = audit([table], md)
    assert not result.passed
    assert "hidden_recoverable" in codes(result.findings)
    assert [(r.column, r.low, r.high) for r in result.ranges] == [("Partly met", 3, 3)]
    with pytest.raises(DisclosureRisk):
        result.raise_for_failure()


def test_a_hidden_cell_recoverable_from_a_column_total_is_found():
    """By sex, only female 'not met' (3) hidden: the column total 8 minus male 5 gives it."""
    md = microdata([({"sex": "female", "assessment": "met"}, 9), ({"sex": "female", "assessment": "not_met"}, 3),
                    ({"sex": "male", "assessment": "met"}, 8), ({"sex": "male", "assessment": "not_met"}, 5)])
    q = replace(BINARY, by="sex")
    female = Members("2025/26", q.population, Group("sex", ("female",), "Female"))
    male = Members("2025/26", q.population, Group("sex", ("male",), "Male"))
    table = forge_table("By sex", [ALL, "Female", "Male"], [("Staff", "size"), ("Met", "count"), ("Not met", "count")],
                        [[25, 17, 8], [12, "c", "c"], [13, 8, 5]],
                        [frequency_specs(q, everyone()), frequency_specs(q, female), frequency_specs(q, male)])
    result = audit([table], md)
    assert "hidden_recoverable" in codes(result.findings)
    assert {(r.row, r.column): (r.low, r.high) for r in result.ranges} == {("Female", "Met"): (9, 9),
                                                                          ("Female", "Not met"): (3, 3)}


def test_two_tables_that_difference_out_one_person_are_found():
    """All 26 staff: 20 met, 6 not. The 25 teachers: 20 met, 5 not. So the one non-teacher did not meet them.

    Each table alone obeys every rule (cells of at least 5); together they identify one person.
    """
    frame = people_frame([({"role_group": "teacher", "assessment": "met"}, 20),
                          ({"role_group": "teacher", "assessment": "not_met"}, 5),
                          ({"role_group": "support", "assessment": "not_met"}, 1)])
    md = Microdata(frame)
    teachers = Population.of("teachers", role_group="teacher")
    q_teachers = replace(BINARY, population=teachers)
    whole = forge_table("All staff", [ALL], [("Staff", "size"), ("Met", "count"), ("Not met", "count")],
                        [[26, 20, 6]], [frequency_specs(BINARY, everyone())])
    part = forge_table("Teachers", ["All teachers"], [("Staff", "size"), ("Met", "count"), ("Not met", "count")],
                       [[25, 20, 5]], [frequency_specs(q_teachers, Members("2025/26", teachers))])
    assert audit([whole], md).passed and audit([part], md).passed
    result = audit([whole, part], md)
    assert not result.passed
    assert codes(result.findings) == ["group_disclosure"]
    assert "1 person" in result.findings[0].message
    # The gate, asked for the same two tables, publishes nothing that differences out.
    gate = DisclosureGate(md)
    gate.frequency("assessment", categories=["met", "not_met"])
    gate.frequency("assessment", categories=["met", "not_met"], population=teachers)
    assert gate.audit().passed


def test_a_favourable_outcome_differenced_out_for_one_person_is_found_too():
    frame = people_frame([({"role_group": "teacher", "assessment": "met"}, 20),
                          ({"role_group": "teacher", "assessment": "not_met"}, 5),
                          ({"role_group": "support", "assessment": "met"}, 1)])
    md = Microdata(frame)
    teachers = Population.of("teachers", role_group="teacher")
    whole = forge_table("All staff", [ALL], [("Staff", "size"), ("Met", "count"), ("Not met", "count")],
                        [[26, 21, 5]], [frequency_specs(BINARY, everyone())])
    part = forge_table("Teachers", ["All teachers"], [("Staff", "size"), ("Met", "count"), ("Not met", "count")],
                       [[25, 20, 5]], [frequency_specs(replace(BINARY, population=teachers),
                                                       Members("2025/26", teachers))])
    # "all met" of the one support member: the governors' unanimity rule names it (any size); without that rule, a
    # favourable outcome of fewer than 10 people is found as an individual outcome
    assert codes(audit([whole, part], md).findings) == ["unanimous_outcome"]
    classic = replace(GOVERNOR_POLICY, hide_unanimous=False)
    assert codes(audit([whole, part], md, classic).findings) == ["individual_outcome"]


def test_a_group_of_one_is_found():
    md = microdata([({"disability": "yes", "assessment": "not_met"}, 1), ({"disability": "no", "assessment": "met"}, 15),
                    ({"disability": "no", "assessment": "not_met"}, 9)])
    q = replace(BINARY, by="disability")
    yes = Members("2025/26", q.population, Group("disability", ("yes",), "Disabled"))
    no = Members("2025/26", q.population, Group("disability", ("no",), "Not disabled"))
    table = forge_table("By disability", [ALL, "Disabled", "Not disabled"],
                        [("Staff", "size"), ("Met", "count"), ("Not met", "count")],
                        [[25, 15, 10], [1, 0, 1], [24, 15, 9]],
                        [frequency_specs(q, everyone()), frequency_specs(q, yes), frequency_specs(q, no)])
    result = audit([table], md)
    assert codes(result.findings) == ["group_disclosure", "group_disclosure_published", "group_too_small",
                                      "small_figure_published"]


def test_a_published_group_disclosure_is_found():
    md = microdata([({"sex": "female", "assessment": "met"}, 15), ({"sex": "male", "assessment": "not_met"}, 10)])
    q = replace(BINARY, by="sex")
    female = Members("2025/26", q.population, Group("sex", ("female",), "Female"))
    male = Members("2025/26", q.population, Group("sex", ("male",), "Male"))
    table = forge_table("By sex", [ALL, "Female", "Male"], [("Staff", "size"), ("Met", "count"), ("Not met", "count")],
                        [[25, 15, 10], [15, 15, 0], [10, 0, 10]],
                        [frequency_specs(q, everyone()), frequency_specs(q, female), frequency_specs(q, male)])
    assert {"group_disclosure", "group_disclosure_published"} <= set(codes(audit([table], md).findings))


def test_small_breakdowns_percentages_and_year_changes_break_the_rules():
    md = microdata([({"sex": "female", "assessment": "met"}, 10), ({"sex": "male", "assessment": "met"}, 9)])
    q = replace(BINARY, by="sex")
    female = Members("2025/26", q.population, Group("sex", ("female",), "Female"))
    table = forge_table("By sex", [ALL, "Female"], [("Staff", "size"), ("Met", "count"), ("Met %", "percent")],
                        [[19, 19, 100], [10, 10, 100]],
                        [[CellSpec("size", q, everyone()), CellSpec("count", q, everyone(), ("met",)),
                          CellSpec("percent", q, everyone(), ("met",), base=5)],
                         [CellSpec("size", q, female), CellSpec("count", q, female, ("met",)),
                          CellSpec("percent", q, female, ("met",), base=5)]])
    found = codes(audit([table], md).findings)
    assert {"breakdown_in_small_school", "group_too_small", "percentage_small_base"} <= set(found)


def test_a_year_on_year_change_for_a_group_that_changed_by_two_is_found():
    first = people_frame([({"assessment": "met"}, 20), ({"assessment": "not_met"}, 5)], cycle="2024/25")
    second = people_frame([({"assessment": "met"}, 20), ({"assessment": "not_met"}, 5)], cycle="2025/26", start=1)
    md = Microdata(pd.concat([first, second], ignore_index=True))
    then, now = everyone("2024/25"), everyone("2025/26")
    table = forge_table("Change", [ALL], [("Met then", "count"), ("Met now", "count"), ("Change", "change")],
                        [[20, 20, 0]], [[CellSpec("count", BINARY, then, ("met",)), CellSpec("count", BINARY, now, ("met",)),
                                         CellSpec("change", BINARY, now, ("met",), earlier=then, change_unit="count")]])
    assert codes(audit([table], md).findings) == ["yoy_membership"]


def test_averages_that_difference_out_one_person_are_found():
    """Mean of 11 staff and of the 10 teachers among them, to 2 decimal places: the eleventh's value follows."""
    frame = people_frame([({"role_group": "teacher", "objectives_count": 3}, 10),
                          ({"role_group": "support", "objectives_count": 7}, 1)])
    md = Microdata(frame)
    teachers = Population.of("teachers", role_group="teacher")
    q_all = Query("objectives_count", Population("staff in scope of the policy"), statistic="mean")
    q_t = Query("objectives_count", teachers, statistic="mean")
    all_members = Members("2025/26", q_all.population, requires="objectives_count")
    t_members = Members("2025/26", teachers, requires="objectives_count")
    whole = forge_table("Average", [ALL], [("Average", "mean")], [[3.36]],
                        [[CellSpec("mean", q_all, all_members, decimals=2)]])
    part = forge_table("Average teachers", ["Teachers"], [("Average", "mean")], [[3.0]],
                       [[CellSpec("mean", q_t, t_members, decimals=2)]])
    assert codes(audit([whole, part], md).findings) == ["mean_recoverable"]
    # Rounded to 1 place: totals 36.85 to 37.95 and 29.5 to 30.5 leave the eleventh's value between 6.35
    # and 8.45, still within 10% of 7 on the low side (6.3): caught too.
    whole1 = forge_table("Average", [ALL], [("Average", "mean")], [[3.4]],
                         [[CellSpec("mean", q_all, all_members, decimals=1)]])
    part1 = forge_table("Average teachers", ["Teachers"], [("Average", "mean")], [[3.0]],
                        [[CellSpec("mean", q_t, t_members, decimals=1)]])
    assert codes(audit([whole1, part1], md).findings) == ["mean_recoverable"]
    # The gate, asked for the same pair, hides the second average.
    gate = DisclosureGate(md)
    gate.mean("objectives_count")
    second = gate.mean("objectives_count", population=teachers)
    assert [c.text for c in second.cells[0]] == ["10", "[c]"]
    assert gate.audit().passed


def test_a_colleague_who_knows_their_own_record_can_be_the_attacker():
    """40 staff: 1 met, 39 not met. Counts hidden, but '100% not met' shown (97.5% rounds up).

    An outsider learns 'not met' is 39 or 40. The one person who met knows it is not 40,
    so everyone else did not meet their objectives. (A lax protection level is used so that only
    the insider check can catch it.)
    """
    md = microdata([({"assessment": "met"}, 1), ({"assessment": "not_met"}, 39)])
    table = forge_table("Assessment", [ALL], [("Staff", "size"), ("Met", "count"), ("Not met", "count"),
                                              ("Not met %", "percent")],
                        [[40, "c", "c", 100]],
                        [frequency_specs(BINARY, everyone()) + [CellSpec("percent", BINARY, everyone(), ("not_met",),
                                                                         base=5)]])
    lax = replace(GOVERNOR_POLICY, protection_width=1)
    assert codes(audit([table], md, replace(lax, check_insider=False)).findings) == []
    assert codes(audit([table], md, lax).findings) == ["insider_group", "insider_recovery"]


def test_the_insider_check_can_demand_wider_ranges():
    """20 met, 4 partly met, 1 not met; the two small ones hidden (they add up to 5, enough for an outsider).

    The colleague who partly met knows the others' hidden figures add up to 4, so 'not met' is 0 to 4:
    narrower than a protection of 5 demanded of insiders too.
    """
    md = microdata([({"assessment": "met"}, 20), ({"assessment": "partly_met"}, 4), ({"assessment": "not_met"}, 1)])
    table = forge_table("Assessment", [ALL], [("Staff", "size"), ("Met", "count"), ("Partly met", "count"),
                                              ("Not met", "count")],
                        [[25, 20, "c", "c"]], [frequency_specs(ASSESS, everyone())])
    assert audit([table], md).passed
    strict = replace(GOVERNOR_POLICY, insider_protection_width=5)
    assert codes(audit([table], md, strict).findings) == ["insider_recovery"]


def test_tables_that_do_not_match_the_data_are_reported():
    md = microdata([({"assessment": "met"}, 20), ({"assessment": "not_met"}, 5)])
    table = forge_table("Assessment", [ALL], [("Staff", "size"), ("Met", "count"), ("Not met", "count")],
                        [[25, 19, 6]], [frequency_specs(BINARY, everyone())])
    assert "inconsistent" in codes(audit([table], md).findings)


def test_the_gate_output_passes_and_reports_every_hidden_range():
    md = microdata([({"sex": "female", "assessment": "met"}, 9), ({"sex": "female", "assessment": "not_met"}, 3),
                    ({"sex": "male", "assessment": "met"}, 8), ({"sex": "male", "assessment": "not_met"}, 5)])
    gate = DisclosureGate(md)
    gate.frequency("assessment", categories=["met", "not_met"])
    gate.frequency("assessment", categories=["met", "not_met"], by="sex")
    result = gate.audit()
    assert result.passed, result.summary()
    assert result.findings == ()
    assert len(result.ranges) == result.hidden == 4
    assert "passed" in result.summary()
    assert result.to_dict()["passed"] is True
    assert result.intervals == result.ranges
    assert [p["title"] for p in gate.publish()] == [t.title for t in gate.tables]
