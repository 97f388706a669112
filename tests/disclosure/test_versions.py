"""Versions of one cycle's report: a re-issue (a leaver's rows deleted, an outcome corrected) is audited
together with what the earlier version published, so the two together reveal nobody's outcome.

The attacker (tests/support/version_attack.py) is written independently of the audit: it reads only the two
published versions, as a governor holding both would, and knows who left and whose record was corrected.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pmreport.disclosure import DisclosureGate, Microdata, audit
from pmreport.disclosure import versions as v
from pmreport.errors import InputUnusable
from pmreport.jobs import write_governors_report as write_report
from pmreport.synth import generate
from tests.support.forgery import people_frame
from tests.support.version_attack import compare, corrected, without

CATS = ["met", "not_met"]


def _school(met: int, not_met: int, leaver: str | None = None) -> Microdata:
    """``met`` + ``not_met`` staff (keys p000 ...), and one more who met or did not (``leaver``), listed last."""
    groups = [({"assessment": "met"}, met), ({"assessment": "not_met"}, not_met)]
    if leaver is not None:
        groups.append(({"assessment": leaver}, 1))
    return Microdata(people_frame(groups))


def _report(table) -> dict:
    """One table as a report dictionary, the form the attacker reads."""
    return {"sections": [{"tables": [{"id": "assessment-2025-26-all", **table.to_public_dict()}]}]}


def _first_version(md: Microdata) -> tuple[dict, v.PriorVersion]:
    gate = DisclosureGate(md)
    table = gate.frequency("assessment", categories=CATS)
    assert gate.audit().passed
    text = v.record(gate.tables, md, "salt", shown=v.shown_map([_report(table)["sections"][0]["tables"][0]]))
    return _report(table), v.load(text)


def test_a_leaver_removed_gives_their_outcome_away_unless_audited_with_the_first_version():
    """By hand: version 1 has 20 staff, 14 met and 6 did not (every figure safe to show). The leaver did not
    meet their objectives; version 2, made alone, shows 19 / 14 / 5, and the difference (6 - 5) is the leaver's
    outcome. Audited with version 1, the re-issue must not show both figures of the row exactly."""
    first, prior = _first_version(_school(14, 5, leaver="not_met"))
    assert [c["text"] for c in first["sections"][0]["tables"][0]["rows"][0]["cells"]] == ["20", "14", "6"]
    after = _school(14, 5)

    alone = DisclosureGate(after).frequency("assessment", categories=CATS)
    assert [c.text for c in alone.cells[0]] == ["19", "14", "5"]
    assert compare(first, _report(alone)) == ["assessment-2025-26-all / All staff in scope of the policy: the "
                                              "leaver's outcome was 'Not met'"]
    # the audit catches it too when told about the first version, and fails the unsafe re-issue
    result = audit([alone], after, prior=prior)
    assert not result.passed and {f.code for f in result.failures} & {"individual_outcome", "small_number",
                                                                       "group_disclosure"}

    gate = DisclosureGate(after, prior=prior)
    again = gate.frequency("assessment", categories=CATS)
    assert gate.audit().passed
    assert compare(first, _report(again)) == []
    assert [c.text for c in again.cells[0]][:1] == ["19"]
    assert sum(c.value is not None for c in again.cells[0][1:]) < 2  # not both counts exactly
    assert v.hidden_since(prior, [_report(again)["sections"][0]["tables"][0]])


def test_a_corrected_outcome_is_not_given_away_either():
    """By hand: version 1, 20 staff: 14 met, 6 did not. One record is corrected from met to not met: version 2
    alone shows 20 / 13 / 7, so whoever knows whose record was corrected learns both their old and new outcome."""
    first, prior = _first_version(_school(13, 6, leaver="met"))
    after = _school(13, 6, leaver="not_met")  # the same 20 people (same keys), the last one corrected
    alone = DisclosureGate(after).frequency("assessment", categories=CATS)
    assert [c.text for c in alone.cells[0]] == ["20", "13", "7"]
    assert compare(first, _report(alone))  # the attacker sees it
    assert not audit([alone], after, prior=prior).passed

    gate = DisclosureGate(after, prior=prior)
    again = gate.frequency("assessment", categories=CATS)
    assert gate.audit().passed
    assert compare(first, _report(again)) == []


def test_a_re_issue_that_changes_nothing_shows_the_same():
    md = _school(14, 6)
    first, prior = _first_version(md)
    gate = DisclosureGate(_school(14, 6), prior=prior)
    again = gate.frequency("assessment", categories=CATS)
    assert _report(again)["sections"][0]["tables"][0]["rows"] == first["sections"][0]["tables"][0]["rows"]
    assert v.hidden_since(prior, [_report(again)["sections"][0]["tables"][0]]) == []


def test_the_record_reads_back_as_it_was_written():
    md = _school(14, 5, leaver="not_met")
    gate = DisclosureGate(md)
    gate.frequency("assessment", categories=CATS, percentages=True)
    prior = v.load(v.record(gate.tables, md, "s", number=3, written="1 May 2027"))
    assert (prior.number, prior.written, prior.salt) == (3, "1 May 2027", "s")
    [table] = prior.tables
    assert table.to_public_dict() == gate.tables[0].to_public_dict()
    assert audit(prior.tables, prior.md).passed  # the figures still match the data they were made from
    with pytest.raises(v.RecordUnreadable):
        v.load('{"format": 99}')
    with pytest.raises(v.RecordUnreadable):
        v.load('{"format": 1, "microdata": {}}')


# ------------------------------------------------------------------------------ the whole report, twice


@pytest.fixture(scope="module")
def reissued(tmp_path_factory):
    """A 26-staff primary's report, re-issued with one leaver removed, then with one outcome corrected."""
    data = generate("primary", seed=7, n_staff=26, cycles=2).data
    cycle = data.cycles[-1]
    reviews = data.tables["reviews"]
    staff = data.tables["staff"]
    head = set(staff.loc[staff["role_group"] == "headteacher", "staff_id"])
    people = [s for s in reviews.loc[(reviews["cycle"] == cycle) & (reviews["assessment"] == "met"), "staff_id"]
              if s not in head]
    out = tmp_path_factory.mktemp("versions")
    kwargs = {"pdf": False, "dashboard": False, "images": False}
    first = write_report(data, out, **kwargs, as_of=dt.date(2027, 1, 15))
    r1 = json.loads((out / "governors" / "report.json").read_text(encoding="utf-8"))
    second = write_report(without(data, people[0]), out, **kwargs, as_of=dt.date(2027, 2, 1))
    r2 = json.loads((out / "governors" / "report.json").read_text(encoding="utf-8"))
    third = write_report(corrected(without(data, people[0]), people[1], cycle), out, **kwargs,
                         as_of=dt.date(2027, 3, 1))
    r3 = json.loads((out / "governors" / "report.json").read_text(encoding="utf-8"))
    return out, (first, second, third), (r1, r2, r3)


