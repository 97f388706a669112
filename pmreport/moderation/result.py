"""ModerationResult: everything the moderation analysis found, as tables.

Named tables (statements, flags, notes, reviewers, sample) are for the headteacher only. The
aggregate tables from :meth:`ModerationResult.aggregates` hold counts and rates with no names or
staff references; they are what a governor or union output may use, and only after the
disclosure gate has suppressed small cells.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from pmreport.moderation.settings import ModerationSettings

#: Every flag type, in the order shown. The types share the run's ``settings.alpha``
#: (pmreport.moderation.allotment): in a school where nothing is wrong, the chance of any flag at
#: all is at most ``settings.alpha``.
FLAG_TYPES = {
    "peer_objectives": "Number of objectives against similar colleagues",
    "peer_pupil_progress": "Share of objectives about pupil progress against similar colleagues",
    "peer_priority": "Share of objectives linked to school priorities against similar colleagues",
    "peer_determined": "Share of objectives determined by the reviewer against similar colleagues",
    "peer_observation": "Observation time (per FTE) against similar colleagues",
    "peer_development": "Development agreed against similar colleagues",
    "reviewer_pay": "Reviewer's no-progression recommendations against other reviewers",
    "reviewer_assessment": "Reviewer's assessments against other reviewers",
    "reviewer_objectives": "Reviewer's objectives per reviewee against other reviewers",
    "equality_pay": "Pay progression by protected characteristic",
    "equality_assessment": "Assessments by protected characteristic",
    "equality_development": "Agreed development not provided by protected characteristic",
}

NOTE_TYPES = {"peer_assessment": "Assessment rare among similar colleagues",
              "peer_pay": "Pay recommendation rare among similar colleagues"}


def _plain(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float | np.floating):
        return None if math.isnan(v) else (float(v) if math.isfinite(v) else str(v))
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, pd.Timestamp | date):
        return v.isoformat()[:10]
    return v


def records(df: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


@dataclass
class ModerationResult:
    cycle: str
    seed: int
    settings: ModerationSettings
    school: dict[str, Any]
    statements: pd.DataFrame
    peers: pd.DataFrame
    outcome_notes: pd.DataFrame
    reviewers: pd.DataFrame
    equality: pd.DataFrame
    group_rates: pd.DataFrame
    peer_groups: pd.DataFrame
    sample: pd.DataFrame
    sample_fraction: float
    as_of: date
    messages: list[str] = field(default_factory=list)

    # -- what was found ---------------------------------------------------------------------

    @property
    def flags(self) -> pd.DataFrame:
        """Every flag (unlikely to be chance), one row each: kind, who or what, reason."""
        return self._collect("flag")

    @property
    def notes(self) -> pd.DataFrame:
        """Points worth a look in moderation that could be chance."""
        return self._collect("note")

    def _collect(self, verdict: str) -> pd.DataFrame:
        parts = []
        p = self.peers[self.peers["verdict"] == verdict] if not self.peers.empty else self.peers
        if not p.empty:
            parts.append(pd.DataFrame({"flag_type": p["flag_type"], "about": "statement", "staff_id": p["staff_id"],
                                       "name": p["name"], "reviewer_id": p["reviewer_id"], "group": p["peer_group"],
                                       "p_adjusted": p["p_adjusted"], "reason": p["reason"]}))
        if verdict == "note" and not self.outcome_notes.empty:
            o = self.outcome_notes
            parts.append(pd.DataFrame({"flag_type": o["flag_type"], "about": "statement", "staff_id": o["staff_id"],
                                       "name": o["name"], "reviewer_id": o["reviewer_id"], "group": o["peer_group"],
                                       "p_adjusted": np.nan, "reason": o["reason"]}))
        r = self.reviewers[self.reviewers["verdict"] == verdict] if not self.reviewers.empty else self.reviewers
        if not r.empty:
            parts.append(pd.DataFrame({"flag_type": r["flag_type"], "about": "reviewer", "staff_id": pd.NA,
                                       "name": r["reviewer_name"], "reviewer_id": r["reviewer_id"], "group": pd.NA,
                                       "p_adjusted": r["p_adjusted"], "reason": r["reason"]}))
        e = self.equality[self.equality["verdict"] == verdict] if not self.equality.empty else self.equality
        if not e.empty:
            parts.append(pd.DataFrame({"flag_type": e["flag_type"], "about": "group", "staff_id": pd.NA, "name": pd.NA,
                                       "reviewer_id": pd.NA, "group": e["characteristic"] + ": " + e["group"],
                                       "p_adjusted": e["p_adjusted"], "reason": e["reason"]}))
        cols = ["flag_type", "about", "staff_id", "name", "reviewer_id", "group", "p_adjusted", "reason"]
        parts = [x.dropna(axis=1, how="all").reindex(columns=cols) for x in parts if not x.empty]
        if not parts:
            return pd.DataFrame(columns=cols)
        return pd.concat(parts, ignore_index=True)

    def flag_counts(self) -> pd.DataFrame:
        """Per flag type: how many comparisons were made (the family), flagged, noted, too few to say."""
        tally: dict[tuple[str, str], list[int]] = {}
        for kind, src in (("peer", self.peers), ("reviewer", self.reviewers), ("equality", self.equality)):
            if src.empty:
                continue
            rows = zip(src["flag_type"].tolist(), src["p_adjusted"].notna().tolist(), src["verdict"].tolist(), strict=True)
            for ft, compared, verdict in rows:
                t = tally.setdefault((kind, ft), [0, 0, 0, 0])
                t[0] += compared
                t[1] += verdict == "flag"
                t[2] += verdict == "note"
                t[3] += verdict in ("too few to say", "too few to compare")
        rows_out = []
        for ft, words in FLAG_TYPES.items():
            kind = "peer" if ft.startswith("peer") else "reviewer" if ft.startswith("reviewer") else "equality"
            compared, flags, notes, too_few = tally.get((kind, ft), [0, 0, 0, 0])
            rows_out.append({"flag_type": ft, "what": words, "compared": int(compared), "flags": int(flags),
                             "notes": int(notes), "too_few": int(too_few)})
        return pd.DataFrame(rows_out)

    def flagged_types(self) -> set[str]:
        f = self.flags
        return set(f["flag_type"]) if not f.empty else set()

    # -- for the disclosure gate ------------------------------------------------------------

    def aggregates(self) -> dict[str, pd.DataFrame]:
        """Tables with no names or staff references (counts, rates, intervals, verdicts), for the
        disclosure gate to check before anything reaches governors or unions."""
        eq_cols = ["flag_type", "outcome", "characteristic", "group", "comparison", "n_group", "events_group",
                   "rate_group", "n_comparison", "events_comparison", "rate_comparison", "rate_ratio", "rr_low",
                   "rr_high", "p_adjusted", "verdict"]
        sample = self.sample
        return {
            "peer_groups": self.peer_groups.copy(),
            "equality": self.equality.reindex(columns=eq_cols).copy(),
            "equality_by_group": self.group_rates.copy(),
            "flag_counts": self.flag_counts(),
            "moderation_sample": pd.DataFrame({
                "statements": [len(self.statements)], "sampled": [len(sample)],
                "moderated_in_time": [int((sample.get("moderation_status") == "moderated in time").sum()) if len(sample) else 0],
                "moderated_late": [int((sample.get("moderation_status") == "moderated late").sum()) if len(sample) else 0],
                "overdue": [int(sample.get("moderation_status", pd.Series(dtype=str)).astype(str).str.startswith("overdue").sum()) if len(sample) else 0],
            }),
        }

    # -- outputs ----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "confidential": "For the headteacher only: contains names and staff references.",
            "school": {k: _plain(v) for k, v in self.school.items()},
            "cycle": self.cycle,
            "seed": self.seed,
            "as_of": self.as_of.isoformat(),
            "settings": self.settings.to_dict(),
            "sample_fraction": self.sample_fraction,
            "messages": self.messages,
            "flag_counts": records(self.flag_counts()),
            "flags": records(self.flags),
            "notes": records(self.notes),
            "peer_groups": records(self.peer_groups),
            "reviewers": records(self.reviewers),
            "equality": records(self.equality),
            "equality_by_group": records(self.group_rates),
            "sample": records(self.sample_table()),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=str)

    def sample_table(self) -> pd.DataFrame:
        cols = {"staff_id": "Staff ID", "name": "Name", "reviewer_id": "Reviewer ID", "reviewer_name": "Reviewer",
                "peer_group": "Peer group", "meeting_date": "Meeting date", "moderation_due": "Moderation due",
                "moderation_date": "Moderated on", "moderation_status": "Status", "sample_reason": "Why in the sample"}
        s = self.sample.reindex(columns=list(cols))
        return s.rename(columns=cols)

    def summary_lines(self) -> list[str]:
        """A short account in words for the screen and the workbook's first sheet."""
        return self._summary_lines(self.flag_counts(), self.notes)

    def _summary_lines(self, counts: pd.DataFrame, notes: pd.DataFrame) -> list[str]:
        st = self.statements
        lines = [f"Cycle {self.cycle}: {len(st)} planning and review statements by {st['reviewer_id'].nunique()} reviewers."]
        comparable = int(st["peer_ok"].sum()) if len(st) else 0
        lines.append(f"{comparable} statements are in a peer group big enough to compare "
                     f"(at least {self.settings.min_peer_group} similar colleagues, counting themselves); "
                     f"{len(st) - comparable} {'is' if len(st) - comparable == 1 else 'are'} too few to compare.")
        n_flags = int(counts["flags"].sum())
        if n_flags:
            kinds = counts[counts["flags"] > 0]
            lines.append(f"{n_flags} flag{'s' if n_flags != 1 else ''} (differences unlikely to be chance): "
                         + "; ".join(f"{r.flags} x {r.what.lower()}" for r in kinds.itertuples()) + ".")
        else:
            lines.append("No flags: no difference large enough to be unlikely to be chance.")
        n_notes = len(notes)
        if n_notes:
            lines.append(f"{n_notes} point{'s' if n_notes != 1 else ''} worth a look in moderation that could be chance.")
        lines.append(f"Moderation sample: {len(self.sample)} of {len(st)} statements "
                     f"({100 * self.sample_fraction:.0f}% asked for, seed {self.seed}).")
        if len(self.sample) and "moderation_status" in self.sample:
            overdue = int(self.sample["moderation_status"].astype(str).str.startswith("overdue").sum())
            late = int((self.sample["moderation_status"] == "moderated late").sum())
            if overdue or late:
                lines.append(f"Of the sample, {late} moderated later than 10 working days after the meeting and "
                             f"{overdue} overdue.")
        lines.extend(self.messages)
        return lines

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The head's moderation workbook, sheet by sheet."""
        from pmreport.moderation.method import method_table

        st_cols = {"staff_id": "Staff ID", "name": "Name", "reviewer_id": "Reviewer ID", "reviewer_name": "Reviewer",
                   "peer_group": "Peer group", "peer_size": "Peer group size", "n_objectives": "Objectives",
                   "pupil_progress_share": "Share pupil progress", "priority_share": "Share linked to priorities",
                   "determined_share": "Share determined by reviewer", "observation_minutes": "PM observation minutes per FTE",
                   "development_agreed": "Development agreed", "assessment": "Assessment", "pay_eligible": "Pay eligible",
                   "pay_recommendation": "Pay recommendation", "pay_decision": "Pay decision",
                   "meeting_date": "Meeting date", "moderation_due": "Moderation due", "moderated": "Moderated",
                   "moderation_date": "Moderated on", "moderation_status": "Moderation status"}
        statements = self.statements.reindex(columns=list(st_cols)).rename(columns=st_cols)
        flag_cols = {"flag_type": "Kind", "about": "About", "staff_id": "Staff ID", "name": "Name",
                     "reviewer_id": "Reviewer ID", "group": "Group", "p_adjusted": "Chance (adjusted p)", "reason": "Why"}
        counts = self.flag_counts()
        found = self.notes
        flags = self.flags.rename(columns=flag_cols)
        notes = found.rename(columns=flag_cols)
        rev_cols = ["flag_type", "reviewer_id", "reviewer_name", "reviewees", "verdict", "reason", "p_value", "p_adjusted"]
        eq_cols = ["flag_type", "outcome", "characteristic", "group", "comparison", "n_group", "events_group", "rate_group",
                   "n_comparison", "events_comparison", "rate_comparison", "rate_ratio", "rr_low", "rr_high", "p_value",
                   "p_adjusted", "verdict", "reason"]
        summary = pd.DataFrame({"Summary": self._summary_lines(counts, found)})
        return {
            "Summary": summary,
            "Flags": flags,
            "Points to look at": notes,
            "Moderation sample": self.sample_table(),
            "Statements": statements,
            "Peer groups": _titled(self.peer_groups),
            "Reviewers": _titled(self.reviewers.reindex(columns=rev_cols)),
            "Equality": _titled(self.equality.reindex(columns=eq_cols)),
            "Equality by group": _titled(self.group_rates),
            "Flag counts": _titled(counts),
            "Method": method_table(self.settings),
        }


def _titled(df: pd.DataFrame) -> pd.DataFrame:
    """Column names as a reader would write them: 'rate_ratio' -> 'Rate ratio'."""
    return df.rename(columns=lambda c: str(c).replace("_", " ").capitalize())
