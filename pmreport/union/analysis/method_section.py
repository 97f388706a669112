"""The union report's method, in words a journalist can follow (one source: the report and docs/union.md quote it).

Each entry is a heading and its paragraphs; ``policy`` fills in the disclosure rules as configured.
"""

from __future__ import annotations

from pmreport.disclosure import DisclosurePolicy


def method(policy: DisclosurePolicy) -> list[tuple[str, str]]:
    """(heading, paragraph) pairs, in order."""
    step = policy.count_rounding or 1
    return [
        ("What a school sends",
         "Each school makes its return with its own copy of pmreport and can read every cell before sending it. A "
         "return holds, for one appraisal cycle: one row per member of staff with a code instead of a name, "
         "characteristics in bands and their outcomes (the 'people' sheet, in which characteristics are made less "
         "detailed or left out wherever fewer than 5 colleagues share a combination); for each characteristic on "
         "its own, how many staff have each value within groups of role and working pattern and how many had a pay "
         "decision and progressed (the 'equality' tables, where nothing is left out); and, for each rule of the "
         "policy, how many reviews or observations met it. Names, staff references, dates of birth, notes and free "
         "text are never sent."),
        ("How schools are added together",
         "Counts and percentages add up the staff of every school that sent a return for the cycle. A comparison "
         "between two groups (for example part-time and full-time staff) is made within each school first and "
         "then averaged over schools, each weighted by how many of its staff are in the two groups (the "
         "Mantel-Haenszel method). So a school where almost everyone progresses and one where few do cannot "
         "create a gap between groups that no school has. Pay comparisons use the equality tables, so nobody "
         "is left out of them for being in a small school."),
        ("The gap and its interval",
         "The gap is how many percentage points more (or fewer) of one group progressed than of the group it is "
         "compared with, within the same schools. The 95% interval is the range of gaps the data are consistent "
         "with: with a fresh set of schools like these, intervals made this way contain the true gap 95 times in "
         "100. A gap is shown to a tenth of a point where it stands on 1,000 people or more, to a whole point from "
         "100, and to 5 points below that."),
        ("How sure a percentage is",
         "A percentage adds up the staff of every school. But staff of one school share a head, a pay committee "
         "and a way of doing things, so their outcomes go together: 600 staff in 30 schools tell less than 600 "
         "people picked independently would. Each pay, workload and deadline percentage therefore has a 95% "
         "interval worked out from how far each school is from the pooled percentage, not from the number of "
         "people alone. The 'design effect' says how much the clustering costs: 2 means the figure is as precise "
         "as one from half as many independent people, and its interval is about 1.4 times as wide. It is largest "
         "for what a school decides for all its staff at once, such as when reviews are held. The interval's ends "
         "are rounded outwards as the percentage is rounded, so it never claims more certainty than it has. Gaps "
         "and odds ratios between groups are worked out within schools, so a school's overall level does not "
         "enter them; where the gap itself differs from school to school, 'Same in every school?' says so."),
        ("What 'clear difference' means",
         "Beside each pay table, 'Clear difference?' says 'yes' only when the difference would arise by chance "
         "less than 1 time in 20 after allowing for every comparison in the report at once (Holm's method): "
         "across the whole report, the chance of even one 'yes' where there is no real difference is at most 1 in "
         "20. The odds ratio compares the odds of progressing (1 means the same; below 1, lower odds). 'Same in "
         "every school?' tests whether schools differ in the size of the gap. In the tables of gaps by cycle, "
         "phase, region and local authority, 'Clear difference?' means only that the 95% interval does not "
         "include zero, with no allowance for the many rows: where there is no real difference, about 1 row in 20 "
         "will still say 'yes'."),
        ("Keeping people anonymous",
         f"Every figure is checked before it is published: a count needs at least {policy.min_cell} people from at "
         f"least {policy.min_units_per_cell} schools, with no school more than {policy.max_unit_share:.0%} of it; "
         "averages, percentages and gaps follow the same school rules. Counts are rounded to the nearest "
         f"{step}; percentages {policy.percent_words()}. An automatic audit then tries to work out every hidden "
         "figure, and anyone's outcome, from everything published, and the report is not written if it can."),
        ("Who the figures cover",
         "The schools that sent a return, not a sample chosen to represent every school: the report opens with how "
         "many schools and staff stand behind it, by phase, region and local authority, and with how often a "
         "characteristic is not shown, with a warning where that is uneven."),
        ("Symbols",
         "[c]: not shown, to protect the confidentiality of individual members of staff. [low]: rounds to zero but "
         "is not zero. [z]: not applicable. [x]: not available. [u]: too few people for the figure to mean much."),
    ]
