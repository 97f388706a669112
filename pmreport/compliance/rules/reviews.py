"""Rules on the planning and review meeting and its statement (§3, §4.1, §4.3, §4.8, §4.9, §5)."""

from __future__ import annotations

import pandas as pd

from pmreport.compliance.context import CheckContext
from pmreport.compliance.outcomes import (
    BREACHED,
    MET,
    NOT_APPLICABLE,
    NOT_RECORDED,
    decide,
    detail,
    fmt_date,
    fmt_dates,
    text,
)
from pmreport.compliance.rules.base import Rule, out_of_scope, rule, seed_policy
from pmreport.compliance.rules.timing import future_cases, within_cases
from pmreport.school_year import policy_default

PERSON = "person"
REVIEWS_APPLY = "Every review recorded for the cycle whose reviewee is in scope."


@rule(
    id="coverage",
    title="Every member of staff in scope has a review",
    citation="§3, §4.1",
    source="Model policy",
    policy_text=seed_policy(
        """This policy applies to all staff employed in this school with the exception of teachers undergoing
        their formal year of induction or on contracts of less than two KCC terms. … The performance of all
        staff must be reviewed on an annual basis."""
    ),
    applies_to=(
        "Every member of staff on the staff sheet for the cycle. Out of scope, and counted by reason: staff not "
        "employed during their cycle, in the induction year, on a contract of less than two terms (under 26 weeks "
        "long) or in the capability procedure. Someone who starts part-way through the cycle is in scope."
    ),
    unit=PERSON,
    method=(
        "Met when the reviews sheet has a row for the person in the cycle with a meeting date. Breached when it "
        "has no row for them. Not recorded when there is a row but its meeting date is blank (the row does not "
        "say the review happened). Not applicable to someone who started part-way through the cycle so late "
        "that their first meeting (see deadline) was not due before their cycle ended."
    ),
)
def coverage(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    staff = ctx.staff.reset_index(drop=True)
    reviews = ctx.rows("reviews")
    has_row = staff["staff_id"].isin(reviews["staff_id"])
    met_ids = reviews.loc[reviews["meeting_date"].notna(), "staff_id"]
    held = staff["staff_id"].isin(met_ids)
    due = person_deadline(ctx, staff["staff_id"])
    not_due = (due > staff["own_cycle_end"]) & ~has_row
    out = decide(
        staff,
        [
            out_of_scope(ctx, staff["staff_id"]),
            (not_due, NOT_APPLICABLE, "joined on " + fmt_dates(staff["contract_start"]) + "; the first meeting was "
             "due on " + fmt_dates(due) + ", after the cycle ended on " + fmt_dates(staff["own_cycle_end"])),
            (~has_row, BREACHED, f"no review is recorded for {ctx.cycle}"),
            (~held, NOT_RECORDED, f"a review is listed for {ctx.cycle} but its meeting date is not recorded"),
        ],
        (MET, f"review meeting recorded for {ctx.cycle}"),
    )
    return detail(out)


def deadlines(ctx: CheckContext) -> dict[str, pd.Timestamp]:
    """The deadline for each role group: the school's own dates, else the policy's (data_schemas/school.yaml);
    support staff's is the end of their own cycle."""
    return {
        "teacher": pd.Timestamp(ctx.setting("teacher_deadline")),
        "headteacher": pd.Timestamp(ctx.setting("head_deadline")),
        "support": ctx.year.support_end,
    }


def _deadline_of(role: pd.Series, due: dict[str, pd.Timestamp]) -> pd.Series:
    """Each role group's deadline (missing for a role group with none, or none recorded)."""
    dates = pd.DatetimeIndex([*due.values(), pd.NaT])  # the last for "none"
    return pd.Series(dates[pd.Index(list(due)).get_indexer(role)], index=role.index)


#: Days after a mid-cycle starter's first day by which the first meeting is due, where the school sets none
#: (data_schemas/school.yaml): the policy gives teachers 1 September to 31 October.
STARTER_MEETING_DAYS = int(policy_default("starter_meeting_days"))


def starter_days(ctx: CheckContext) -> int:
    return int(ctx.setting("starter_meeting_days"))


def person_deadline(ctx: CheckContext, ids: pd.Series) -> pd.Series:
    """Each person's planning and review deadline: their role group's, or for someone who started after their
    cycle began, ``starter_meeting_days`` after their first day where that is later (§4.1)."""
    due = _deadline_of(ctx.staff_value(ids, "role_group"), deadlines(ctx))
    joined = ctx.staff_value(ids, "contract_start")
    starter = ctx.staff_value(ids, "starter").fillna(False).to_numpy(dtype=bool)
    own = joined + pd.Timedelta(days=starter_days(ctx))
    later = starter & (own > due).fillna(False).to_numpy(dtype=bool)
    return due.where(~later, own)


@rule(
    id="deadline",
    title="Planning and review meeting held by the deadline",
    citation="§4.1",
    source="Model policy §4.1; ATL leaflet",
    policy_text=seed_policy(
        """Performance planning and reviews must be completed for all teachers by 31 October and for
        Headteachers by 31 December in any academic year. … The performance reviews for all support staff
        will be completed annually *in line with the academic year/ending on 31st March in each year. …
        Where a teacher starts their employment at the school part-way through a cycle, the Headteacher or, in
        the case where the teacher is the Headteacher, the governing body shall determine the length of the
        first cycle for that teacher … This meeting must be conducted by 31 October."""
    ),
    applies_to=REVIEWS_APPLY,
    unit=PERSON,
    defaults={
        "teacher_deadline": "31 October of the cycle's first year",
        "head_deadline": "31 December of the cycle's first year",
        "support_deadline": "support_cycle_end, else the cycle's end",
        "starter_meeting_days": f"{STARTER_MEETING_DAYS} days after a mid-cycle starter's first day",
    },
    method=(
        "The deadline is the school sheet's teacher_deadline for teachers, head_deadline for the headteacher and "
        "support_cycle_end for support staff; where the school leaves one blank, the policy's default applies. "
        "For someone whose contract started after their cycle began, the deadline runs from their start: "
        f"starter_meeting_days (the school's, else {STARTER_MEETING_DAYS}) after their first day, or their role "
        "group's deadline where that is later. Met when the meeting is on or before the deadline, breached when "
        "after it, not recorded when the meeting date (or the person's role group) is not recorded, or when the "
        "meeting is dated after the run date (it cannot have happened yet)."
    ),
)
def deadline(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    units = ctx.rows("reviews")
    role = ctx.staff_value(units["staff_id"], "role_group")
    due = person_deadline(ctx, units["staff_id"])
    meeting = units["meeting_date"]
    out = decide(
        units,
        [
            out_of_scope(ctx, units["staff_id"]),
            (role.isna(), NOT_RECORDED, "the reviewee's role group is not recorded, so the deadline is not known"),
            (meeting.isna(), NOT_RECORDED, "the meeting date is not recorded"),
            *future_cases(ctx, meeting, due, "the meeting"),
            (meeting > due, BREACHED, "meeting on " + fmt_dates(meeting) + ", after the deadline of " + fmt_dates(due)),
        ],
        (MET, "meeting on " + fmt_dates(meeting) + ", by the deadline of " + fmt_dates(due)),
    )
    return detail(out)


@rule(
    id="notice",
    title="Meeting arranged with at least {working_days} working days' notice",
    citation="§4.3",
    source="Model policy",
    policy_text=seed_policy(
        """It is the responsibility of the reviewer to arrange the planning and review meeting with their
        reviewee at the beginning of the review cycle, normally with at least five working days advance
        notice."""
    ),
    applies_to=REVIEWS_APPLY,
    unit=PERSON,
    defaults={"working_days": 5},
    method=(
        "Counts the working days after the notice date up to and including the meeting date. Met when there are "
        "at least {working_days}, breached when fewer. Not recorded when either date is missing, or when the notice is dated "
        "after the meeting (the record contradicts itself)."
    ),
)
def notice(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    units = ctx.rows("reviews")
    n = r.defaults["working_days"]
    given, meeting = units["notice_date"], units["meeting_date"]
    days = ctx.calendar.working_days_notice(given, meeting)
    said = "notice on " + fmt_dates(given) + " gave " + text(days) + " working days before the meeting on "
    out = decide(
        units,
        [
            out_of_scope(ctx, units["staff_id"]),
            (meeting.isna(), NOT_RECORDED, "the meeting date is not recorded"),
            (given.isna(), NOT_RECORDED, "the date notice was given is not recorded"),
            (given > meeting, NOT_RECORDED, "notice is dated " + fmt_dates(given) + ", after the meeting on "
             + fmt_dates(meeting) + ", so its real date is not recorded"),
            (days < n, BREACHED, said + fmt_dates(meeting) + f" (at least {n} needed)"),
        ],
        (MET, said + fmt_dates(meeting)),
    )
    return detail(out)


def _statement_rule(ctx: CheckContext, r: Rule, column: str, words: str) -> pd.DataFrame:
    units = ctx.rows("reviews")
    breaches, unrecorded, met = within_cases(
        ctx, units["meeting_date"], units[column], r.defaults["working_days"], "the meeting", words
    )
    out = decide(units, [out_of_scope(ctx, units["staff_id"]), *breaches, *unrecorded], (MET, met))
    return detail(out)


@rule(
    id="draft_statement",
    title="Draft statement within {working_days} working days of the meeting",
    citation="§4.9",
    source="Model policy §4.9; ATL leaflet",
    policy_text=seed_policy(
        """Within five working days of the meeting the reviewer will complete a draft statement (see Appendix 2)
        and provide the reviewee with a copy. … Your reviewer will ask you to sign a performance review statement
        within five days of your meeting, which then goes to the headteacher."""
    ),
    applies_to=REVIEWS_APPLY,
    unit=PERSON,
    defaults={"working_days": 5},
    method=(
        "Met when the draft statement is dated no later than {working_days} working days after the meeting (the meeting "
        "day itself not counted). Breached when later. Not recorded when either date is missing, or when the "
        "draft is dated before the meeting."
    ),
)
def draft_statement(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    return _statement_rule(ctx, r, "draft_statement_date", "the draft statement")


@rule(
    id="final_statement",
    title="Final statement signed within {working_days} working days of the meeting",
    citation="§4.9",
    source="Model policy",
    policy_text=seed_policy(
        "The reviewer will prepare and sign a final statement within ten working days of the meeting."
    ),
    applies_to=REVIEWS_APPLY,
    unit=PERSON,
    defaults={"working_days": 10},
    method=(
        "Met when the final statement is dated no later than {working_days} working days after the meeting (the meeting "
        "day itself not counted). Breached when later. Not recorded when either date is missing, or when the "
        "final statement is dated before the meeting."
    ),
)
def final_statement(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    return _statement_rule(ctx, r, "final_statement_date", "the final statement")


@rule(
    id="mid_year",
    title="At least one formal review meeting during the cycle",
    citation="§4.8",
    source="Model policy",
    policy_text=seed_policy(
        """There should be at least one formal review meeting to discuss performance, provide feedback and
        discuss the provision of training and development that was agreed at the start of the cycle."""
    ),
    applies_to=REVIEWS_APPLY,
    unit=PERSON,
    method=(
        "Each person's own cycle is used: the school's cycle (cycle_start to cycle_end) for teachers and the "
        "headteacher; for support staff the twelve months ending on support_cycle_end (31 March: April to "
        "March), or the school's cycle where that is blank; for someone who started part-way through, from "
        "their first day. Met when the mid-year review date falls within the person's cycle (both ends "
        "included). Breached when it falls outside it, so it cannot be this cycle's review. Not recorded when "
        "it is blank (a blank date is never a pass: the reason says whether the cycle had ended by the run "
        "date, so the review is overdue), or when it is dated inside the cycle but after the run date."
    ),
)
def mid_year(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    units = ctx.rows("reviews")
    when = units["mid_year_review_date"]
    first = ctx.staff_value(units["staff_id"], "own_cycle_start").fillna(ctx.cycle_start)
    last = ctx.staff_value(units["staff_id"], "own_cycle_end").fillna(ctx.cycle_end)
    window = "the cycle (" + fmt_dates(first) + " to " + fmt_dates(last) + ")"
    blank = "no mid-year review date is recorded"
    cases = [out_of_scope(ctx, units["staff_id"])]
    if ctx.as_of is not None:
        run = fmt_date(ctx.as_of)
        cases += [
            (when.isna() & (last < ctx.as_of), NOT_RECORDED, blank + ", and " + window + f" had ended by {run}"),
            (when.isna(), NOT_RECORDED, blank + "; " + window + f" had not ended by {run}"),
        ]
    cases += [
        (when.isna(), NOT_RECORDED, blank),
        ((when < first) | (when > last), BREACHED, "mid-year review on " + fmt_dates(when) + ", outside " + window),
    ]
    if ctx.as_of is not None:
        cases.append((when > ctx.as_of, NOT_RECORDED, "mid-year review dated " + fmt_dates(when) + ", after the run "
                      f"date of {fmt_date(ctx.as_of)}: it cannot have happened yet"))
    out = decide(units, cases, (MET, "mid-year review on " + fmt_dates(when)))
    return detail(out)


def was_moderated(reviews: pd.DataFrame) -> pd.Series:
    """Moderated: the moderated column, or, where it is blank, whether a moderation date is recorded."""
    return reviews["moderated"].fillna(reviews["moderation_date"].notna()).astype(bool)


@rule(
    id="moderation_timely",
    title=("Statements moderated as the school chose, within {working_days} working days; revisions within "
           "{revision_working_days} working days"),
    citation="§5",
    source="Model policy",
    policy_text=seed_policy(
        """(a) moderate all the planning statements to check that the plans recorded in the statements of
        teachers at the school: … The moderation process must be completed within 10 working days of the review
        meeting. … In this event the reviewer and reviewee must prepare a revised statement within 10 working
        days of being instructed."""
    ),
    applies_to=(
        "Every review in scope whose statement was moderated (moderated is Y, or left blank with a moderation "
        "date); and, where the school moderates all statements (moderation_option all, §5 option (a)), every "
        "teacher's review in scope."
    ),
    unit=PERSON,
    defaults={"working_days": 10, "revision_working_days": 10},
    method=(
        "Where the school's moderation_option is all, a teacher's statement recorded as not moderated (moderated "
        "is N) is breached, and one with moderated blank and no moderation date is not recorded. Otherwise: "
        "breached when the moderation date is more than {working_days} working days after the meeting, or, where "
        "moderation instructed a revised statement, when the revised statement is more than "
        "{revision_working_days} working days after the instruction. Otherwise not recorded when a date needed is missing (or dated before the "
        "date it is measured from, or after the run date), and met when every date needed is there and in time. "
        "Not applicable when the statement was not moderated and the school does not moderate all statements "
        "(a sample's size is for the moderation analysis)."
    ),
)
def moderation_timely(ctx: CheckContext, r: Rule) -> pd.DataFrame:
    units = ctx.rows("reviews")
    mod_breach, mod_unrec, _ = within_cases(
        ctx, units["meeting_date"], units["moderation_date"], r.defaults["working_days"], "the meeting", "moderation"
    )
    revise = (units["moderation_outcome"] == "revise").fillna(False)
    rev_breach, rev_unrec, _ = within_cases(
        ctx, units["revision_instructed_date"], units["revised_statement_date"], r.defaults["revision_working_days"],
        "the instruction to revise", "the revised statement",
    )
    rev_breach = [(revise & cond, res, why) for cond, res, why in rev_breach]
    rev_unrec = [(revise & cond, res, why) for cond, res, why in rev_unrec]
    moderated = was_moderated(units)
    option_a: list = []
    if ctx.setting("moderation_option") == "all":
        teacher = (ctx.staff_value(units["staff_id"], "role_group") == "teacher").fillna(False).astype(bool)
        said = "the school moderates all teachers' statements (§5 option (a)), "
        option_a = [
            (teacher & (units["moderated"] == False).fillna(False), BREACHED,  # noqa: E712
             said + "but this one was not moderated"),
            (teacher & ~moderated, NOT_RECORDED, said + "and whether this one was moderated is not recorded"),
        ]
    out = decide(
        units,
        [
            out_of_scope(ctx, units["staff_id"]),
            *option_a,
            (~moderated, NOT_APPLICABLE, "the statement was not moderated"),
            *mod_breach, *rev_breach, *mod_unrec, *rev_unrec,
        ],
        (MET, "moderated on " + fmt_dates(units["moderation_date"]) + ", in time"),
    )
    return detail(out)
