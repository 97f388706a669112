"""Every check of a run together, sharing the run's 5% (see :mod:`pmreport.moderation.allotment`).

First every comparison is made without words, to learn which flag types could flag anything at
all (from the smallest p-value each test could give, fixed by the numbers compared); then the
comparisons are made again with each type's share of the 5%, and the reasons are written."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmreport.moderation.allotment import Allotment, kinds_sharing
from pmreport.moderation.equality import compare_groups, compare_groups_and_rates
from pmreport.moderation.peers import compare_peers
from pmreport.moderation.reviewer_effects import compare_reviewers
from pmreport.moderation.settings import ModerationSettings


@dataclass
class Checks:
    peers: pd.DataFrame
    reviewers: pd.DataFrame
    equality: pd.DataFrame
    group_rates: pd.DataFrame
    allotment: Allotment


def _p_mins(frames: list[pd.DataFrame]) -> list[np.ndarray]:
    out: list[np.ndarray] = []
    for d in frames:
        if d.empty or "p_min" not in d:
            continue
        for _, g in d.groupby("flag_type", sort=True):
            out.append(g["p_min"].to_numpy(dtype=float))
    return out


def allotment_for(st: pd.DataFrame, pooled: pd.DataFrame, settings: ModerationSettings) -> Allotment:
    """How many flag types share the run's 5% for these statements (``pooled``: the statements the
    reviewer and equality comparisons use)."""
    frames = [compare_peers(st, settings, explain=False), compare_reviewers(pooled, settings, explain=False),
              compare_groups(pooled, settings, explain=False)]
    return Allotment(settings.alpha, kinds_sharing(_p_mins(frames), settings.alpha))


def run_checks(st: pd.DataFrame, pooled: pd.DataFrame, settings: ModerationSettings, explain: bool = True) -> Checks:
    """Peers (``st``, one cycle), reviewers and equality (``pooled``), under one guarantee for the run."""
    allot = allotment_for(st, pooled, settings)
    peers = compare_peers(st, settings, explain, allot)
    reviewers = compare_reviewers(pooled, settings, explain, allot)
    equality, rates = compare_groups_and_rates(pooled, settings, explain, allot)
    return Checks(peers, reviewers, equality, rates, allot)


def guarantee_words(allot: Allotment) -> str:
    """What a flag means, for the head."""
    share = f"{100 * allot.level:.2g}%"
    return (f"What a flag means: in a school where nothing is wrong, pmreport raises any flag at all in at most "
            f"1 run in {round(1 / allot.alpha)} ({allot.kinds} kind{'s' if allot.kinds != 1 else ''} of check could "
            f"flag something with these numbers, each allowed {share}). A flag is a reason to look, not proof.")