def test_each_version_is_recorded_in_the_heads_folder_only(reissued):
    out, (first, second, third), _ = reissued
    record = out / "head_confidential" / "published"
    assert [p.name for p in record.iterdir()] == [f"{first.report['cycle'].replace('/', '-')}.json"]
    assert not list((out / "governors").glob("*published*"))
    assert (first.version, second.version, third.version) == (1, 2, 3)
    assert "version 2" in second.audit_line() and "version 1" in second.audit_line()


def test_no_version_gives_away_the_leaver_or_the_corrected_record(reissued):
    _, _, (r1, r2, r3) = reissued
    assert compare(r1, r2) == []
    assert compare(r2, r3) == []


def test_a_re_issue_that_hides_more_says_so(reissued):
    _, (_, second, third), _ = reissued
    for done in (second, third):
        if done.hidden_since:
            assert any(f"version {done.version}" in w and "less exactly" in w for w in done.warnings)
        else:
            assert not any("less exactly" in w for w in done.warnings)


def test_a_damaged_record_stops_the_report_with_a_plain_message(tmp_path):
    data = generate("primary", seed=3, n_staff=12, cycles=1).data
    folder = tmp_path / "head_confidential" / "published"
    folder.mkdir(parents=True)
    (folder / f"{data.cycles[-1].replace('/', '-')}.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputUnusable) as caught:
        write_report(data, tmp_path, pdf=False, dashboard=False, images=False, as_of=dt.date(2027, 1, 15))
    assert "earlier version" in caught.value.message
    assert not (tmp_path / "governors").exists()
