"""One row per planning and review statement (a reviewee's review in a cycle), with everything the
moderation analysis compares: objectives, observation, development, assessment, pay, and the
reviewee's experience, responsibility and protected characteristics."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from pmreport.model import SchoolData
from pmreport.moderation import grouped
from pmreport.moderation.settings import ModerationSettings
from pmreport.schema import load_schemas
from pmreport.school_year import AGE_BAND_WORDS, SchoolYear, age_band, ages_at

#: Observation purposes that count as performance management observation (App. 3 ¶4, ¶6).
PM_PURPOSES = ("performance_management", "additional")
#: Recorded values of religion or sexual orientation that mean "not known".
NOT_STATED = {"", "unknown", "not known", "not stated", "prefer not to say", "refused", "information refused",
              "not given", "n/a", "none given", "declined"}


def _flag(series: pd.Series) -> pd.Series:
    """A nullable yes/no column as plain True/False (missing is False)."""
    return series.astype("boolean").fillna(False).astype(bool)


def experience_band(years: pd.Series, settings: ModerationSettings) -> pd.Series:
    """Index of the experience band each number of years falls in (bands are by their lowest year)."""
    lows = np.array([lo for lo, _ in settings.experience_bands], dtype=float)
    vals = pd.to_numeric(years, errors="coerce").to_numpy(dtype=float)
    idx = np.searchsorted(lows, vals, side="right") - 1
    out = pd.Series(np.where(np.isnan(vals), -1, np.clip(idx, 0, len(lows) - 1)), index=years.index)
    return out.astype(int)


def _stated(series: pd.Series) -> pd.Series:
    s = series.astype("string").str.strip()
    return s.where(~s.str.lower().isin(NOT_STATED) & s.notna())


COUNT_COLUMNS = ("n_objectives", "n_pupil_progress", "n_linked", "n_linked_known", "n_determined", "n_agreed_known")


def _objective_tallies(objectives: pd.DataFrame, staff_ids: list[str]) -> np.ndarray:
    """Per statement (one per ``staff_ids``, 0 where none): objectives, how many are about pupil progress,
    linked to priorities (and how many say whether), determined without agreement (and how many say)."""
    out = np.zeros((len(staff_ids), len(COUNT_COLUMNS)), dtype=np.int64)
    if objectives.empty:
        return out
    parts = np.column_stack([
        np.ones(len(objectives), dtype=np.int64),
        objectives["category"].eq("pupil_progress").fillna(False).to_numpy(dtype=np.int64),
        _flag(objectives["linked_to_priority"]).to_numpy(dtype=np.int64),
        objectives["linked_to_priority"].notna().to_numpy(dtype=np.int64),
        (objectives["agreed"].astype("boolean") == False).fillna(False).to_numpy(dtype=np.int64),  # noqa: E712
        objectives["agreed"].notna().to_numpy(dtype=np.int64),
    ])
    codes, ids = pd.factorize(objectives["staff_id"].astype(str).to_numpy(dtype=object))
    sums = np.zeros((len(ids), len(COUNT_COLUMNS)), dtype=np.int64)
    np.add.at(sums, codes[codes >= 0], parts[codes >= 0])  # (no staff reference: not anyone's)
    where = {sid: i for i, sid in enumerate(ids.tolist())}
    for row, sid in enumerate(staff_ids):
        i = where.get(sid)
        if i is not None:
            out[row] = sums[i]
    return out


def build_statements(data: SchoolData, cycle: str, settings: ModerationSettings) -> pd.DataFrame:
    """The statements of ``cycle`` with their measures; one row per reviews row of the cycle."""
    reviews = data.tables["reviews"]
    reviews = reviews[reviews["cycle"] == cycle].copy()
    reviews["staff_id"] = reviews["staff_id"].astype(str)
    staff = data.staff_in(cycle).copy()
    staff["staff_id"] = staff["staff_id"].astype(str)
    staff = staff.drop_duplicates("staff_id")
    names = staff.set_index("staff_id")["name"]

    keep_staff = ["staff_id", "name", "role_group", "post", "responsibility", "pay_range", "fte", "years_experience",
                  "sex", "ethnicity", "disability", "date_of_birth", "age", "pregnancy_maternity", "religion_belief",
                  "sexual_orientation"]
    st = reviews[["staff_id", "reviewer_id", "meeting_date", "assessment", "pay_eligible", "pay_recommendation",
                  "pay_decision", "moderated", "moderation_date", "moderation_outcome", "_row"]].merge(
        staff[keep_staff], on="staff_id", how="left")
    st["reviewer_id"] = st["reviewer_id"].astype("string")
    name_of = dict(zip(names.index.tolist(), names.tolist(), strict=True))
    st["reviewer_name"] = pd.array([name_of.get(r, pd.NA) if r is not pd.NA else pd.NA for r in st["reviewer_id"].tolist()],
                                   dtype="string")
    st = st.rename(columns={"_row": "reviews_row"})

    staff_ids = st["staff_id"].tolist()
    new: dict[str, Any] = {}  # the columns worked out here, added together at the end

    # objectives
    objectives = data.tables["objectives"]
    tallies = _objective_tallies(objectives[objectives["cycle"] == cycle], staff_ids)
    for j, col in enumerate(COUNT_COLUMNS):
        new[col] = tallies[:, j]
    with np.errstate(invalid="ignore", divide="ignore"):
        for col, (n_col, k_col) in (("pupil_progress_share", ("n_objectives", "n_pupil_progress")),
                                    ("priority_share", ("n_linked_known", "n_linked")),
                                    ("determined_share", ("n_agreed_known", "n_determined"))):
            new[col] = np.where(new[n_col] > 0, new[k_col] / new[n_col], np.nan)

    # observation (performance management purposes, FTE-adjusted)
    obs = data.tables["observations"]
    obs = obs[obs["cycle"] == cycle]
    if obs.empty:
        new["observation_minutes_raw"] = np.full(len(st), np.nan)
        new["observation_minutes"] = np.full(len(st), np.nan)
    else:
        pm = obs[obs["purpose"].isin(PM_PURPOSES).fillna(False)]
        codes, who = grouped.codes(pm["staff_id"].astype(str))
        minutes = pd.to_numeric(pm["duration_minutes"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        total = dict(zip(who, grouped.float_sums(minutes, codes, len(who)).tolist(), strict=True))
        raw = np.array([total.get(sid, 0.0) for sid in staff_ids], dtype=float)
        fte = pd.to_numeric(st["fte"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        new["observation_minutes_raw"] = raw
        with np.errstate(invalid="ignore", divide="ignore"):
            new["observation_minutes"] = raw / np.where(fte > 0, fte, np.nan)

    # development
    dev = data.tables["development"]
    dev = dev[dev["cycle"] == cycle]
    if dev.empty:
        new["development_agreed"] = np.full(len(st), np.nan)
        new["development_not_provided"] = np.full(len(st), np.nan)
    else:
        ids = dev["staff_id"].astype(str).tolist()
        short = dev["provided"].isin(["no", "partly"]).fillna(False).tolist()
        agreed = Counter(ids)
        not_provided = Counter(i for i, s in zip(ids, short, strict=True) if s)
        new["development_agreed"] = np.array([agreed.get(sid, 0) for sid in staff_ids], dtype=float)
        new["development_not_provided"] = np.array([not_provided.get(sid, 0) for sid in staff_ids], dtype=float)

    # pay: the decision where made, else the recommendation; only among those eligible
    eligible = _flag(st["pay_eligible"])
    decided = st["pay_decision"].where(st["pay_decision"].isin(["progress", "no_progress"]).fillna(False))
    recommended = st["pay_recommendation"].where(st["pay_recommendation"].isin(["progress", "no_progress"]).fillna(False))
    new["pay_outcome"] = decided.fillna(recommended).where(eligible).astype("string")
    new["pay_recommended"] = recommended.where(eligible).astype("string")

    # experience band and protected characteristics
    new["experience_band"] = experience_band(st["years_experience"], settings)
    group_of = load_schemas()["staff"].field("ethnicity").group_of
    new["ethnicity_group"] = pd.array([group_of.get(str(c).upper(), pd.NA) if pd.notna(c) else pd.NA
                                       for c in st["ethnicity"].tolist()], dtype="string")
    ages = ages_at(st, SchoolYear.of_data(data, cycle).start)
    new["age_years"] = ages
    new["age_band"] = pd.array([AGE_BAND_WORDS[age_band(a)] if pd.notna(a) else pd.NA for a in ages.tolist()],
                               dtype="string")
    fte_known = pd.to_numeric(st["fte"], errors="coerce")
    new["part_time"] = (fte_known < 1).astype("boolean").where(fte_known.notna())
    st["religion_belief"] = _stated(st["religion_belief"])
    st["sexual_orientation"] = _stated(st["sexual_orientation"])
    new["cycle"] = pd.Series(cycle, index=st.index)
    st = pd.concat([st, pd.DataFrame(new, index=st.index)], axis=1)
    return st.sort_values("staff_id", kind="stable").reset_index(drop=True)
