"""The return's equality sheet: one table per characteristic, groups of at least k, figures counted by hand;
format-1 returns (no equality sheet) upgraded on the way in; other formats refused by name."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from pmreport.union.cohort import make_cohort
from pmreport.union.equality_sheet import equality_rows, not_shown_share
from pmreport.union.ingest import ingest


def _people(rows: list[tuple[str, str, str, str, str, str]]) -> pd.DataFrame:
    """(role_group, fte_band, sex, disability, pay_eligible, pay_decision) per person, the rest fixed."""
    f = pd.DataFrame(rows, columns=["role_group", "fte_band", "sex", "disability", "pay_eligible", "pay_decision"])
    return f.assign(cycle="2025/26", ethnicity_group="white_other", age_band="30_39", pregnancy_maternity="no",
                    in_scope="yes")


def test_equality_rows_counted_by_hand():
    # 6 full-time teachers (2 men, one of them disabled), 5 part-time teachers, 4 support staff (3 full, 1 part)
    people = _people(
        [("teacher", "full_time", "male", "yes", "yes", "no_progress"),
         ("teacher", "full_time", "male", "no", "yes", "progress"),
         *[("teacher", "full_time", "female", "no", "yes", "progress")] * 3,
         ("headteacher", "full_time", "female", "no", "no", "not_recorded"),
         *[("teacher", "part_time_half_or_more", "female", "no", "yes", "progress")] * 4,
         ("teacher", "part_time_under_half", "female", "no", "yes", "no_progress"),
         *[("support", "full_time", "female", "no", "no", "not_recorded")] * 3,
         ("support", "part_time_half_or_more", "male", "not_known", "no", "not_recorded")])
    eq = equality_rows(people, 5)
    # support staff: 3 full-time and 1 part-time, so working pattern is not told apart for them, and 4 < 5 support
    # staff, so they join the smaller teaching group (part-time, 5) as role "any"
    sex = eq[eq["characteristic"] == "sex"].set_index(["value", "role_group", "working_pattern"])
    assert sex.loc[("male", "teaching", "full_time"), ["staff", "pay_decisions", "progressed"]].tolist() == [2, 2, 1]
    assert sex.loc[("female", "teaching", "full_time"), ["staff", "pay_decisions", "progressed"]].tolist() == [4, 3, 3]
    assert sex.loc[("female", "any", "any"), ["staff", "pay_decisions", "progressed"]].tolist() == [8, 5, 4]
    assert sex.loc[("male", "any", "any"), "staff"] == 1
    assert len(sex) == 4 and sex["staff"].sum() == 15
    groups = eq.groupby(["characteristic", "role_group", "working_pattern"])["staff"].sum().unstack("characteristic")
    assert (groups.nunique(axis=1) == 1).all() and groups.min().min() >= 5  # same groups in every table, each >= k
    dis = eq[eq["characteristic"] == "disability"].set_index(["value", "role_group", "working_pattern"])
    assert dis.loc[("yes", "teaching", "full_time"), ["staff", "progressed"]].tolist() == [1, 0]
    age = eq[eq["characteristic"] == "age_band"]
    assert set(age["value"]) == {"under_50"}  # sent only at the level analysed
    assert set(eq.loc[eq["characteristic"] == "ethnicity_group", "value"]) == {"white"}
    assert not_shown_share(eq, 15) == dict.fromkeys(not_shown_share(eq, 15), 0.0)
    assert equality_rows(people.head(4), 5).empty  # fewer than k staff: nothing about people


@pytest.fixture(scope="module")
def returns(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("eq")
    make_cohort(4, out / "returns", cycles=1, workers=1, seed=5)
    return out / "returns"


def _as_format(path: Path, target: Path, fmt: int, drop_equality: bool) -> Path:
    wb = openpyxl.load_workbook(path)
    if drop_equality:
        del wb["equality"]
    school = wb["school"]
    school.cell(row=2, column=[c.value for c in school[1]].index("return_format") + 1, value=fmt)
    wb.save(target)
    return target


def test_format_1_return_is_upgraded_and_format_3_refused(returns, tmp_path):
    files = sorted(returns.glob("*.xlsx"))
    folder = tmp_path / "in"
    folder.mkdir()
    _as_format(files[0], folder / "old.xlsx", 1, drop_equality=True)
    _as_format(files[1], folder / "future.xlsx", 3, drop_equality=False)
    _as_format(files[2], folder / "no-sheet.xlsx", 2, drop_equality=True)
    db = tmp_path / "u.duckdb"
    summary = ingest(folder, db, workers=1)
    assert summary.files_loaded == 1 and summary.balanced
    reasons = {Path(r.file).name: " ".join(r.reasons) for r in summary.rejections}
    assert "reads formats 1, 2" in reasons["future.xlsx"]
    assert "has no 'equality' sheet" in reasons["no-sheet.xlsx"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        people = con.execute("SELECT count(*) FROM people").fetchone()[0]
        per = dict(con.execute("SELECT characteristic, sum(staff) FROM equality GROUP BY 1").fetchall())
        wb = openpyxl.load_workbook(files[0], read_only=True)
        sent = list(wb["equality"].values)[1:]
    finally:
        con.close()
    assert people > 0 and set(per.values()) == {people}  # every table counts every person once
    # made from the k-anonymous people sheet: never more detailed than what the school itself sends
    assert len([r for r in sent if r[1] == "sex"]) >= 1


def test_uneven_not_shown_is_warned_about():
    from pmreport.disclosure import UNION_POLICY
    from pmreport.union.analysis.coverage import not_shown

    rows = []
    for i in range(6):
        phase = "primary" if i < 3 else "secondary"
        hidden = 10 if phase == "primary" else 1
        rows += [{"urn": f"U{i}", "phase": phase, "size_band": "20_to_49", "value": "not_shown", "staff": hidden},
                 {"urn": f"U{i}", "phase": phase, "size_band": "20_to_49", "value": "female", "staff": 20 - hidden}]
    table, warnings = not_shown({"sex": pd.DataFrame(rows)}, {"sex": "sex"}, UNION_POLICY)
    row = table.iloc[0].to_dict()
    # by hand: 33 of 120 = 27.5%; primary 30 of 60 = 50%; secondary 3 of 60 = 5%
    assert row["All schools"] == "28%" and row["Primary"] == "50%" and row["Secondary"] == "5%"
    assert warnings == ["Sex is not shown for 50% of staff in primary schools and 5% in secondary schools: "
                        "comparisons by sex lean towards the schools where it is shown."]
    even = pd.DataFrame([r | {"staff": 20 if r["value"] == "female" else 0} for r in rows])
    assert not_shown({"sex": even}, {"sex": "sex"}, UNION_POLICY)[1] == []


def test_store_views_and_version(returns, tmp_path):
    from pmreport.errors import PmreportError
    from pmreport.union.analysis.source import from_store
    from pmreport.union.store_views import STORE_VERSION, VIEWS

    db = tmp_path / "u.duckdb"
    assert ingest(returns, db, workers=1).files_loaded == 4
    con = duckdb.connect(str(db))
    try:
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        assert set(VIEWS) <= views
        assert con.execute("SELECT value FROM store_info WHERE key = 'store_version'").fetchone()[0] == str(STORE_VERSION)
        people = con.execute("SELECT count(*) FROM people").fetchone()[0]
        # every characteristic counts every person once; values only at the level analysed
        per = con.execute("SELECT characteristic, sum(staff) FROM pay_by_characteristic GROUP BY 1").fetchall()
        assert len(per) == 6 and {n for _, n in per} == {people}
        ages = {r[0] for r in con.execute("SELECT DISTINCT value FROM pay_by_characteristic "
                                          "WHERE characteristic = 'age_band'").fetchall()}
        assert ages <= {"under_50", "50_and_over", "not_known", "not_shown"}
        patterns = {r[0] for r in con.execute("SELECT DISTINCT working_pattern FROM people_analysed").fetchall()}
        assert patterns <= {"full_time", "part_time", "not_known", "not_shown"}
        # the school summary agrees with the people table, school by school
        mismatch = con.execute("""SELECT count(*) FROM school_summary s JOIN (SELECT urn, cycle,
            count(*) FILTER (WHERE pay_eligible = 'yes' AND pay_decision = 'progress') AS p FROM people GROUP BY 1, 2) q
            USING (urn, cycle) WHERE s.progressed <> q.p""").fetchone()[0]
        assert mismatch == 0
        assert con.execute("SELECT count(*) FROM current_returns").fetchone()[0] == 4
        # a store from before versions were kept is upgraded when next loaded into
        con.execute("DROP TABLE store_info")
        for name in VIEWS:
            con.execute(f"DROP VIEW {name}")
    finally:
        con.close()
    ingest(returns, db, workers=1)  # nothing new to load, but the store is brought up to date
    con = duckdb.connect(str(db))
    try:
        assert con.execute("SELECT value FROM store_info WHERE key = 'store_version'").fetchone()[0] == str(STORE_VERSION)
        assert con.execute("SELECT count(*) FROM pay_by_characteristic").fetchone()[0] > 0
        con.execute("UPDATE store_info SET value = '99' WHERE key = 'store_version'")  # made by a later pmreport
    finally:
        con.close()
    for attempt in (lambda: ingest(returns, db, workers=1), lambda: from_store(db)):
        with pytest.raises(PmreportError, match="made by a later version of pmreport"):
            attempt()


def test_sex_within_a_working_pattern_counts_only_that_pattern():
    from pmreport.union.analysis.equality import microdata_frame, pay_counts_within

    frame = pd.DataFrame([  # one school: part-time women 6 decided 3 progressed; part-time men 4 decided 4 progressed
        ("2025/26", "U1", "primary", "20_to_49", "Kent", "female", "teaching", "part_time", 8, 8, 6, 3),
        ("2025/26", "U1", "primary", "20_to_49", "Kent", "male", "teaching", "part_time", 5, 5, 4, 4),
        ("2025/26", "U1", "primary", "20_to_49", "Kent", "female", "teaching", "full_time", 9, 9, 9, 9),
        ("2025/26", "U1", "primary", "20_to_49", "Kent", "female", "any", "any", 7, 7, 2, 1)],
        columns=["cycle", "urn", "phase", "size_band", "local_authority", "value", "role_group", "working_pattern",
                 "staff", "in_scope", "pay_decisions", "progressed"])
    within = pay_counts_within(frame, "sex", "part_time").set_index("sex")
    assert within.loc["female", ["eligible", "progressed"]].tolist() == [6, 3]
    assert within.loc["male", ["eligible", "progressed"]].tolist() == [4, 4]
    md = microdata_frame(frame, "sex")
    assert len(md) == 8 + 5 + 9 + 7  # one row per person counted
    part_time_women = md[(md["sex"] == "female") & (md["pattern_group"] == "part_time")]
    assert (part_time_women["pay_decision"].value_counts().to_dict()
            == {"not_recorded": 2, "progress": 3, "no_progress": 3})
