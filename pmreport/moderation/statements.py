"""One row per planning and review statement (a reviewee's review in a cycle), with everything the
moderation analysis compares: objectives, observation, development, assessment, pay, and the
reviewee's experience, responsibility and protected characteristics."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from pmreport.model import SchoolData
from pmreport.moderation.settings import ModerationSettings
from pmreport.schema import load_schemas

#: Observation purposes that count as performance management observation (App. 3 ¶4, ¶6).
PM_PURPOSES = ("performance_management", "additional")
#: Recorded values of religion or sexual orientation that mean "not known".
NOT_STATED = {"", "unknown", "not known", "not stated", "prefer not to say", "refused", "information refused",
              "not given", "n/a", "none given", "declined"}


def _flag(series: pd.Series) -> pd.Series:
    """A nullable yes/no column as plain True/False (missing is False)."""
    return series.astype("boolean").fillna(False).astype(bool)


def cycle_start(data: SchoolData, cycle: str) -> date:
    try:
        row = data.school_row(cycle)
        if pd.notna(row.get("cycle_start")):
            return pd.Timestamp(row["cycle_start"]).date()
    except ValueError:
        pass
    try:
        return date(int(str(cycle)[:4]), 9, 1)
    except ValueError:
        return date.today()


def experience_band(years: pd.Series, settings: ModerationSettings) -> pd.Series:
    """Index of the experience band each number of years falls in (bands are by their lowest year)."""
    lows = np.array([lo for lo, _ in settings.experience_bands], dtype=float)
    vals = pd.to_numeric(years, errors="coerce").to_numpy(dtype=float)
    idx = np.searchsorted(lows, vals, side="right") - 1
    out = pd.Series(np.where(np.isnan(vals), -1, np.clip(idx, 0, len(lows) - 1)), index=years.index)
    return out.astype(int)


def age_band_labels(settings: ModerationSettings) -> list[str]:
    lows = settings.age_bands
    out = []
    for i, lo in enumerate(lows):
        if i == 0:
            out.append(f"under {lows[1]}" if len(lows) > 1 else f"{lo}+")
        elif i == len(lows) - 1:
            out.append(f"{lo} and over")
        else:
            out.append(f"{lo}-{lows[i + 1] - 1}")
    return out


def _ages(staff: pd.DataFrame, start: date) -> pd.Series:
    age = pd.to_numeric(staff["age"], errors="coerce").astype(float)
    dob = pd.to_datetime(staff["date_of_birth"], errors="coerce")
    ts = pd.Timestamp(start)
    from_dob = (ts.year - dob.dt.year) - ((dob.dt.month > ts.month) | ((dob.dt.month == ts.month) & (dob.dt.day > ts.day)))
    return from_dob.astype(float).where(dob.notna(), age)


def _stated(series: pd.Series) -> pd.Series:
    s = series.astype("string").str.strip()
    return s.where(~s.str.lower().isin(NOT_STATED) & s.notna())


def _objective_counts(objectives: pd.DataFrame) -> pd.DataFrame:
    if objectives.empty:
        return pd.DataFrame(columns=["staff_id"])
    o = pd.DataFrame({
        "staff_id": objectives["staff_id"].astype(str),
        "n_objectives": 1,
        "n_pupil_progress": objectives["category"].eq("pupil_progress").fillna(False).astype(int),
        "n_linked": _flag(objectives["linked_to_priority"]).astype(int),
        "n_linked_known": objectives["linked_to_priority"].notna().astype(int),
        "n_determined": (objectives["agreed"].astype("boolean") == False).fillna(False).astype(int),  # noqa: E712
        "n_agreed_known": objectives["agreed"].notna().astype(int),
    })
    return o.groupby("staff_id", as_index=False).sum()


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
    st["reviewer_name"] = st["reviewer_id"].map(lambda r: names.get(r, pd.NA) if pd.notna(r) else pd.NA).astype("string")
    st = st.rename(columns={"_row": "reviews_row"})

    # objectives
    objectives = data.tables["objectives"]
    counts = _objective_counts(objectives[objectives["cycle"] == cycle])
    st = st.merge(counts, on="staff_id", how="left")
    for col in ("n_objectives", "n_pupil_progress", "n_linked", "n_linked_known", "n_determined", "n_agreed_known"):
        st[col] = pd.to_numeric(st[col], errors="coerce").fillna(0).astype(int) if col in st else 0
    with np.errstate(invalid="ignore", divide="ignore"):
        st["pupil_progress_share"] = np.where(st["n_objectives"] > 0, st["n_pupil_progress"] / st["n_objectives"], np.nan)
        st["priority_share"] = np.where(st["n_linked_known"] > 0, st["n_linked"] / st["n_linked_known"], np.nan)
        st["determined_share"] = np.where(st["n_agreed_known"] > 0, st["n_determined"] / st["n_agreed_known"], np.nan)

    # observation (performance management purposes, FTE-adjusted)
    obs = data.tables["observations"]
    obs = obs[obs["cycle"] == cycle]
    if obs.empty:
        st["observation_minutes_raw"] = np.nan
        st["observation_minutes"] = np.nan
    else:
        pm = obs[obs["purpose"].isin(PM_PURPOSES).fillna(False)]
        minutes = pd.to_numeric(pm["duration_minutes"], errors="coerce").groupby(pm["staff_id"].astype(str)).sum()
        st["observation_minutes_raw"] = st["staff_id"].map(minutes).fillna(0).astype(float)
        fte = pd.to_numeric(st["fte"], errors="coerce").astype(float)
        st["observation_minutes"] = st["observation_minutes_raw"] / fte.where(fte > 0)

    # development
    dev = data.tables["development"]
    dev = dev[dev["cycle"] == cycle]
    if dev.empty:
        st["development_agreed"] = np.nan
        st["development_not_provided"] = np.nan
    else:
        ids = dev["staff_id"].astype(str)
        st["development_agreed"] = st["staff_id"].map(ids.value_counts()).fillna(0).astype(float)
        short = dev["provided"].isin(["no", "partly"]).fillna(False)
        st["development_not_provided"] = st["staff_id"].map(ids[short.to_numpy()].value_counts()).fillna(0).astype(float)

    # pay: the decision where made, else the recommendation; only among those eligible
    eligible = _flag(st["pay_eligible"])
    decided = st["pay_decision"].where(st["pay_decision"].isin(["progress", "no_progress"]).fillna(False))
    recommended = st["pay_recommendation"].where(st["pay_recommendation"].isin(["progress", "no_progress"]).fillna(False))
    st["pay_outcome"] = decided.fillna(recommended).where(eligible).astype("string")
    st["pay_recommended"] = recommended.where(eligible).astype("string")

    # experience band and protected characteristics
    st["experience_band"] = experience_band(st["years_experience"], settings)
    group_of = load_schemas()["staff"].field("ethnicity").group_of
    st["ethnicity_group"] = st["ethnicity"].map(lambda c: group_of.get(str(c).upper(), pd.NA) if pd.notna(c) else pd.NA).astype("string")
    ages = _ages(st, cycle_start(data, cycle))
    st["age_years"] = ages
    labels = age_band_labels(settings)
    bins = list(settings.age_bands) + [200]
    st["age_band"] = pd.cut(ages, bins=bins, right=False, labels=labels).astype("string")
    fte = pd.to_numeric(st["fte"], errors="coerce")
    st["part_time"] = (fte < 1).astype("boolean").where(fte.notna())
    st["religion_belief"] = _stated(st["religion_belief"])
    st["sexual_orientation"] = _stated(st["sexual_orientation"])
    st["cycle"] = cycle
    return st.sort_values("staff_id", kind="stable").reset_index(drop=True)
