"""What the model policy asks, requirement by requirement (§3 to §8 and Appendix 3), and how pmreport covers it.

Each entry quotes the policy and says either which rule checks it or why the records cannot show it.
:data:`READINGS` holds the places where the policy needs interpreting, each with its quote. Both are
rendered into docs/rules.md (``python -m pmreport.compliance.docs``); a test checks every rule named
here exists and every quote is the policy's own words.
"""

from __future__ import annotations

from typing import NamedTuple


class Requirement(NamedTuple):
    section: str
    quote: str  # the policy's words; fragments joined by " … "
    rules: tuple[str, ...]  # the rules that check it (empty when the records cannot show it)
    note: str  # how it is checked, or why it cannot be


def _r(section: str, quote: str, rules: tuple[str, ...] | str, note: str) -> Requirement:
    return Requirement(section, quote, (rules,) if isinstance(rules, str) else rules, note)


NO_RECORD = "cannot be checked from the records: "

REQUIREMENTS: tuple[Requirement, ...] = (
    _r("§3", "This policy applies to all staff employed in this school with the exception of teachers undergoing "
       "their formal year of induction or on contracts of less than two KCC terms.", "coverage",
       "scope: induction Y, or a contract under 26 weeks from contract_start to contract_end"),
    _r("§3", "The operation of this policy will be suspended for any staff whose performance merits the application "
       "of the schools’ competency procedure.", "coverage", "scope: in_capability Y"),
    _r("§3", "The same degree of challenge in the process should apply but the breadth and volume of each element in "
       "the process should be proportionate to the period of time worked.", "observation_cap",
       "the observation cap is pro rata to FTE; challenge and breadth " + "are judgements the records do not hold"),
    _r("§3", "The length of the cycle will be determined by the duration of their contract.", (),
       NO_RECORD + "the staff sheet has no cycle length for a short fixed-term contract"),
    _r("§4.1", "The performance of all staff must be reviewed on an annual basis.", "coverage",
       "a review row with a meeting date for the cycle"),
    _r("§4.1", "Performance planning and reviews must be completed for all teachers by 31 October and for "
       "Headteachers by 31 December in any academic year.", "deadline", "teacher_deadline and head_deadline"),
    _r("§4.1", "The performance reviews for all support staff will be completed annually *in line with the academic "
       "year/ending on 31st March in each year.", ("deadline", "mid_year"),
       "support_cycle_end: the deadline, and the end of support staff's own cycle"),
    _r("§4.1", "Where a teacher starts their employment at the school part-way through a cycle, the Headteacher or, "
       "in the case where the teacher is the Headteacher, the governing body shall determine the length of the "
       "first cycle for that teacher", ("deadline", "coverage", "mid_year"),
       "starter_meeting_days (60 when blank); the starter's cycle runs from their first day"),
    _r("§4.1", "Where a member of staff transfers to a new post within the school part-way through a cycle", (),
       NO_RECORD + "the staff sheet holds one post per cycle, not a transfer and its date"),
    _r("§4.1", "All staff must have an up to date job description", (),
       NO_RECORD + "no sheet records job descriptions"),
    _r("§4.1", "Where serious weaknesses are identified in a reviewee’s performance then this procedure should cease",
       "coverage", "scope: in_capability Y"),
    _r("§4.2", "The Governing Body is the reviewer for the Headteacher and to discharge this responsibility on its "
       "behalf may appoint 2 or 3 governors.", "head_reviewer",
       "the reviewer is GOV or GOVERNORS; which governors act is not recorded"),
    _r("§4.2", "appoints 2 or 3 governors of which ___(at least one) will be a foundation governor.", (),
       NO_RECORD + "governors are not named or typed in the records"),
    _r("§4.2", "The local authority has appointed a School Improvement Partner for the school", "head_reviewer",
       "head_adviser on the school sheet is shown in the reason"),
    _r("§4.2", "In this school the maximum number of reviewees for whom a reviewer will have responsibility will be "
       "(*)", "reviewer_load", "max_reviewees; the head's own review is not in anyone's load"),
    _r("§4.2", "Line managers will be the reviewers for all those staff they line manage.", (),
       "not checked: reviewer_id against line_manager_id would flag every head-reviewed member of staff under "
       "option 1, and the school's option (reviewer_option) does not say who was delegated"),
    _r("§4.2", "In this event the reviewer must have an equivalent or higher status in the staffing structure than "
       "the reviewee’s line manager.", (),
       NO_RECORD + "a replacement reviewer is not marked as such, and responsibility levels are not ranked by the "
       "policy"),
    _r("§4.2", "A performance management cycle will not begin again in the event of the reviewer being changed.", (),
       NO_RECORD + "one reviewer per review is recorded"),
    _r("§4.3", "normally with at least five working days advance notice.", "notice",
       "notice_date to meeting_date in working days"),
    _r("§4.3", "Allow the reviewee to raise any issues or concerns regarding their workload or work - life balance",
       (), "recorded (workload_concern_raised) and counted in the report; it is not a breach either way"),
    _r("§4.6", "The number and nature of objectives must be reasonable", "objectives_reasonable", "max_objectives"),
    _r("§4.6", "All objectives must have clear, achievable timescales for completion.", "objectives_reasonable",
       "a target date for each objective"),
    _r("§4.6", "However where a joint determination cannot be made the reviewer will make the determination.",
       "objectives_reasonable", "agreed Y (agreed) or N (determined): a blank is not recorded"),
    _r("§4.7", "Development and training identified from the performance management process must be recorded",
       "development_provided", "each agreed need and whether it was provided"),
    _r("§4.8", "There should be at least one formal review meeting", "mid_year",
       "in the person's own cycle; blank after the cycle ended is overdue"),
    _r("§4.8", "The Headteacher should audit mid-year reviews with reviewers", (),
       NO_RECORD + "audits are not recorded"),
    _r("§4.9", "Within five working days of the meeting the reviewer will complete a draft statement", "draft_statement",
       "draft_statement_date"),
    _r("§4.9", "The reviewer will prepare and sign a final statement within ten working days of the meeting.",
       "final_statement", "final_statement_date; a date after the run date cannot be true yet"),
    _r("§4.9", "The reviewer will then pass a copy of the statement to the reviewee and pass the original to the "
       "Headteacher.", (), NO_RECORD + "the reviews sheet has no date the copy was passed on"),
    _r("§5", "(a) moderate all the planning statements", "moderation_timely",
       "moderation_option all: every teacher's statement moderated"),
    _r("§5", "(b) moderate a sample of planning statements", (),
       "the sample's size and balance are for pmreport moderate (the moderation analysis), not a rule"),
    _r("§5", "The moderation process must be completed within 10 working days of the review meeting.",
       "moderation_timely", "moderation_date"),
    _r("§5", "the reviewer and reviewee must prepare a revised statement within 10 working days of being instructed.",
       "moderation_timely", "revision_instructed_date to revised_statement_date"),
    _r("§5", "nominate the Chair of the Governing Body, who will not be involved in the Headteacher’s performance "
       "management", (), NO_RECORD + "head_statement_qa records the option, not who took part"),
    _r("§6", "The reviewee and reviewer should sign to say that the changes are an accurate reflection", (),
       NO_RECORD + "revision meetings and their signatures are not recorded"),
    _r("§7", "All statements must be retained in a secure place on the school premises for a minimum of six years",
       (), NO_RECORD + "storage is not in the records"),
    _r("§7", "Reviewees must be informed who has been granted access to their statement", (),
       NO_RECORD + "access is not recorded"),
    _r("§8", "Any appeal should be deferred until after the moderation process is complete", "appeal_after_moderation",
       "the dates heard and decided, against the moderation date"),
    _r("§4.5", "this will be clearly stated in the school’s pay policy.", (),
       NO_RECORD + "the school sheet has no pay decision date; pay_decision is counted in the report"),
    _r("App. 3 ¶1", "Observation of a teacher may only be undertaken by a qualified teacher.", "observer_qualified",
       "the observer's qts"),
    _r("App. 3 ¶1", "Staff undertaking lesson observation must have received appropriate and ongoing training", (),
       NO_RECORD + "observers' training is not recorded"),
    _r("App. 3 ¶3", "recorded in the planning and review statement.", "observation_in_plan", "in_plan"),
    _r("App. 3 ¶4", "will not exceed three hours per cycle (pro rata for part time staff)", "observation_cap",
       "performance management and additional observations; observation_cap_hours × FTE"),
    _r("App. 3 ¶5", "Staff will be notified or reminded of the observer’s visit at least one week in advance",
       "observation_notice", "seven calendar days; drop-ins excepted"),
    _r("App. 3 ¶6", "The Headteacher or nominated member of the Senior Leadership Team may additionally drop into a "
       "lesson", (), "drop-ins are outside the cap and the notice rule; who dropped in is not checked"),
    _r("App. 3 ¶11", "The observer will meet the member of staff within one working day of the activity/lesson",
       "observation_feedback", "feedback_date"),
    _r("App. 3 ¶13", "no later than five working days afterwards.", "observation_record", "record_date"),
    _r("App. 3 ¶13", "The observer must then ensure the member of staff receives a copy.", (),
       NO_RECORD + "the observations sheet has no date the copy was given"),
    _r("App. 3 ¶16", "The amount and the focus of any additional classroom observation should be determined jointly "
       "at a revision meeting.", "observation_in_plan", "an observation with in_plan N has no revision recorded"),
)


