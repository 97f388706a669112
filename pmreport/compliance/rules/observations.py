"""Rules of the lesson observation protocol (Appendix 3)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pmreport.compliance.context import CheckContext
from pmreport.compliance.outcomes import (
    BREACHED,
    MET,
    NOT_APPLICABLE,
    NOT_RECORDED,
    decide,
    detail,
    fmt_dates,
    mask,
    text,
)
from pmreport.compliance.rules.base import Rule, out_of_scope, rule, seed_policy
from pmreport.compliance.rules.timing import within_cases
from pmreport.model import SOURCE_COLUMNS
from pmreport.school_year import policy_default

SOURCE = "Model policy, Appendix 3"
#: Purposes that count towards the cap (DESIGN.md, Conventions): not drop-ins, not quality assurance visits.
CAPPED_PURPOSES = ("performance_management", "additional")
TEACHING_ROLES = ("teacher", "headteacher")


def _observations(ctx: CheckContext) -> pd.DataFrame:
    """The cycle's observations, each named as an item (shared by the observation rules)."""
    def make() -> pd.DataFrame:
        obs = ctx.rows("observations")
        obs["item"] = "observation on " + fmt_dates(obs["observation_date"]) + " by " + text(obs["observer_id"].fillna("?"))
        return obs

    return ctx.shared("observations", make).copy(deep=False)


def _first_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per staff id (the earliest observation), keeping its file, sheet and row for tracing.

    In staff id order (a missing id last); an observation with no date comes after those with one, and
    of observations on the same day the first on the sheet is kept.
    """
    person, ids = pd.factorize(frame["staff_id"], sort=True)
    person[person < 0] = len(ids)
    when = frame["observation_date"].to_numpy(dtype="datetime64[ns]")
    day = np.where(np.isnat(when), np.iinfo(np.int64).max, when.view(np.int64))
    order = np.lexsort((day, person))  # stable, so ties keep the sheet's order
    first = order[np.r_[True, person[order][1:] != person[order][:-1]]] if len(order) else order
    return frame[["staff_id", *SOURCE_COLUMNS]].iloc[first].reset_index(drop=True)


def _person(ids: pd.Series, frame: pd.DataFrame) -> np.ndarray:
    """Where each of ``frame``'s rows is in ``ids`` by its staff id (-1 where it has none)."""
    return np.where(frame["staff_id"].isna().to_numpy(), -1, pd.Index(ids).get_indexer(frame["staff_id"]))


