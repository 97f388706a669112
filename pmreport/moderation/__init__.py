"""Moderation, consistency of treatment and equality (policy §5), statistically honest at school size.

    from pmreport.moderation import run_moderation
    result = run_moderation(data, cycle="2025/26", seed=2025)
    result.flags        # differences unlikely to be chance, each with its reason in words
    result.notes        # differences worth a look that could be chance
    result.sample       # option (b): the statements to moderate, with their due dates
    result.aggregates() # tables without names, for the disclosure gate
    result.to_json()

See docs/moderation.md for the method and its calibration.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from pmreport.errors import InputUnusable
from pmreport.model import SchoolData
from pmreport.moderation.checks import guarantee_words, run_checks
from pmreport.moderation.peers import assign_peer_groups, outcome_notes, peer_group_table
from pmreport.moderation.result import FLAG_TYPES, NOTE_TYPES, ModerationResult
from pmreport.moderation.sample_check import draw_sample, moderation_due, moderation_status
from pmreport.moderation.settings import ModerationSettings
from pmreport.moderation.statements import build_statements
from pmreport.run_date import run_date
from pmreport.school_year import working_calendar

DEFAULT_SEED = 20250901

__all__ = ["DEFAULT_SEED", "FLAG_TYPES", "NOTE_TYPES", "ModerationResult", "ModerationSettings", "run_moderation"]


def _school_info(data: SchoolData, cycle: str) -> dict:
    try:
        row = data.school_row(cycle)
    except ValueError:
        return {}
    return {k: (None if pd.isna(v := row.get(k)) else v)
            for k in ("urn", "school_name", "phase", "moderation_option", "moderation_sample_fraction")}


def _fraction(info: dict, settings: ModerationSettings, override: float | None, messages: list[str]) -> float:
    if override is not None:
        return float(override)
    option = info.get("moderation_option")
    given = info.get("moderation_sample_fraction")
    if option == "all":
        messages.append("The school moderates all planning statements (option (a)): the sample is every statement.")
        return 1.0
    if option == "none":
        messages.append("The school sheet says planning statements are not moderated (option (c)); "
                        "a sample is listed in case the head wants one.")
    elif option == "head_reviews_all":
        messages.append("The head reviews all teachers (option 1), so moderation is part of those reviews; "
                        "a sample is listed for a second look.")
    if pd.notna(given) and given is not None and float(given) > 0:
        return float(given)
    messages.append(f"The school sheet gives no moderation sample fraction: {100 * settings.default_sample_fraction:.0f}% "
                    "of statements were sampled.")
    return settings.default_sample_fraction


def _pooled(data: SchoolData, cycle: str, st: pd.DataFrame, settings: ModerationSettings, pool_cycles: int,
            messages: list[str]) -> pd.DataFrame:
    """The statements of ``cycle`` and of the ``pool_cycles - 1`` cycles before it."""
    if pool_cycles <= 1:
        return st
    earlier = [c for c in data.cycles if c < cycle][-(pool_cycles - 1):]
    if not earlier:
        messages.append(f"Only {cycle} is in the data, so no earlier cycles could be pooled.")
        return st
    parts = [assign_peer_groups(build_statements(data, c, settings), settings) for c in earlier]
    messages.append(f"Reviewers and protected groups are compared over {earlier[0]} to {cycle} "
                    "(each person counted once per cycle, compared within each cycle).")
    return pd.concat([*parts, st], ignore_index=True)


def run_moderation(data: SchoolData, cycle: str | None = None, seed: int = DEFAULT_SEED, *,
                   settings: ModerationSettings | None = None, sample_fraction: float | None = None,
                   as_of: date | None = None, pool_cycles: int = 1, with_sample: bool = True,
                   explain: bool = True) -> ModerationResult:
    """Peer groups, statements that stand out, reviewer consistency, equality and the option (b)
    sample for one cycle (the latest when ``cycle`` is not given).

    ``pool_cycles`` > 1 compares reviewers and groups over that many cycles up to ``cycle`` (each
    person counted once per cycle, compared within cycle): more data, so more power, at the price
    of assuming a person's outcomes in different years are not tied to each other beyond what
    their peer group explains. Statements are always compared within ``cycle``.

    ``as_of`` is the date moderation status is judged on (the run date, :func:`pmreport.run_date.run_date`, when not given). ``with_sample=False``
    and ``explain=False`` (no reasons in words, no per-group rates, no notes on single outcomes) give
    the same verdicts faster, for the calibration study.
    """
    settings = settings or ModerationSettings()
    as_of = run_date(as_of)
    if cycle is None:
        cycle = data.latest_cycle
        if cycle is None:
            raise InputUnusable("There are no reviews to moderate: no cycle is recorded in the school or reviews sheet.",
                                "Add the year's reviews to the reviews sheet.")
    elif cycle not in data.cycles:
        have = ", ".join(data.cycles) or "none"
        raise InputUnusable(f"There is no cycle {cycle} in the data (cycles found: {have}).",
                            "Give one of those with --cycle, written like 2025/26.")
    messages: list[str] = []
    st = build_statements(data, cycle, settings)
    if st.empty:
        messages.append(f"There are no reviews for {cycle}: nothing to moderate.")
    st = assign_peer_groups(st, settings)
    pooled = _pooled(data, cycle, st, settings, pool_cycles, messages)
    if st["reviewer_id"].nunique() < 2:
        messages.append("There is only one reviewer this cycle, so reviewers cannot be compared with each other.")
    if st["n_objectives"].sum() == 0:
        messages.append("No objectives are recorded for this cycle.")
    if st["observation_minutes"].isna().all():
        messages.append("No observations are recorded for this cycle, so observation time is not compared.")
    if st["development_agreed"].isna().all():
        messages.append("No development is recorded for this cycle, so development is not compared.")

    checks = run_checks(st, pooled, settings, explain)
    peers, reviewers, equality, rates = checks.peers, checks.reviewers, checks.equality, checks.group_rates
    messages.append(guarantee_words(checks.allotment))
    notes = outcome_notes(st, settings) if explain else outcome_notes(st.iloc[0:0], settings)

    info = _school_info(data, cycle)
    if with_sample:
        st["moderation_due"] = moderation_due(st, working_calendar(data.tables["calendar"]),
                                             settings.moderation_working_days)
        st["moderation_status"] = moderation_status(st, st["moderation_due"], as_of)
        fraction = _fraction(info, settings, sample_fraction, messages)
        sample = draw_sample(st, fraction, seed, settings)
    else:
        fraction = 0.0
        sample = st.iloc[0:0]
    return ModerationResult(cycle=cycle, seed=seed, settings=settings, school=info, statements=st, peers=peers,
                            outcome_notes=notes, reviewers=reviewers, equality=equality, group_rates=rates,
                            peer_groups=peer_group_table(st), sample=sample, sample_fraction=fraction, as_of=as_of,
                            messages=messages)
