"""The "About this return" sheet: exactly what the school is sending, in plain English."""

from __future__ import annotations

from typing import Any

from pmreport.union.return_schema import ABOUT_SHEET, NOT_SHOWN, RETURN_SHEETS, return_format

NEVER_SENT = (
    "names, staff references, payroll numbers or the references of line managers and reviewers",
    "dates of birth, contract dates, or the date of any meeting, observation or statement "
    "(only the month of each planning and review meeting)",
    "notes, objective descriptions or anything else typed into the records as free text",
    "post titles, pay points, religion or belief, sexual orientation, absence, or whether anyone "
    "is in the capability procedure",
    "why anyone is out of scope of the policy (only that they are)",
)


def about_rows(school: dict[str, Any], anonymity: Any, key_fingerprint: str | None = None) -> list[tuple[str, str]]:
    """(heading, text) pairs; a heading of "" continues the section above."""
    k = anonymity.k
    rows: list[tuple[str, str]] = [
        ("What this file is",
         f"The performance management (appraisal) return of the school with URN {school['urn']} for the cycle "
         f"{school['cycle']}, made by pmreport {school['pmreport_version']} at {school['made_at']} (UTC). "
         f"Everything it sends is in this workbook: this page and the sheets {', '.join(RETURN_SHEETS)}. "
         "Nothing else is sent. Please read the sheets before sending: what you see is what the union gets."),
        ("What is never in it", "This return does not contain:"),
        *[("", f"• {item}") for item in NEVER_SENT],
        ("How people are shown",
         "Each person is shown by a code of 24 letters and digits (column 'person'), made from their staff "
         "reference and the school's secret key (HMAC-SHA256). With the same key, the same person has the same "
         "code in every year's return, so the union can see trends without knowing who anyone is. The key stays "
         "at the school and is never sent; without it the codes cannot be turned back into staff references."),
        ("Characteristics in bands",
         "Age, working pattern (FTE), experience and ethnic group are shown in bands, never exactly. Where fewer "
         f"than {k} people in the school share the same combination of role, responsibility, pay range, sex, age "
         "band, ethnic group, working pattern, experience band, disability and pregnancy or maternity, some of "
         f"those values are made less detailed or left out (shown as '{NOT_SHOWN}'), until every combination is "
         f"shared by at least {k} people (k-anonymity, with k = {k})."),
    ]
    if key_fingerprint:
        rows.insert(rows.index(next(r for r in rows if r[0] == "Characteristics in bands")), (
            "Which key made the codes",
            f"The school key with fingerprint {key_fingerprint}. The fingerprint names the key without giving it "
            "away: returns with the same fingerprint use the same codes. If this year's fingerprint differs from "
            "last year's, a different key was used and the codes will not match earlier years."))
    if anonymity.achieved and len(anonymity.frame):
        rows.append(("", f"In this return: {anonymity.values_generalised} values were made less detailed, "
                         f"{anonymity.values_suppressed} were left out, and {anonymity.rows_all_suppressed} people have "
                         f"none of these characteristics shown. The smallest combination is shared by "
                         f"{anonymity.smallest_group} people."))
        for name, counts in anonymity.per_field.items():
            if counts["generalised"] or counts["suppressed"]:
                rows.append(("", f"• {name}: {counts['generalised']} made less detailed, {counts['suppressed']} left out"))
    else:
        rows.append(("", f"The school has fewer than {k} staff in this cycle, so no rows about people are sent: only "
                         "the school's totals."))
    rows.append((
        "Equality tables (sheet 'equality')",
        "For each of sex, ethnic group, age, disability, pregnancy or maternity and working pattern on its own, the "
        "number of staff with each value within each group of role (teaching or support staff) and working pattern "
        "(full or part time), and how many of them were in scope, had a pay decision and progressed. Values are "
        "only as detailed as the union's analyses use (age: under 50 or 50 and over; ethnic group: White, Mixed, "
        "Asian, Black, Other). No row holds a person's code or a second characteristic, so the tables cannot be "
        f"put together into a record of one person. Every group of role and working pattern holds at least {k} "
        "people (where one would not, groups are made broader, the same way in every table). Within a group the "
        "characteristic is shown in full, even where only one or two people have a value: so someone who already "
        "knows a colleague's value, role and working pattern can read the pay decisions of a group that may be "
        "smaller than k, and if they all went the same way, that colleague's decision. This is what lets the union "
        "measure gaps by disability or pregnancy and maternity at all. Working pattern has a table of its own like "
        "the others, so it shows how many of a group work part time even where the groups are not split by working "
        f"pattern. The equality tables are not sent for a school with fewer than {k} staff."))
    rows += [
        ("What the union does with it",
         "The union pools returns from many schools to look at workload and fairness (for example pay progression "
         "by sex, ethnic group or working pattern, objectives and observation time, deadlines missed). Every figure "
         "it publishes is about groups of at least 10 people from at least 3 schools, none of which makes up more "
         "than half of the group, with numbers rounded to the nearest 5."),
        ("The columns", "Each column of each sheet, what it means and the values it can take:"),
    ]
    for sheet in RETURN_SHEETS:
        schema = return_format().sheets[sheet]
        rows.append((f"Sheet '{sheet}'", schema.description))
        for f in schema.fields:
            values = f" Values: {', '.join(f.codes)}." if f.codes else ""
            rows.append((f.name, f"{f.description}{values}"))
    return rows


def write_about(ws: Any, rows: list[tuple[str, str]]) -> None:
    from openpyxl.styles import Alignment, Font

    from pmreport.safe_output import neutralise

    ws.title = ABOUT_SHEET
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 110
    ws.cell(row=1, column=1, value="About this return").font = Font(bold=True, size=14)
    for i, (heading, text) in enumerate(rows, start=3):
        a = ws.cell(row=i, column=1, value=neutralise(heading) or None)
        a.font = Font(bold=True)
        a.alignment = Alignment(vertical="top", wrap_text=True)
        ws.cell(row=i, column=2, value=neutralise(text)).alignment = Alignment(vertical="top", wrap_text=True)
