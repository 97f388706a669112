"""How much of the equality data reaches the union: the share of "not shown" per characteristic.

Before (format 1): the people sheet, k-anonymous on ten characteristics at once. After (format 2):
the equality sheet, one table per characteristic. Also the residual risk of the equality sheet: people
in a row of fewer than k whose pay decisions all went the same way.

    .venv/bin/python benchmarks/union_not_shown.py --schools 1000            # quick cohort, one cycle
    .venv/bin/python benchmarks/union_not_shown.py --schools 60 --realistic  # whole synthetic schools

The figures in docs/union.md come from these commands (seed 1, k = 5).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from pmreport.synth.names import LOCAL_AUTHORITIES
from pmreport.union.anonymise import k_anonymise
from pmreport.union.cohort import Patterns, _school_profile, quick_people
from pmreport.union.equality_sheet import CHARACTERISTICS, equality_rows, not_shown_share, residual_risk
from pmreport.union.return_schema import return_format

PEOPLE_COLUMN = {"working_pattern": "fte_band"}


def _realistic_people(profile: dict, seed: int) -> pd.DataFrame:
    from pmreport.compliance import run_checks
    from pmreport.synth import generate
    from pmreport.synth.frames import school_data
    from pmreport.union.keys import SchoolKey
    from pmreport.union.person_rows import person_rows

    school = generate(phase=profile["phase"], seed=seed * 100003 + profile["index"], n_staff=int(min(max(profile["n"], 8), 150)),
                      cycles=1)
    data = school_data(school.records, school.file_name)
    result = run_checks(data, None)
    key = SchoolKey(b"pmreport-measure-not-shown-" + str(profile["index"]).encode(), "given")
    return person_rows(data, result.cycle, result, key.pseudonym)


def _decided(people: pd.DataFrame) -> pd.Series:
    return (people["pay_eligible"] == "yes") & people["pay_decision"].isin(["progress", "no_progress"])


def _learnt(people: pd.DataFrame, keys: list[str]) -> pd.Series:
    """For each person with a pay decision, whether everyone with a decision in their row (same ``keys``) had the
    same one: someone who knows what the row shows about them then learns their decision."""
    decided = _decided(people)
    if not decided.any():
        return decided
    ways = people[decided].groupby(keys)["pay_decision"].transform("nunique")
    return (ways == 1).reindex(people.index, fill_value=False) & decided


def _new_risk(people: pd.DataFrame, anonymised: pd.DataFrame, k: int) -> dict[str, int]:
    """Per characteristic, decisions the equality sheet reveals that the people sheet (sent too) does not."""
    from pmreport.union.equality_sheet import _pattern, _role, analysed_values, school_groups
    from pmreport.union.return_schema import return_format

    qis = [q.field for q in return_format().quasi_identifiers]
    before = _learnt(anonymised, qis) if len(anonymised) else pd.Series(False, index=people.index)
    role, wp = school_groups(_role(people["role_group"]), _pattern(people["fte_band"]), k)
    out = {}
    for c in CHARACTERISTICS:
        value = _pattern(people["fte_band"]) if c == "working_pattern" else analysed_values(c, people[c]).to_numpy()
        view = people.assign(_v=value, _r=role, _w=wp)
        after = _learnt(view, ["_v", "_r", "_w"])
        out[c] = int((after & ~before.reindex(people.index, fill_value=False)).sum())
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--realistic", action="store_true")
    args = ap.parse_args()
    patterns = Patterns()
    las = tuple(dict.fromkeys((patterns.late_la, *LOCAL_AUTHORITIES)))
    started = time.perf_counter()
    rows = []
    for i in range(args.schools):
        profile = _school_profile(args.seed, i, las, patterns)
        if args.realistic:
            people = _realistic_people(profile, args.seed)
        else:
            people, _ = quick_people(profile, "2025/26", 0, args.seed, patterns)
        staff = len(people)
        anon = k_anonymise(people, args.k)
        before = anon.frame if anon.achieved else people.iloc[0:0]
        eq = equality_rows(people, args.k)
        after = not_shown_share(eq, staff)
        risk = residual_risk(eq)
        decided = int(eq.loc[eq["characteristic"] == "sex", "pay_decisions"].sum())
        risk_before = int(_learnt(before, [q.field for q in return_format().quasi_identifiers]).sum()) if len(before) else 0
        new = _new_risk(people, before, args.k)
        for c in CHARACTERISTICS:
            col = PEOPLE_COLUMN.get(c, c)
            hidden = staff - len(before) + int((before[col] == "not_shown").sum())
            rows.append({"phase": profile["phase"], "staff": staff, "characteristic": c, "before": hidden,
                         "after": after[c] * staff, "risk": risk[c], "decided": decided, "risk_before": risk_before, "new": new[c],
                         "small": profile["n"] < 20})
    f = pd.DataFrame(rows)
    print(f"{args.schools} schools ({'realistic' if args.realistic else 'quick'}), "
          f"{int(f.loc[f['characteristic'] == 'sex', 'staff'].sum())} staff, k = {args.k}, "
          f"{time.perf_counter() - started:.0f} s")
    m = f[f["characteristic"] == "sex"]
    print(f"pay decisions that someone who knows what a row shows about the person learns: before (people sheet) "
          f"{100 * m['risk_before'].sum() / max(m['decided'].sum(), 1):.1f}%")
    print("characteristic          not shown before  not shown after  decisions learnt from it  of them not from people")
    for c in CHARACTERISTICS:
        m = f[f["characteristic"] == c]
        print(f"{c:24}{100 * m['before'].sum() / m['staff'].sum():>15.1f}%{100 * m['after'].sum() / m['staff'].sum():>16.1f}%"
              f"{100 * m['risk'].sum() / max(m['decided'].sum(), 1):>19.1f}%"
              f"{100 * m['new'].sum() / max(m['decided'].sum(), 1):>20.1f}%")
    print("not shown before, by phase (sex):")
    m = f[f["characteristic"] == "sex"]
    for phase, g in m.groupby("phase"):
        print(f"  {phase:10} before {100 * g['before'].sum() / g['staff'].sum():.1f}%  after "
              f"{100 * g['after'].sum() / g['staff'].sum():.1f}%")


if __name__ == "__main__":
    main()
