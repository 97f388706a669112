"""great-expectations checks: the failing rows of every kind of check, found by the cheap run plus the re-run of failures."""

from __future__ import annotations

import pandas as pd
import pytest

from pmreport.schema import Field, SheetSchema
from pmreport.validation import gx_checks
from pmreport.validation.gx_checks import ExpectationFinding, run_checks


def _field(name: str, type_: str = "text", required: bool = False, **kw) -> Field:
    return Field(name=name, type=type_, required=required, sensitivity="none", description=name, **kw)


SCHEMA = SheetSchema(
    sheet="things", title="Things", description="", required=True, key=("ref", "cycle"),
    fields=(
        _field("ref", required=True),
        _field("cycle", required=True),
        _field("kind", "code", codes=("a", "b")),
        _field("fte", "fte"),
        _field("score", "number", minimum=1, maximum=5),
        _field("urn", pattern=r"^\d{6,7}$"),
        _field("start", "date"),
        _field("end", "date", not_before=("start",)),
        _field("badge", unique=True),
    ),
)


def _frame(rows: list[dict], files: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for col in ("ref", "cycle", "kind", "urn", "badge"):
        df[col] = df[col].astype("string")
    for col in ("start", "end"):
        df[col] = pd.to_datetime(df[col])
    df["_file"] = pd.array(files, dtype="string")
    df["_sheet"] = pd.array(["Things"] * len(rows), dtype="string")
    df["_row"] = pd.array([2 + i for i in range(len(rows))], dtype="Int64")
    return df


GOOD = {"ref": "R1", "cycle": "2025/26", "kind": "a", "fte": 1.0, "score": 3.0, "urn": "118234",
        "start": "2025-09-01", "end": "2025-09-02", "badge": "B1"}


def _findings(frame: pd.DataFrame) -> list[tuple]:
    return [(f.code, f.field, f.other, f.file, f.row) for f in run_checks(SCHEMA, frame, frozenset(frame.columns))]


def _spy_reruns(monkeypatch) -> list[list[str]]:
    """The checks (kind and field) of each second run, the one that lists the failing rows."""
    reruns: list[list[str]] = []
    new_suite = gx_checks._new_suite

    def spy(name, checks):
        if name.endswith("_failed"):
            reruns.append([f"{c.kind} {c.field}" for c in checks.values()])
        return new_suite(name, checks)

    monkeypatch.setattr(gx_checks, "_new_suite", spy)
    return reruns


def test_clean_rows_have_no_findings_and_are_run_once(monkeypatch):
    reruns = _spy_reruns(monkeypatch)
    rows = [GOOD, GOOD | {"ref": "R2", "badge": "B2"}]
    assert _findings(_frame(rows, ["a.xlsx", "b.xlsx"])) == []
    assert reruns == []  # nothing failed, so no second run


def test_every_kind_of_failure_is_found_at_its_row(monkeypatch):
    reruns = _spy_reruns(monkeypatch)
    rows = [
        GOOD,
        GOOD | {"ref": None, "kind": "z", "badge": "B2"},                    # row 3: missing ref, unknown kind
        GOOD | {"ref": "R3", "fte": 0.0, "score": 9.0, "badge": "B3"},       # row 4: fte 0, score out of range
        GOOD | {"ref": "R4", "urn": "12", "end": "2025-08-01", "badge": "B1"},  # row 5: bad urn, end before start, badge repeated
        GOOD | {"badge": "B5"},                                             # row 6: repeats row 2's ref and cycle
    ]
    found = _findings(_frame(rows, ["a.xlsx", "a.xlsx", "b.xlsx", "b.xlsx", "b.xlsx"]))
    assert sorted(found, key=lambda f: (f[4], f[0], f[1])) == [
        ("duplicate_key", "badge", "", "a.xlsx", 2),
        ("duplicate_key", "ref and cycle", "", "a.xlsx", 2),
        ("missing_value", "ref", "", "a.xlsx", 3),
        ("unknown_code", "kind", "", "a.xlsx", 3),
        ("out_of_range", "fte", "", "b.xlsx", 4),
        ("out_of_range", "score", "", "b.xlsx", 4),
        ("bad_format", "urn", "", "b.xlsx", 5),
        ("dates_out_of_order", "end", "start", "b.xlsx", 5),
        ("duplicate_key", "badge", "", "b.xlsx", 5),
        ("duplicate_key", "ref and cycle", "", "b.xlsx", 6),
    ]
    # only the checks that failed were run again to list their rows (every one but cycle's not-null)
    assert len(reruns) == 1
    assert sorted(reruns[0]) == ["between fte", "between score", "compound_unique ref and cycle", "in_set kind",
                                 "not_null ref", "pair_order end", "regex urn", "unique badge"]


def test_a_check_repeated_by_the_schema_is_reported_once():
    schema = SheetSchema(sheet="things", title="Things", description="", required=True, key=("badge",),
                         fields=(_field("badge", unique=True),))
    frame = _frame([GOOD, GOOD | {"ref": "R2"}], ["a.xlsx", "a.xlsx"])[["badge", "_file", "_sheet", "_row"]]
    found = run_checks(schema, frame, frozenset({"badge"}))
    # a suite is a set: the key's uniqueness check is the field's own, so GX runs it once
    assert found == [ExpectationFinding("duplicate_key", "badge", "", "badge must be unique", "a.xlsx", "Things", r) for r in (2, 3)]


def test_a_check_that_great_expectations_cannot_run_is_an_error():
    frame = _frame([GOOD], ["a.xlsx"]).drop(columns="score")
    with pytest.raises(RuntimeError, match="between check on things.score"):
        run_checks(SCHEMA, frame, frozenset(frame.columns) | {"score"})  # said to be there, but is not
