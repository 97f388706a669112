"""The synthetic school generator: determinism, the data contract, baseline compliance, planted effects,
messy workbooks and the ``pmreport sample`` command."""

from __future__ import annotations

import json
import re
import time
from datetime import date, datetime, timedelta

import holidays
import numpy as np
import openpyxl
import pandas as pd
import pytest

from pmreport.model import PANDAS_DTYPES
from pmreport.schema import SHEET_ORDER, header_key, load_schemas
from pmreport.school_year import closed_days
from pmreport.synth import BREACH_RULES, Effects, generate
from pmreport.synth.effects import how_many
from pmreport.synth.recheck import findings, truth_set

SCHEMAS = load_schemas()


@pytest.fixture(scope="module")
def primary():
    return generate("primary", seed=11)


@pytest.fixture(scope="module")
def secondary():
    return generate("secondary", seed=5)


@pytest.fixture(scope="module")
def breached():
    return generate("secondary", seed=21, n_staff=90, effects=Effects.all_breaches(0.08), canaries=True)


# ---------------------------------------------------------------------------------------------
# determinism and the data contract


def test_same_seed_same_school_and_different_seeds_differ():
    a = generate("special", seed=3, effects=Effects.all_breaches(0.1))
    b = generate("special", seed=3, effects=Effects.all_breaches(0.1))
    for sheet in SHEET_ORDER:
        pd.testing.assert_frame_equal(a.data.tables[sheet], b.data.tables[sheet])
    assert a.truth == b.truth
    c = generate("special", seed=4, effects=Effects.all_breaches(0.1))
    assert not a.data.staff.equals(c.data.staff)
    assert a.truth["breaches"] != c.truth["breaches"]


def test_workbooks_are_byte_identical(tmp_path):
    school = generate("primary", seed=2, effects=Effects.all_breaches(0.1))
    again = generate("primary", seed=2, effects=Effects.all_breaches(0.1))
    for messy in (False, True):
        one, two = tmp_path / f"one{messy}.xlsx", tmp_path / f"two{messy}.xlsx"
        school.write_xlsx(one, messy=messy)
        again.write_xlsx(two, messy=messy)
        assert one.read_bytes() == two.read_bytes()
        assert one.with_suffix(".truth.json").read_bytes() == two.with_suffix(".truth.json").read_bytes()
    wb = openpyxl.load_workbook(tmp_path / "oneFalse.xlsx", read_only=True)
    assert wb.properties.created == wb.properties.modified == datetime(2024, 1, 1)


def test_dtypes_and_source_columns_follow_the_model_contract(breached):
    for sheet in SHEET_ORDER:
        frame = breached.data.tables[sheet]
        for f in SCHEMAS[sheet].fields:
            assert str(frame[f.name].dtype) == str(pd.Series(dtype=PANDAS_DTYPES[f.type]).dtype), (sheet, f.name)
            if f.type == "date":
                assert (frame[f.name].dropna() == frame[f.name].dropna().dt.normalize()).all()
        assert str(frame["_row"].dtype) == "Int64" and str(frame["_file"].dtype) == "string"
        assert list(frame["_row"]) == list(range(2, len(frame) + 2))
        assert (frame["_sheet"] == sheet).all()
        assert (frame["_file"] == breached.file_name).all()
    assert breached.data.cycles == ["2023/24", "2024/25", "2025/26"]


def test_truth_is_json_and_lists_the_school(breached):
    truth = json.loads(json.dumps(breached.truth))
    assert truth["seed"] == 21 and truth["phase"] == "secondary" and truth["n_staff"] == 90
    assert truth["cycles"] == ["2023/24", "2024/25", "2025/26"]
    assert set(truth["effects"]) >= set(BREACH_RULES)
    for entry in truth["breaches"]:
        assert entry["outcome"] in ("breached", "not_recorded")
        assert entry["cycle"] in truth["cycles"]


# ---------------------------------------------------------------------------------------------
# realism