def _per_person(person: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """The sum of ``values`` over each person's rows (``person`` as from :func:`_person`)."""
    return np.bincount(person[person >= 0], weights=values[person >= 0], minlength=n).astype(float)


@rule(
    id="observation_cap",
    title="Observation for performance management within {observation_cap_hours:g} hours a cycle, pro rata",
    citation="App. 3 ¶4",
    source=SOURCE,
    policy_text=seed_policy(
        """The total period for classroom observation for performance management purposes arranged for any
        member of staff will not exceed three hours per cycle (pro rata for part time staff) having regard to the
        individual circumstances of the teacher."""
    ),
    applies_to="Every member of staff in scope who was observed in the cycle.",
    unit="person",
    defaults={"observation_cap_hours": policy_default("observation_cap_hours")},
    method=(
        "Adds up the minutes of the person's observations for performance management purposes "
        "(performance_management and additional; drop-ins and quality assurance visits do not count) and "
        "compares the total with the cap: the school's observation_cap_hours ({observation_cap_hours:g} when blank) × 60 × "
        "FTE, so 3 hours at 0.6 FTE gives 108 minutes. Met at or under the cap, breached over it. Not recorded when the total "
        "could be over the cap but an observation's length or purpose, or the person's FTE, is not recorded."
    ),
)
def observation_cap(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    obs = _observations(ctx)
    hours = float(ctx.setting("observation_cap_hours", r.defaults["observation_cap_hours"]))
    counted = obs["purpose"].isin(CAPPED_PURPOSES).fillna(False).to_numpy(dtype=bool)
    duration = obs["duration_minutes"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    unknown = obs["purpose"].isna().to_numpy() | (counted & np.isnan(duration))

    units = _first_rows(obs)
    ids = units["staff_id"]
    person = _person(ids, obs)
    total = pd.Series(_per_person(person, np.where(counted & ~np.isnan(duration), duration, 0), len(ids)))
    total[ids.isna()] = np.nan  # observations with no staff id are nobody's
    uncertain = _per_person(person, unknown.astype(float), len(ids)) > 0
    fte = ctx.staff_value(ids, "fte").astype(float)
    cap = (hours * 60 * fte).round(6)
    said = text(total.astype(int)) + " minutes against a cap of " + text(_number(cap)) + (
        f" ({hours:g} hours × FTE " + text(fte) + ")"
    )
    units["item"] = pd.NA
    out = decide(
        units,
        [
            out_of_scope(ctx, ids),
            (total > cap, BREACHED, said),
            (fte.isna(), NOT_RECORDED, "the FTE is not recorded, so the cap is not known"),
            (uncertain, NOT_RECORDED, said + ", but the length or purpose of an observation is not recorded"),
        ],
        (MET, said),
    )
    return detail(out)


@rule(
    id="observation_notice",
    title="At least one week's notice of an observation",
    citation="App. 3 ¶5",
    source=SOURCE,
    policy_text=seed_policy(
        """Staff will be notified or reminded of the observer’s visit at least one week in advance of the date
        and time of the visit."""
    ),
    applies_to=(
        "Every observation in the cycle of a member of staff in scope, except drop-ins (App. 3 ¶6), which are "
        "unannounced by nature. Quality assurance visits are arranged, so they are included."
    ),
    unit="observation",
    defaults={"calendar_days": 7},
    method=(
        "Met when the notice date is at least {calendar_days} calendar days before the observation date, breached when "
        "fewer. "
        "Not recorded when the notice date is blank or after the observation."
    ),
)
def observation_notice(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    obs = _observations(ctx)
    days = r.defaults["calendar_days"]
    given, seen = obs["notice_date"], obs["observation_date"]
    gap = (seen - given).dt.days.astype("Int64")  # whole days: "6 days", never "6.0 days"
    said = "notice on " + fmt_dates(given) + ", " + text(gap) + " days before the observation"
    out = decide(
        obs,
        [
            out_of_scope(ctx, obs["staff_id"]),
            (obs["purpose"] == "drop_in", NOT_APPLICABLE, "a drop-in (App. 3 ¶6)"),
            (seen.isna(), NOT_RECORDED, "the observation date is not recorded"),
            (given.isna(), NOT_RECORDED, "the date notice was given is not recorded"),
            (given > seen, NOT_RECORDED, "notice is dated " + fmt_dates(given) + ", after the observation, so its "
             "real date is not recorded"),
            (gap < days, BREACHED, said + f" (at least {days} needed)"),
        ],
        (MET, said),
    )
    return detail(out)


def _observation_within(ctx: CheckContext, r: Rule, column: str, words: str) -> pd.DataFrame:
    obs = _observations(ctx)
    breaches, unrecorded, met = within_cases(
        ctx, obs["observation_date"], obs[column], r.defaults["working_days"], "the observation", words
    )
    out = decide(obs, [out_of_scope(ctx, obs["staff_id"]), *breaches, *unrecorded], (MET, met))
    return detail(out)


@rule(
    id="observation_feedback",
    title="Feedback meeting within {working_days} working day of an observation",
    citation="App. 3 ¶11",
    source=SOURCE,
    policy_text=seed_policy(
        """The observer will meet the member of staff within one working day of the activity/lesson to discuss
        the observations."""
    ),
    applies_to=(
        "Every observation in the cycle of a member of staff in scope, whatever its purpose: the protocol applies "
        "to any observed activity, and drop-ins keep its principles (App. 3 ¶6)."
    ),
    unit="observation",
    defaults={"working_days": 1},
    method=(
        "Met when the feedback meeting is on the day of the observation or no later than the next working day. "
        "Breached when later. Not recorded when either date is blank, or feedback is dated before the observation."
    ),
)
def observation_feedback(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    return _observation_within(ctx, r, "feedback_date", "the feedback meeting")


@rule(
    id="observation_record",
    title="Written record of an observation within {working_days} working days",
    citation="App. 3 ¶13",
    source=SOURCE,
    policy_text=seed_policy(
        """The observer must complete a record of the observation feedback as soon as possible after the activity
        and no later than five working days afterwards."""
    ),
    applies_to="Every observation in the cycle of a member of staff in scope, whatever its purpose.",
    unit="observation",
    defaults={"working_days": 5},
    method=(
        "Met when the written record is dated no later than {working_days} working days after the observation (the "
        "observation day not counted). Breached when later. Not recorded when either date is blank, or the "
        "record is dated before the observation."
    ),
)
def observation_record(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    return _observation_within(ctx, r, "record_date", "the written record")


@rule(
    id="observation_in_plan",
    title="Performance management observations arranged in the plan, or at a revision meeting",
    citation="App. 3 ¶3, ¶5, ¶16",
    source=SOURCE,
    policy_text=seed_policy(
        """The intended arrangements for classroom observation should be discussed with the individual member of
        the teaching and learning staff at the beginning of the performance management cycle and recorded in the
        planning and review statement. … The arrangements for classroom observation will be included in the plan
        in the planning and review statement … The amount and the focus of any additional classroom observation
        should be determined jointly at a revision meeting."""
    ),
    applies_to=(
        "Every observation for performance management (performance_management or additional) in the cycle of a "
        "member of staff in scope. Drop-ins (App. 3 ¶6) and quality assurance visits are not arranged in the plan."
    ),
    unit="observation",
    method=(
        "Met when in_plan is Y: the observation is in the planning and review statement (an additional one once "
        "a revision meeting has added it, §6, App. 3 ¶16). Breached when in_plan is N: an observation outside "
        "the plan needs a revision meeting, and the revised statement should record it. Not recorded when "
        "in_plan is blank."
    ),
)
def observation_in_plan(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    obs = _observations(ctx)
    planned = obs["in_plan"]
    counted = obs["purpose"].isin(CAPPED_PURPOSES).fillna(False).astype(bool)
    out = decide(
        obs,
        [
            out_of_scope(ctx, obs["staff_id"]),
            (obs["purpose"].isna(), NOT_RECORDED, "the purpose of the observation is not recorded"),
            (~counted, NOT_APPLICABLE, "not an observation for performance management"),
            (planned.isna(), NOT_RECORDED, "not recorded whether the observation was in the plan"),
            (~planned.fillna(True).astype(bool), BREACHED, "not in the planning and review statement: an observation "
             "outside the plan needs a revision meeting (App. 3 ¶16, §6)"),
        ],
        (MET, "in the planning and review statement"),
    )
    return detail(out)


@rule(
    id="observer_qualified",
    title="Teachers observed only by qualified teachers",
    citation="App. 3 ¶1",
    source=SOURCE,
    policy_text=seed_policy("Observation of a teacher may only be undertaken by a qualified teacher."),
    applies_to="Every teacher (or headteacher) in scope who was observed in the cycle, whatever the purpose.",
    unit="person",
    method=(
        "Looks up each observer's qts on the staff sheet. Breached when any observer of the teacher in the cycle "
        "does not hold QTS (the observers are named). Otherwise not recorded when an observer's QTS is not known "
        "(not on the staff sheet, EXTERNAL, or qts blank); met when every observer holds QTS."
    ),
)
def observer_qualified(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    obs = _observations(ctx)
    obs = obs[ctx.staff_value(obs["staff_id"], "role_group").isin(TEACHING_ROLES).fillna(False).astype(bool)]
    qts = ctx.staff_value(obs["observer_id"], "qts")
    units = _first_rows(obs)
    ids = units["staff_id"]
    units["item"] = pd.NA
    unqualified = _observer_list(ids, obs, qts == False)  # noqa: E712
    unknown = _observer_list(ids, obs, qts.isna())
    out = decide(
        units,
        [
            out_of_scope(ctx, ids),
            (unqualified != "", BREACHED, "observed by " + unqualified + ", without QTS"),
            (unknown != "", NOT_RECORDED, "not recorded whether " + unknown + " holds QTS"),
        ],
        (MET, "every observer holds QTS"),
    )
    return detail(out)


def _number(values: pd.Series) -> pd.Series:
    """Numbers for reading: 108 rather than 108.0, 97.2 to one decimal place."""
    return values.round(1).astype("string").str.replace(r"\.0$", "", regex=True)


def _observer_list(ids: pd.Series, obs: pd.DataFrame, condition: pd.Series) -> np.ndarray:
    """For each id, its observers meeting ``condition``: each once, in order, an unnamed one last ("" when none)."""
    hit = mask(condition, obs.index)
    observers: dict[str, set[Any]] = {}
    for staff_id, observer in zip(text(obs["staff_id"])[hit], text(obs["observer_id"])[hit], strict=True):
        if staff_id is not pd.NA:
            observers.setdefault(staff_id, set()).add(observer)
    return np.array([_names(observers.get(staff_id, set())) for staff_id in ids.tolist()], dtype=object)


def _names(observers: set[Any]) -> str:
    named = sorted(o for o in observers if o is not pd.NA)
    return ", ".join(named + ["an unnamed observer"] * (len(named) < len(observers)))