class Reading(NamedTuple):
    topic: str
    section: str
    quote: str
    reading: str


READINGS: tuple[Reading, ...] = (
    Reading("Mid-cycle starters", "§3, §4.1",
            "on contracts of less than two KCC terms. … Where a teacher starts their employment at the school "
            "part-way through a cycle, the Headteacher or, in the case where the teacher is the Headteacher, the "
            "governing body shall determine the length of the first cycle for that teacher",
            "Scope is about the contract, not the start date: a permanent starter part-way through the cycle is in "
            "scope. Their cycle runs from their first day; their first meeting is due starter_meeting_days after it "
            "(60 when blank: 1 September to 31 October), or by their role's deadline where that is later. Someone "
            "whose first meeting falls due after their cycle ends is not counted as missing a review."),
    Reading("INSET days", "§4.3, §4.9, App. 3",
            "Within five working days of the meeting the reviewer will complete a draft statement",
            "Staff work on INSET (training) days, so they are working days. Only holidays and closures on the "
            "calendar sheet (and a row whose kind is blank) stop the count, with weekends and bank holidays."),
    Reading("Support staff's cycle", "§4.1",
            "The performance reviews for all support staff will be completed annually *in line with the academic "
            "year/ending on 31st March in each year.",
            "Where the school sets support_cycle_end, support staff's cycle is the twelve months ending on it (1 "
            "April to 31 March); where it is blank, the school's cycle. The mid-year review must fall in the "
            "person's own cycle."),
    Reading("Appeals", "§8",
            "Any appeal should be deferred until after the moderation process is complete",
            "An appeal lodged early is deferred, not breached: the breach is an appeal heard or decided before "
            "moderation was complete. The appeals sheet records the date it was heard (heard_date) and the date "
            "the outcome was given (outcome_date); either before the moderation date is a breach, and heard on the "
            "day moderation completed is met. An appeal lodged before moderation and decided after it, with no "
            "date heard, is not recorded (it may have been heard too early); one still pending and not yet heard "
            "is deferred so far (met). A withdrawn appeal was not heard."),
    Reading("Workload indicators", "§4.2",
            "Line managers will be the reviewers for all those staff they line manage.",
            "A teacher reviewing support staff is allowed by the policy; the union guidance treats it as a workload "
            "concern. Such indicators are listed as worth a look, with their source, and never counted as breaches."),
    Reading("The headteacher's reviewer", "§4.2",
            "The Governing Body is the reviewer for the Headteacher",
            "The head's review names GOV or GOVERNORS as reviewer; anyone else is a breach. The head's review is "
            "never counted in a member of staff's reviewer load."),
    Reading("Option (a) moderation", "§5",
            "(a) moderate all the planning statements to check that the plans recorded in the statements of "
            "teachers at the school:",
            "With moderation_option all, every teacher's statement must be moderated (support staff and the head "
            "are outside option (a): the head's statement is quality-assured by governors)."),
    Reading("Observations outside the plan", "App. 3 ¶3, ¶16",
            "The intended arrangements for classroom observation should be discussed with the individual member of "
            "the teaching and learning staff at the beginning of the performance management cycle and recorded in "
            "the planning and review statement.",
            "An observation for performance management (including an additional one) with in_plan N has no "
            "revision meeting recorded that added it to the plan: breached. Drop-ins and quality assurance visits "
            "are not arranged in the plan."),
    Reading("Dates after the run date", "§4.8, §4.9",
            "The reviewer will prepare and sign a final statement within ten working days of the meeting.",
            "With a run date (--as-of), a date after it cannot be true yet: not recorded, unless the last day "
            "allowed had already passed by the run date, when the thing had not happened in time: breached. A "
            "blank mid-year review is not recorded, and the reason says when the cycle had ended by the run date."),
)