@pytest.mark.parametrize("phase,size", [("primary", 25), ("secondary", 120), ("special", 40), ("all_through", 180)])
def test_sizes_and_shape_per_phase(phase, size):
    school = generate(phase, seed=8)
    staff = school.data.staff
    for cycle in school.data.cycles:
        rows = school.data.staff_in(cycle)
        assert len(rows) == size
        assert rows["staff_id"].is_unique
        assert (rows["role_group"] == "headteacher").sum() == 1
        assert (rows["role_group"] == "support").sum() >= 3
    assert staff["post"].str.contains("Teaching Assistant|HLTA").any()
    assert staff["post"].str.contains("Business Manager").any()
    assert staff["fte"].between(0.4, 1).all() and (staff["fte"] == 1).mean() > 0.5 and (staff["fte"] < 1).any()
    assert (staff["ethnicity"] == "WBRI").mean() > 0.5
    assert staff["age"].between(22, 65).all()
    assert staff["staff_id"].str.fullmatch(r"\d{6}").all() and staff["staff_id"].str.startswith("0").all()
    assert re.fullmatch(r"\d{7}", school.truth["urn"])
    # joiners and leavers between cycles
    ids = [set(school.data.staff_in(c)["staff_id"]) for c in school.data.cycles]
    assert ids[1] - ids[0] and ids[0] - ids[1]
    if phase == "primary":
        assert (staff["sex"] == "female").mean() > 0.6


def test_a_trust_sized_all_through_school():
    """1,500 staff (the size of a multi-academy trust): one head, primary and secondary posts side by side."""
    school = generate("all_through", seed=3, n_staff=1500, cycles=1)
    rows = school.data.staff_in(school.data.cycles[0])
    assert len(rows) == 1500 and rows["staff_id"].is_unique
    assert (rows["role_group"] == "headteacher").sum() == 1
    posts = set(rows["post"])
    assert "Class Teacher" in posts and any(p.startswith("Teacher of ") for p in posts)
    assert {"Head of Primary", "Head of Year 7"} <= posts
    assert school.records["school"][0]["phase"] == "all_through"
    with pytest.raises(ValueError, match="between 8 and 2000"):
        generate("secondary", seed=3, n_staff=2001)


@pytest.mark.parametrize("n", [8, 150])
def test_extreme_sizes(n):
    school = generate("secondary", seed=1, n_staff=n, effects=Effects.all_breaches(0.1))
    for cycle in school.data.cycles:
        assert len(school.data.staff_in(cycle)) == n
    assert findings(school.data) == truth_set(school.truth)


def test_every_reference_exists(breached):
    d = breached.data
    for cycle in d.cycles:
        ids = set(d.staff_in(cycle)["staff_id"])
        for sheet in ("reviews", "objectives", "observations", "development", "appeals"):
            t = d.tables[sheet]
            assert set(t[t["cycle"] == cycle]["staff_id"]) <= ids, sheet
        reviews = d.reviews[d.reviews["cycle"] == cycle]
        assert set(reviews["reviewer_id"]) <= ids | {"GOV"}
        head = d.staff_in(cycle).query("role_group == 'headteacher'")["staff_id"].iloc[0]
        planted = ("head_reviewer", cycle, head, "breached") in truth_set(breached.truth)  # §4.2 broken on purpose
        assert reviews.set_index("staff_id").loc[head, "reviewer_id"] == "GOV" or head not in set(reviews["staff_id"]) \
            or planted
        obs = d.observations[d.observations["cycle"] == cycle]
        assert set(obs["observer_id"]) <= ids
        assert set(d.staff_in(cycle)["line_manager_id"].dropna()) <= ids


def test_out_of_scope_staff_have_no_review(secondary):
    d = secondary.data
    for cycle in d.cycles:
        staff = d.staff_in(cycle)
        reviewed = set(d.reviews[d.reviews["cycle"] == cycle]["staff_id"])
        length = (staff["contract_end"] - staff["contract_start"]).dt.days
        out = staff["induction"] | staff["in_capability"] | (length < 180).fillna(False)
        assert out.any()
        assert not set(staff[out]["staff_id"]) & reviewed
        assert set(staff[~out]["staff_id"]) == reviewed  # baseline: everyone in scope is reviewed


