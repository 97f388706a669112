"""Is a correction plausible? A new return for a school and cycle already held, compared with the one it would replace.

A correction usually changes a few people's records. A return in which, say, every pay decision has
become "no progress", or half the staff have gone, is more likely a mistake (the wrong file, a
workbook half filled in) than a correction, so the change is described in plain words beside the
choice the union must make (``--replace``), and again when the return is loaded.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

#: A share that moves by at least this many percentage points (over at least MIN_PEOPLE people) is named.
SHARE_POINTS = 25.0
MIN_PEOPLE = 10
#: A number of people that changes by at least this fraction is named.
PEOPLE_CHANGE = 0.3

SHARES = (
    ("pay progression", lambda p: (p["pay_eligible"] == "yes") & p["pay_decision"].isin(["progress", "no_progress"]),
     lambda p: p["pay_decision"] == "progress"),
    ("reviews by the deadline", lambda p: p["rule_deadline"].isin(["met", "breached"]),
     lambda p: p["rule_deadline"] == "met"),
    ("staff in scope", lambda p: pd.Series(True, index=p.index), lambda p: p["in_scope"] == "yes"),
)


def profile(people: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """(people counted, people with the outcome) for each share, and the number of people rows."""
    out = {"people": (len(people), len(people))}
    for name, base, hit in SHARES:
        if people.empty:
            out[name] = (0, 0)
            continue
        among = base(people).fillna(False).astype(bool)
        out[name] = (int(among.sum()), int((among & hit(people).fillna(False).astype(bool)).sum()))
    return out


def stored(con: Any, return_id: str) -> pd.DataFrame:
    return con.execute("SELECT pay_eligible, pay_decision, rule_deadline, in_scope FROM people WHERE return_id = ?",
                       [return_id]).fetch_df()


def changes(old: pd.DataFrame, new: pd.DataFrame) -> list[str]:
    """The implausible differences between the return held (``old`` people rows) and the new one, in words."""
    a, b = profile(old), profile(new)
    notes = []
    n_old, n_new = a["people"][0], b["people"][0]
    if n_old and abs(n_new - n_old) >= PEOPLE_CHANGE * n_old:
        notes.append(f"people rows {n_old:,} -> {n_new:,}")
    for name, _, _ in SHARES:
        (base_a, hit_a), (base_b, hit_b) = a[name], b[name]
        if min(base_a, base_b) < MIN_PEOPLE:
            continue
        before, after = 100 * hit_a / base_a, 100 * hit_b / base_b
        if abs(after - before) >= SHARE_POINTS:
            notes.append(f"{name} {before:.0f}% -> {after:.0f}% (of {base_a:,} and {base_b:,} people)")
    return notes


def words(notes: list[str]) -> str:
    return ("" if not notes else
            " Check it is a correction and not a mistake: compared with the return held, " + "; ".join(notes) + ".")
