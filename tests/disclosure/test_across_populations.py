"""One audit over all tables: a subtraction between two tables over different populations is a constraint.

The shape from the governors' report: a table of teachers under the observation cap counts 18 people; the
observation-protocol table (teachers who were observed) counts 17; so the first table's hidden "none recorded"
is 18 - 17 = 1, the one teacher nobody observed. Each table is safe alone; together they are not.
"""

from __future__ import annotations

from dataclasses import replace

from pmreport.disclosure import GOVERNOR_POLICY, DisclosureGate, Microdata, Population, audit
from tests.support.forgery import people_frame

BANDS = ["none_recorded", "within_the_cap", "over_the_cap"]
#: a personal outcome here, so the figures go through every rule
POLICY = replace(GOVERNOR_POLICY, process_outcomes=frozenset())


def _school() -> Microdata:
    teacher = {"role_group": "teacher", "observed": "yes", "feedback": "met"}
    frame = people_frame([({**teacher, "band": "within_the_cap"}, 9),
                          ({**teacher, "band": "within_the_cap", "feedback": "breached"}, 5),
                          ({**teacher, "band": "over_the_cap"}, 3),
                          ({**teacher, "role_group": "headteacher", "observed": "no", "feedback": None,
                            "band": "none_recorded"}, 1),
                          ({"role_group": "support", "observed": "no", "feedback": None, "band": None}, 12)])
    return Microdata(frame)


def _tables(md: Microdata):
    teachers = Population.of("teachers", role_group=["teacher", "headteacher"])
    observed = Population.of("teachers who were observed", role_group=["teacher", "headteacher"], observed="yes")
    cap = DisclosureGate(md, POLICY).frequency("band", categories=BANDS, adverse=["over_the_cap"], population=teachers)
    protocol = DisclosureGate(md, POLICY).frequency("feedback", categories=["met", "breached"], adverse=["breached"],
                                                population=observed)
    return cap, protocol


def test_each_table_alone_is_safe_and_hides_the_one():
    md = _school()
    cap, protocol = _tables(md)
    assert cap.cell("All teachers", "Number of staff").value == 18
    assert cap.cell("All teachers", "None recorded").value is None  # 1 person: not shown exactly
    assert cap.cell("All teachers", "None recorded").text == "5 or fewer"  # but as its band, 0 to 5
    assert protocol.cell("All teachers who were observed", "Number of staff").value == 17
    assert audit([cap], md, POLICY).passed and audit([protocol], md, POLICY).passed


def test_the_audit_catches_the_subtraction_between_the_two():
    md = _school()
    cap, protocol = _tables(md)
    result = audit([cap, protocol], md, POLICY)
    assert not result.passed
    codes = {f.code for f in result.failures}
    assert "population_difference" in codes
    message = next(f.message for f in result.failures if f.code == "population_difference")
    assert "None recorded" in message and "teachers who were observed" in message


def test_one_gate_withholds_what_would_give_it_away():
    """Made through one gate, the second table cannot undo the first: the report still passes the audit."""
    md = _school()
    gate = DisclosureGate(md, POLICY)
    teachers = Population.of("teachers", role_group=["teacher", "headteacher"])
    observed = Population.of("teachers who were observed", role_group=["teacher", "headteacher"], observed="yes")
    gate.frequency("band", categories=BANDS, adverse=["over_the_cap"], population=teachers)
    second = gate.frequency("feedback", categories=["met", "breached"], adverse=["breached"],
                                                population=observed)
    assert second.withheld
    assert gate.audit().passed