# ---------------------------------------------------------------------------------------------
# baseline compliance, computed directly here with numpy's business-day counting


def _closed_days(data) -> list[np.datetime64]:
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(2022, 2028))
    return sorted({np.datetime64(d) for d in list(bank) + [d.date() for d in closed_days(data.calendar)]})


def _wd(a, b, closed) -> np.ndarray:
    """Working days after ``a`` up to and including ``b`` (element-wise)."""
    a = (pd.to_datetime(a) + pd.Timedelta(days=1)).to_numpy().astype("datetime64[D]")
    b = (pd.to_datetime(b) + pd.Timedelta(days=1)).to_numpy().astype("datetime64[D]")
    return np.busday_count(a, b, holidays=closed)


@pytest.mark.parametrize("phase,seed", [("primary", 11), ("secondary", 5), ("special", 9)])
def test_baseline_complies_with_every_rule(phase, seed):
    school = generate(phase, seed=seed)
    d = school.data
    closed = _closed_days(d)
    assert school.truth["breaches"] == []
    rv = d.reviews.merge(d.staff[["cycle", "staff_id", "role_group"]], on=["cycle", "staff_id"])
    rv = rv.merge(d.school, on="cycle", suffixes=("", "_school"))
    dates = ["notice_date", "meeting_date", "draft_statement_date", "final_statement_date", "mid_year_review_date"]
    assert rv[dates].notna().all().all()
    deadline = np.where(rv["role_group"] == "teacher", rv["teacher_deadline"],
                        np.where(rv["role_group"] == "headteacher", rv["head_deadline"], rv["support_cycle_end"]))
    assert (rv["meeting_date"] <= pd.to_datetime(deadline)).all()
    assert (_wd(rv["notice_date"], rv["meeting_date"], closed) >= 7).all()  # 5 needed: a margin of 2
    assert (_wd(rv["meeting_date"], rv["draft_statement_date"], closed) <= 2).all()
    assert (_wd(rv["meeting_date"], rv["final_statement_date"], closed) <= 5).all()
    meetings = rv["meeting_date"].dt.date.map(np.datetime64).to_numpy().astype("datetime64[D]")
    assert np.is_busday(meetings, holidays=closed).all()
    moderated = rv[rv["moderated"].fillna(False)]
    assert moderated["moderation_date"].notna().all()
    assert (_wd(moderated["meeting_date"], moderated["moderation_date"], closed) <= 7).all()
    revised = rv[rv["revision_instructed_date"].notna()]
    assert (_wd(revised["revision_instructed_date"], revised["revised_statement_date"], closed) <= 7).all()
    # reviewers
    staff = d.staff.set_index(["cycle", "staff_id"])
    for (cycle, reviewer), n in rv.groupby(["cycle", "reviewer_id"]).size().items():
        if reviewer != "GOV":
            cap = d.school_row(cycle)["max_reviewees"]
            assert pd.isna(cap) or n <= cap
            managed = (d.staff_in(cycle)["line_manager_id"] == reviewer).sum()
            assert pd.isna(cap) or managed <= cap
    support = rv[rv["role_group"] == "support"]
    for cycle, reviewer in zip(support["cycle"], support["reviewer_id"], strict=True):
        assert staff.loc[(cycle, reviewer), "role_group"] != "teacher"
    # observations
    ob = d.observations.merge(d.staff[["cycle", "staff_id", "fte"]], on=["cycle", "staff_id"])
    assert ((ob["observation_date"] - ob["notice_date"]).dt.days >= 8).all()
    assert (_wd(ob["observation_date"], ob["feedback_date"], closed) <= 1).all()
    assert (ob["feedback_date"] - ob["observation_date"]).dt.days.between(0, 1).all()
    assert (_wd(ob["observation_date"], ob["record_date"], closed) <= 3).all()
    observers = [staff.loc[(c, o), "qts"] for c, o in zip(ob["cycle"], ob["observer_id"], strict=True)]
    assert all(observers)
    counted = ob[ob["purpose"].isin(["performance_management", "additional"])]
    minutes = counted.groupby(["cycle", "staff_id"]).agg(total=("duration_minutes", "sum"), fte=("fte", "first"))
    assert (minutes["total"] <= 0.7 * 180 * minutes["fte"]).all()
    assert set(ob["purpose"]) == {"performance_management", "drop_in", "quality_assurance"}
    # objectives, development, appeals
    per = d.objectives.groupby(["cycle", "staff_id"]).size()
    most = d.school.set_index("cycle")["max_objectives"]
    assert all(n <= most[c] for (c, _), n in per.items())
    assert d.objectives["linked_to_priority"].all() and d.objectives["target_date"].notna().all()
    assert (d.development["provided"] == "yes").all() and not d.development["outside_school_hours"].any()
    # §8: a formal appeal is heard only after the appellant's statement was moderated (some are lodged before it:
    # deferred); a withdrawn one is not heard; an outcome comes no earlier than the hearing
    formal = d.appeals[d.appeals["stage"] == "formal"].merge(d.reviews[["cycle", "staff_id", "moderation_date"]],
                                                             on=["cycle", "staff_id"])
    heard = formal[formal["outcome"] != "withdrawn"]
    assert (heard["heard_date"] > heard["moderation_date"]).all()
    assert formal.loc[formal["outcome"] == "withdrawn", "heard_date"].isna().all()
    assert (heard["outcome_date"] >= heard["heard_date"]).all()


