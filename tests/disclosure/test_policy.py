"""The policy's numbers, rounding and the rules' arithmetic, worked by hand."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from pmreport.disclosure import GOVERNOR_POLICY, UNION_POLICY, DisclosurePolicy, Microdata, MicrodataInvalid
from pmreport.disclosure.means import dominated
from pmreport.disclosure.query import Population, Query
from pmreport.disclosure.rounding import (
    count_range,
    mean_total_range,
    percent_count_range,
    rounded_count,
    rounded_mean,
    rounded_percent,
)
from pmreport.disclosure.sensitivity import refusal
from tests.support.forgery import people_frame


def test_governor_policy_is_the_agreed_default():
    p = GOVERNOR_POLICY
    assert (p.symbols.suppressed, p.symbols.low, p.symbols.not_available, p.symbols.not_applicable) == (
        "c", "low", "x", "z")
    assert p.min_cell == 5 and p.min_group == 10 and p.min_staff_for_breakdowns == 20
    assert p.percent_min_denominator == 20 and p.percent_rounding == 5
    assert p.mean_min_contributors == 10 and p.p_percent == 10 and (p.nk_n, p.nk_k) == (2, 90)
    assert p.yoy_min_membership_change == 5
    assert p.count_rounding is None and p.min_units_per_cell == 1
    assert p.protection == 5


def test_union_policy():
    p = UNION_POLICY
    assert p.min_cell == 10 and p.count_rounding == 5
    assert p.min_units_per_cell == 3 and p.max_unit_share == 0.5
    assert p.protection == 10


def test_union_percentages_whole_from_500_people():
    """The issue's trend: 92.81%, 92.54%, 92.04% of several thousand people print 93, 93, 92 (not 95, 95, 90);
    women 78.3% and men 80.8% print 78 and 81 (not both 80). Below 500 people, still to the nearest 5."""
    p = UNION_POLICY
    assert [p.percent_base(n) for n in (20, 499, 500, 40_000)] == [5, 5, 1, 1]
    assert [rounded_percent(c, 5000, p.percent_base(5000)) for c in (4640, 4627, 4602)] == [93, 93, 92]
    assert rounded_percent(783, 1000, p.percent_base(1000)) == 78 and rounded_percent(808, 1000, 1) == 81
    assert rounded_percent(313, 400, p.percent_base(400)) == 80  # 78.25% of 400
    assert GOVERNOR_POLICY.percent_base(40_000) == 5  # a school's figures keep their rounding
    assert percent_count_range(93, 5000, 1) == (4625, 4674)  # 92.5% to 93.5% of 5,000
    assert "nearest 1% where they are of 500 people or more" in p.percent_words()


def test_policy_is_checked_and_configurable():
    with pytest.raises(ValueError):
        DisclosurePolicy(min_cell=0)
    assert replace(GOVERNOR_POLICY, protection_width=3).protection == 3


@pytest.mark.parametrize(("count", "n", "shown"), [(17, 20, 85), (35, 40, 90), (7, 40, 20), (1, 41, "low"),
                                                   (0, 30, 0), (20, 20, 100), (39, 40, 100)])
def test_percentages_round_half_up_to_5(count, n, shown):
    """35/40 = 87.5% -> 90; 7/40 = 17.5% -> 20; 1/41 = 2.4% -> 0 but not zero -> low; 39/40 = 97.5% -> 100."""
    assert rounded_percent(count, n, 5) == shown


@pytest.mark.parametrize(("shown", "n", "counts"), [(85, 20, (17, 17)), (100, 40, (39, 40)), ("low", 41, (1, 1)),
                                                    (50, 25, (12, 13)), (0, 30, (0, 0))])
def test_the_counts_a_rounded_percentage_allows(shown, n, counts):
    """85% of 20: 82.5% to 87.5% is 16.5 to 17.5, so 17. 50% of 25: 11.875 to 13.125 -> 12 or 13."""
    assert percent_count_range(shown, n, 5) == counts


def test_counts_round_to_5_for_unions():
    assert [rounded_count(v, 5) for v in (12, 13, 2, 0, 88)] == [10, 15, "low", 0, 90]
    assert count_range(10, 5) == (8, 12)
    assert count_range("low", 5) == (1, 2)
    assert rounded_count(7, None) == 7 and count_range(7, None) == (7, 7)


def test_means_round_half_up_and_allow_a_range_of_totals():
    assert rounded_mean(37, 11, 1) == 3.4
    assert rounded_mean(25, 10, 1) == 2.5
    low, high = mean_total_range(3.4, 11, 1)
    assert (round(low, 6), round(high, 6)) == (36.85, 37.95)


@pytest.mark.parametrize(("values", "expected"), [
    ([100] + [1] * 9, True),   # p%: 109 - 100 - 1 = 8 < 10% of 100
    ([10] + [1] * 9, False),   # p%: 8 >= 1; NK: 11 <= 17.1
    ([50, 45, 1, 1, 1, 1, 1], True),  # NK: 95 > 90% of 100
    ([3] * 10, False),
    ([0] * 10, False),
])
def test_dominance_rules(values, expected):
    assert dominated(values, GOVERNOR_POLICY) is expected


def test_extremes_are_never_a_statistic():
    with pytest.raises(ValueError, match="never minima"):
        Query("objectives_count", Population("staff"), statistic="max")  # type: ignore[arg-type]


def test_sensitivity_comes_from_the_data_schemas():
    frame = people_frame([({"name": "A", "notes": "x", "meeting_date": pd.Timestamp("2025-10-01"),
                            "assessment": "met", "started": pd.Timestamp("2020-01-01")}, 3)])
    md = Microdata(frame)
    assert "directly" in refusal(md, "name")
    assert "free text" in refusal(md, "notes")
    assert "dates" in refusal(md, "meeting_date")
    assert "dates" in refusal(md, "started")
    assert "directly" in refusal(md, "person")
    assert refusal(md, "assessment") is None


def test_microdata_must_be_one_row_per_person_per_cycle():
    frame = people_frame([({"assessment": "met"}, 3)])
    with pytest.raises(MicrodataInvalid, match="more than one row"):
        Microdata(pd.concat([frame, frame]))
    with pytest.raises(MicrodataInvalid, match="key"):
        Microdata(frame.drop(columns=["person"]))


def test_other_is_an_ethnic_group_only_for_ethnicity():
    """'other' is a code of several fields (development area, appeal subject): only ethnicity calls it an ethnic group."""
    from pmreport.disclosure.labels import code_label, group_label

    assert code_label("other") == "Other"
    assert group_label("need_area", "other") == "Other"
    assert group_label("ethnicity_group", "other") == group_label("ethnicity", "other") == "Other ethnic group"
