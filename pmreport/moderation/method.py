"""The method in words, for the workbook's last sheet (docs/moderation.md has the full account)."""

from __future__ import annotations

import pandas as pd

from pmreport.moderation.settings import ModerationSettings


def method_table(settings: ModerationSettings) -> pd.DataFrame:
    bands = ", ".join(settings.band_labels())
    a = f"{100 * settings.alpha:.0f}%"
    rows = [
        ("Peer groups", f"Role group x level of responsibility x years of experience ({bands}). A band with fewer than "
         f"{settings.min_peer_group} statements is merged with the next band; if the group is still smaller, its "
         "statements are 'too few to compare'."),
        ("Flag", f"A difference unlikely to be chance: in a school where nothing is wrong, pmreport raises any flag at "
         f"all in at most {a} of runs. The {a} is shared equally between the kinds of check that could flag anything "
         "with the school's numbers, and Holm's method allows for every comparison within a kind."),
        ("Point to look at", "A difference big enough to matter, but that could be chance. Worth a look in moderation; "
         "not evidence on its own."),
        ("Too few to say", f"Either side has fewer than {settings.min_group} people, or even the most lopsided split "
         f"of these numbers could not be told apart from chance at {a}. No verdict is given."),
        ("Statements against peers", "Each statement against the other statements in its peer group. Counts and "
         "minutes: an exact permutation (rank) test - with n statements even the most unusual one comes up by chance "
         "2 times in n, so a small peer group can never show a statement is unlikely to be chance. Shares of "
         "objectives: Fisher's exact test. Flagged only if the gap is also big enough to matter: "
         + ", ".join(f"{k.replace('_', ' ')} {v:g}" for k, v in settings.material_difference.items()) + "."),
        ("Single outcomes", "One person's assessment or pay recommendation can never on its own be unlikely enough "
         "to show inconsistency; a rare outcome among peers is listed as a point to look at."),
        ("Reviewers", "Each reviewer against all the other reviewers, within peer groups, so that the mix of "
         "reviewees is allowed for. Exact tests: the exact conditional (Cochran-Mantel-Haenszel) test for "
         "no-progression and assessments, exact stratified permutation test for objectives. Size: the common odds "
         "ratio against the other reviewers with its exact conditional interval. Pooled cycles count each person "
         "once on each side."),
        ("Equality", "For each protected characteristic recorded: women/men, other ethnic groups/White British, "
         "disabled/not, oldest age band/younger, part-time/full-time, pregnancy or maternity/not, religion and "
         "sexual orientation against the largest group. Rates with Wilson intervals, Mantel-Haenszel rate ratios "
         "within role groups with Greenland-Robins intervals, Fisher's exact test stratified by role group."),
        ("Moderation sample", "Statements ordered by peer group, reviewer and a seeded random number; every k-th "
         "taken from a random start, so each group and reviewer gets its share. The same seed gives the same sample."),
        ("Moderation deadline", f"The {settings.moderation_working_days}th working day after the planning and review "
         "meeting (policy section 5); weekends, bank holidays and the school's closures do not count."),
    ]
    return pd.DataFrame(rows, columns=["Topic", "How"])