# ---------------------------------------------------------------------------------------------
# planted effects


def test_truth_matches_an_independent_reading_of_the_rules():
    for phase, seed in [("primary", 1), ("primary", 2), ("secondary", 3), ("special", 4), ("special", 5)]:
        school = generate(phase, seed=seed, effects=Effects.all_breaches(0.1))
        assert school.truth["breaches"]
        assert findings(school.data) == truth_set(school.truth), (phase, seed)


EXPECTED_RULES = {name: set(rule.split("/")) for name, rule in BREACH_RULES.items()}


@pytest.mark.parametrize("effect", sorted(BREACH_RULES))
def test_each_effect_appears_in_truth_and_in_the_data(effect):
    school = generate("secondary", seed=6, n_staff=40, cycles=2, effects=Effects(**{effect: 2}))
    truth = school.truth
    assert truth["effects_applied"] == {effect: len(truth["breaches"])}
    assert truth["breaches"], effect
    assert {b["rule"] for b in truth["breaches"]} <= EXPECTED_RULES[effect]
    assert findings(school.data) == truth_set(truth)


def test_effect_rates_and_sizes():
    assert how_many(0, 50) == 0 and how_many(0.1, 50) == 5 and how_many(0.01, 50) == 1
    assert how_many(3, 50) == 3 and how_many(3, 2) == 2 and how_many(0.5, 0) == 0
    assert Effects.parse("none") == Effects()
    parsed = Effects.parse("all=0.2,harsh_reviewer=25,pay_gap=0.4,pay_gap_group=fte<1")
    assert parsed.late_reviews == 0.2 and parsed.harsh_reviewer == 25 and parsed.pay_gap == 0.4
    assert parsed.pay_gap_group == "fte<1"
    assert Effects.all_breaches(0.3).too_many_objectives == 0.3 and Effects.all_breaches(0.3).pay_gap is None
    with pytest.raises(ValueError):
        Effects.parse("nonsense")
    with pytest.raises(ValueError):
        Effects(late_reviews=2.5)


