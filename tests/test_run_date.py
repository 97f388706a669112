"""The run date is a parameter (`--as-of`, or SOURCE_DATE_EPOCH), read in one module: outputs change
with it only where the date is shown or where moderation truly becomes overdue."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.run_date import cycle_first_year, parse_as_of, run_date
from pmreport.samples import SAMPLE_DIR

ROOT = Path(__file__).resolve().parent.parent
PRIMARY = SAMPLE_DIR / "primary.xlsx"
SECONDARY = SAMPLE_DIR / "secondary.xlsx"  # has statements not recorded as moderated


def test_an_explicit_date_wins(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert run_date(dt.date(2027, 3, 1)) == dt.date(2027, 3, 1)


def test_source_date_epoch_is_honoured(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(24 * 3600 * 365))  # 1 January 1971, 00:00 UTC
    assert run_date() == dt.date(1971, 1, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        run_date()


def test_dates_are_read_as_uk_users_write_them() -> None:
    assert parse_as_of("03/12/2026") == dt.date(2026, 12, 3)
    assert parse_as_of("2026-12-03") == dt.date(2026, 12, 3)
    assert parse_as_of(None) is None
    with pytest.raises(ValueError):
        parse_as_of("12/31/2026")


def test_a_cycle_names_its_own_year() -> None:
    assert cycle_first_year("2025/26") == 2025
    assert cycle_first_year("Autumn", dt.date(2027, 5, 1)) == 2027


def test_the_clock_is_read_in_one_module() -> None:
    readers = []
    for path in (ROOT / "pmreport").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\b(?:date|Timestamp)\.today\(\)|\bdatetime\.now\(|\bTimestamp\.now\(", text):
            readers.append(path.relative_to(ROOT).as_posix())
    # the union's made_at / ingest timestamps are times of events (when a return was made or loaded), not
    # the run date of an analysis
    assert sorted(readers) == ["pmreport/run_date.py"], readers


def test_a_bad_date_is_a_usage_error_with_the_fix(tmp_path) -> None:
    result = CliRunner().invoke(app, ["moderate", str(PRIMARY), "--out", str(tmp_path), "--as-of", "31/13/2026"])
    assert result.exit_code == 64  # a usage error (pmreport.cli.exit_codes)
    assert "31/10/2025" in result.output and "Traceback" not in result.output


#: How each report is dated: ``--as-of`` as users write it (a day-first date, ISO), or SOURCE_DATE_EPOCH.
DATINGS = {"03/12/2026": ("--as-of", "03/12/2026"), "29/02/2028": ("--as-of", "2028-02-29"),
           "30/06/2027": ("SOURCE_DATE_EPOCH", str(int(dt.datetime(2027, 6, 30, 12, tzinfo=dt.UTC).timestamp())))}
DATED = {"03/12/2026": "3 December 2026", "29/02/2028": "29 February 2028", "30/06/2027": "30 June 2027"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for given, (how, value) in DATINGS.items():
        folder = tmp_path_factory.mktemp("report")
        args = ["report", str(PRIMARY), "--out", str(folder), "--no-pdf", "--no-word-charts", "--no-dashboard"]
        with pytest.MonkeyPatch.context() as mp:
            if how == "SOURCE_DATE_EPOCH":
                mp.setenv(how, value)
            else:
                mp.delenv("SOURCE_DATE_EPOCH", raising=False)
                args += [how, value]
            result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        out[given] = json.loads((folder / "governors" / "report.json").read_text(encoding="utf-8"))
        pack = pd.read_excel(folder / "head_confidential" / "head_pack.xlsx", sheet_name="About")
        assert any(DATED[given] in str(v) for v in pack.iloc[:, 0]), "the head's pack says when it was written"
    return out


def test_the_report_changes_only_in_its_date(reports) -> None:
    first = None
    for given, report in reports.items():
        assert report["generated"] == DATED[given]
        rest = {k: v for k, v in report.items() if k != "generated"}
        first = first or rest
        assert rest == first


def test_source_date_epoch_dates_the_report(reports) -> None:
    assert reports["30/06/2027"]["generated"] == "30 June 2027"


def _moderation(tmp_path: Path, given: str) -> dict:
    result = CliRunner().invoke(app, ["moderate", str(SECONDARY), "--out", str(tmp_path / given.replace("/", "-")),
                                      "--as-of", given])
    assert result.exit_code == 0, result.output
    return json.loads((tmp_path / given.replace("/", "-") / "moderation.json").read_text(encoding="utf-8"))


def _without_dates(value: object) -> object:
    """The moderation result less what may change with the run date: the date itself and each status."""
    if isinstance(value, dict):
        return {k: _without_dates(v) for k, v in value.items() if k not in ("as_of", "moderation_status", "Status", "Moderation status")}
    if isinstance(value, list):
        return [_without_dates(v) for v in value]
    return value


def _statuses(folder: Path) -> pd.Series:
    """The Statements sheet's moderation status column (the confidential banner and a blank row are above
    the header)."""
    frame = pd.read_excel(folder / "moderation.xlsx", sheet_name="Statements", header=2, engine="calamine")
    column = next(c for c in frame.columns if "status" in str(c).lower())
    return frame[column].astype(str)


def changed_somewhere(before: pd.Series, after: pd.Series) -> bool:
    return bool((before != after).any())


def test_moderation_changes_only_where_overdue_truly_changes(tmp_path) -> None:
    # A day before the cycle's earliest possible meeting nothing can be overdue; years later every statement
    # not recorded as moderated is.
    early = _moderation(tmp_path, "01/09/2024")
    late = _moderation(tmp_path, "29/02/2028")
    assert early["as_of"] == "2024-09-01" and late["as_of"] == "2028-02-29"
    assert _without_dates(early) == _without_dates(late)
    late_s, early_s = _statuses(tmp_path / "29-02-2028"), _statuses(tmp_path / "01-09-2024")
    assert changed_somewhere(early_s, late_s)
    assert not early_s.str.startswith("overdue").any()
    # hand rule: a statement not moderated (no date) with a meeting date is overdue years later, and was
    # "not yet due" before the cycle began; nothing else changes
    changed = late_s != early_s
    assert (late_s[changed].str.startswith("overdue")).all()
    assert (early_s[changed] == "not yet due").all()