def test_harsh_reviewer_and_pay_gap():
    school = generate("secondary", seed=12, n_staff=150,
                      effects=Effects(harsh_reviewer=60, pay_gap=0.15, pay_gap_group="ethnicity!=WBRI"))
    harsh, gap = school.truth["harsh_reviewer"], school.truth["pay_gap"]
    assert school.truth["breaches"] == []
    reviews = school.data.reviews[school.data.reviews["pay_eligible"].fillna(False)]
    by_harsh = reviews[reviews["reviewer_id"] == harsh["reviewer_id"]]
    others = reviews[reviews["reviewer_id"] != harsh["reviewer_id"]]
    assert len(by_harsh) >= 5 and harsh["cycle"] in school.truth["cycles"]
    assert (by_harsh["pay_recommendation"] == "no_progress").mean() > (others["pay_recommendation"] == "no_progress").mean() + 0.2
    assert gap["group"] == "ethnicity!=WBRI" and gap["odds_multiplier"] == 0.15
    merged = reviews.merge(school.data.staff[["cycle", "staff_id", "ethnicity"]], on=["cycle", "staff_id"])
    merged = merged[merged["reviewer_id"] != harsh["reviewer_id"]]
    rate = merged.groupby(merged["ethnicity"] != "WBRI")["pay_recommendation"].apply(lambda s: (s == "progress").mean())
    assert rate[True] < rate[False]
    totals = {k: sum(c[k]["eligible"] for c in gap["observed"].values()) for k in ("group", "others")}
    assert totals["group"] > 0 and totals["others"] > 0


def test_canaries_are_planted_and_listed(breached):
    canaries = breached.truth["canaries"]
    assert {c["field"] for c in canaries} == {"name", "notes", "description"}
    assert breached.data.staff["name"].str.contains("CANARYNAME").any()
    assert breached.data.reviews["notes"].str.contains("CANARY-FREE-TEXT-21", regex=False).any()
    assert breached.data.objectives["description"].str.contains("CANARY-OBJECTIVE-TEXT-21", regex=False).any()
    plain = generate("primary", seed=11)
    assert plain.truth["canaries"] == []
    assert not plain.data.staff["name"].str.contains("CANARY").any()


# ---------------------------------------------------------------------------------------------
# workbooks and CSV


def test_clean_workbook_layout(tmp_path, primary):
    path = primary.write_xlsx(tmp_path / "clean.xlsx")
    assert path.with_suffix(".truth.json").exists()
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEET_ORDER)
    for sheet in SHEET_ORDER:
        ws = wb[sheet]
        assert [c.value for c in ws[1]] == SCHEMAS[sheet].names
        assert ws.max_row == len(primary.records[sheet]) + 1
    staff = wb["staff"]
    assert staff["B2"].data_type == "s" and staff["B2"].value == primary.records["staff"][0]["staff_id"]
    assert isinstance(staff["K2"].value, datetime)  # contract_start
    assert isinstance(staff["N2"].value, bool)  # qts


def _decode(f, value):
    """A small, independent reading of a messy cell back to the clean value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = value.strip()
    if f.type == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, int | float):
            return date(1899, 12, 30) + timedelta(days=int(value))
        return datetime.strptime(value, "%d/%m/%Y").date()
    if f.type == "boolean":
        return value if isinstance(value, bool) else value.lower() in ("y", "yes", "true")
    if f.type == "fte":
        if isinstance(value, str):
            return float(value.rstrip("%")) / 100
        return value / 100 if value > 1 else float(value)
    if f.type == "code":
        low = value.lower()
        if f.code_case == "upper":
            return value.upper()
        return f.code_aliases.get(low, low.replace(" ", "_"))
    if f.type == "number":
        return float(value)
    return value


def _read_messy(path, sheet_titles):
    wb = openpyxl.load_workbook(path)
    out = {}
    for sheet in SHEET_ORDER:
        sch = SCHEMAS[sheet]
        ws = wb[sheet_titles[sheet]]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        keys = {k: f for f in sch.fields for k in f.header_keys}
        if sheet == "school" and all(len([v for v in r if v is not None]) <= 2 for r in rows) and len(rows) > 3:
            out[sheet] = [{keys[header_key(r[0])].name: _decode(keys[header_key(r[0])], r[1]) for r in rows}]
            continue
        at = next(i for i, r in enumerate(rows) if sum(header_key(v) in keys for v in r if v) >= 2)
        fields = [keys[header_key(h)] for h in rows[at]]
        out[sheet] = [{f.name: _decode(f, v) for f, v in zip(fields, r, strict=True)} for r in rows[at + 1:]]
    return out


@pytest.mark.parametrize("cycles", [3, 1])
def test_messy_workbook_holds_exactly_the_clean_data(tmp_path, cycles):
    school = generate("primary", seed=4, cycles=cycles, effects=Effects.all_breaches(0.1), canaries=True)
    path = school.write_xlsx(tmp_path / "messy.xlsx", messy=True)
    titles = {s: SCHEMAS[s].title for s in SHEET_ORDER}
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == [titles[s] for s in SHEET_ORDER]
    back = _read_messy(path, titles)
    for sheet in SHEET_ORDER:
        expected = [{k: (float(v) if isinstance(v, int) and not isinstance(v, bool) and SCHEMAS[sheet].field(k).type == "number" else v)
                     for k, v in r.items()} for r in school.records[sheet]]
        assert back[sheet] == expected, sheet
    # and it really is messy: title rows, aliases, text dates, Y/N, percentages
    staff = openpyxl.load_workbook(path)[titles["staff"]]
    cells = [c for row in staff.iter_rows(values_only=True) for c in row if c is not None]
    assert str(cells[0]).startswith("Staff Export - ")
    texts = {str(c) for c in cells}
    assert texts & {"Y", "N", "Yes", "No", "y", "n", "YES", "NO"} or any(isinstance(c, bool) for c in cells)
    assert any(re.fullmatch(r"\d{2}/\d{2}/\d{4}", str(c)) for sheet in wb.worksheets for row in sheet.iter_rows(values_only=True) for c in row)


def test_csv_folder(tmp_path, primary):
    folder = primary.write_csv_dir(tmp_path / "school")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{s}.csv" for s in SHEET_ORDER)
    staff = pd.read_csv(folder / "staff.csv", dtype=str)
    assert list(staff.columns) == SCHEMAS["staff"].names
    assert staff["staff_id"].str.startswith("0").all()
    assert (tmp_path / "school.truth.json").exists()


def test_fast_enough(tmp_path):
    started = time.perf_counter()
    school = generate("secondary", seed=99, n_staff=150, effects=Effects.all_breaches(0.05))
    school.write_xlsx(tmp_path / "big.xlsx")
    assert time.perf_counter() - started < 4  # typically about 1 s


# ---------------------------------------------------------------------------------------------
# the command


def test_sample_command(tmp_path):
    from typer.testing import CliRunner

    from pmreport.cli import app

    runner = CliRunner()
    out = tmp_path / "sample.xlsx"
    result = runner.invoke(app, ["sample", str(out), "--phase", "special", "--seed", "3", "--effects", "all", "--canaries"])
    assert result.exit_code == 0, result.output
    assert out.exists() and out.with_suffix(".truth.json").exists()
    assert "sample.truth.json" in result.output
    truth = json.loads(out.with_suffix(".truth.json").read_text())
    assert truth["seed"] == 3 and truth["phase"] == "special" and truth["breaches"] and truth["canaries"]
    # never overwrites without --force; bad effects are a usage error
    assert runner.invoke(app, ["sample", str(out)]).exit_code == 2
    assert runner.invoke(app, ["sample", str(out), "--force", "--messy", "--staff", "10"]).exit_code == 0
    assert runner.invoke(app, ["sample", str(tmp_path / "x.xlsx"), "--effects", "bogus"]).exit_code == 64  # a usage error
    folder = tmp_path / "csvs"
    result = runner.invoke(app, ["sample", str(folder), "--csv", "--cycles", "1"])
    assert result.exit_code == 0, result.output
    assert (folder / "staff.csv").exists()
    assert runner.invoke(app, ["sample", "--help"]).exit_code == 0
