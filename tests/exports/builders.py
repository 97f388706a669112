"""Exports in the style of four school systems, built by hand with openpyxl and csv (never with
pmreport's own generator): title blocks, merged cells, footers, each system's headings, codes and
date formats. Every person is synthetic. Each builder returns the path it wrote; PEOPLE holds
what each row means, so a test can check what pmreport read against figures written here."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import openpyxl


@dataclass(frozen=True)
class Person:
    code: str  # the MIS staff code
    payroll: str
    forename: str
    surname: str
    role: str  # teacher, headteacher, support
    post: str
    responsibility: str
    pay: str  # main, upper, leadership, support
    point: str
    fte: float
    contract: str  # permanent, fixed_term, temporary
    start: dt.date
    years: int
    qts: bool
    ect: bool
    sex: str  # male, female
    ethnicity: str  # the DfE code it should read as


PEOPLE = [
    Person("HDT", "00010001", "Avery", "Sample", "headteacher", "Headteacher", "headteacher", "leadership", "L18", 1.0, "permanent", dt.date(2014, 9, 1), 22, True, False, "female", "WBRI"),
    Person("DHT", "00010002", "Blake", "Sample", "teacher", "Deputy Headteacher", "senior_leader", "leadership", "L8", 1.0, "permanent", dt.date(2016, 9, 1), 15, True, False, "male", "BAFR"),
    Person("CTA", "00010003", "Casey", "Testrow", "teacher", "Class Teacher", "classroom_teacher", "main", "M4", 1.0, "permanent", dt.date(2019, 9, 1), 5, True, False, "female", "WOTH"),
    Person("CTB", "00010004", "Devon", "Testrow", "teacher", "Class Teacher", "classroom_teacher", "main", "M2", 0.8, "permanent", dt.date(2021, 9, 1), 3, True, False, "male", "APKN"),
    Person("CTC", "00010005", "Ellis", "Fixture", "teacher", "Class Teacher", "tlr_holder", "upper", "U2", 0.6, "permanent", dt.date(2012, 1, 3), 12, True, False, "female", "REFU"),
    Person("CTD", "00010006", "Finley", "Fixture", "teacher", "Class Teacher", "classroom_teacher", "upper", "U1", 1.0, "fixed_term", dt.date(2025, 9, 1), 9, True, False, "female", "NOBT"),
    Person("CTE", "00010007", "Gray", "Mockley", "teacher", "Early Career Teacher", "classroom_teacher", "main", "M1", 1.0, "permanent", dt.date(2025, 9, 1), 0, True, True, "male", "WBRI"),
    Person("CTF", "00010008", "Harper", "Mockley", "teacher", "Class Teacher", "middle_leader", "main", "M6", 1.0, "permanent", dt.date(2017, 4, 24), 8, True, False, "female", "MWBC"),
    Person("TAA", "00010009", "Indy", "Dummyson", "support", "Teaching Assistant", "support", "support", "SCP 7", 0.605, "permanent", dt.date(2018, 9, 1), 7, False, False, "female", "WBRI"),
    Person("TAB", "00010010", "Jules", "Dummyson", "support", "Teaching Assistant", "support", "support", "SCP 5", 0.5, "temporary", dt.date(2025, 1, 6), 1, False, False, "male", "CHNE"),
    Person("OFM", "00010011", "Kit", "Placeholder", "support", "Office Manager", "support_supervisor", "support", "SCP 17", 1.0, "permanent", dt.date(2010, 2, 1), 15, False, False, "female", "WIRI"),
    Person("SBM", "00010012", "Lee", "Placeholder", "support", "School Business Manager", "support_supervisor", "support", "SCP 25", 0.8, "permanent", dt.date(2015, 6, 1), 10, False, False, "male", "AIND"),
]
HEAD = PEOPLE[0]
CYCLE = "2025/26"

#: How SIMS writes the DfE ethnicity description of each code.
ETHNICITY_WORDS = {
    "WBRI": "White - British", "BAFR": "Black - African", "WOTH": "Any other White background",
    "APKN": "Asian - Pakistani", "REFU": "Refused", "NOBT": "Information Not Yet Obtained",
    "MWBC": "White and Black Caribbean", "CHNE": "Chinese", "WIRI": "White - Irish", "AIND": "Indian",
}
PAY_WORDS = {"main": "Main Pay Range", "upper": "Upper Pay Range", "leadership": "Leadership", "support": "NJC Pay Spine"}
CONTRACT_WORDS = {"permanent": "Permanent", "fixed_term": "Fixed Term", "temporary": "Temporary"}
RESPONSIBILITY_WORDS = {"headteacher": "Head Teacher", "senior_leader": "Senior Leadership", "classroom_teacher": "Class Teacher",
                        "tlr_holder": "TLR Holder", "middle_leader": "Middle Leadership", "support": "Support Staff",
                        "support_supervisor": "Supervisor"}


def reviewer_of(p: Person) -> Person | None:
    """The head reviews the deputy and the support supervisors; the deputy reviews everyone else; the governing body the head."""
    if p is HEAD:
        return None
    if p.role == "support" and p.responsibility != "support_supervisor":
        return PEOPLE[10]
    return HEAD if p.responsibility in ("senior_leader", "support_supervisor") else PEOPLE[1]


def meeting(p: Person) -> dt.date:
    """Each meeting on a weekday in October (the head's in November), a day apart."""
    i = PEOPLE.index(p)
    return dt.date(2025, 11, 17) if p is HEAD else dt.date(2025, 10, 1) + dt.timedelta(days=i + (2 if i > 1 else 0))


def _merge_title(ws, row: int, text: str, width: int) -> None:  # noqa: ANN001 - an openpyxl worksheet
    ws.cell(row, 1, text)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _school_pairs(ws, name: str) -> None:  # noqa: ANN001
    """The school's details as label/value pairs, as a head keeps them."""
    for label, value in [("School Name", name), ("URN", "100001"), ("Phase", "Primary"), ("Local Authority", "Exampleshire"),
                         ("Academic Year", CYCLE), ("Cycle Start Date", dt.date(2025, 9, 1)), ("Cycle End Date", dt.date(2026, 8, 31))]:
        ws.append([label, value])


def _tracker_rows(ref, reviewer_blank_for_head: bool = True, date=lambda d: d, gov: str = ""):  # noqa: ANN001, ANN202
    """Reviews as a hand-kept appraisal tracker: (header, rows)."""
    header = ["Staff Code", "Academic Year", "Appraiser", "Date Notified", "Meeting Date", "Draft Issued", "Date Signed", "Overall Assessment"]
    rows = []
    for p in PEOPLE:
        if p.ect:
            continue  # in induction: out of the policy's scope, no appraisal
        m = meeting(p)
        r = reviewer_of(p)
        rows.append([ref(p), CYCLE, ref(r) if r is not None else (None if reviewer_blank_for_head else gov),
                     date(m - dt.timedelta(days=14)), date(m), date(m + dt.timedelta(days=1)), date(m + dt.timedelta(days=4)), "Met"])
    return header, rows


def _objective_rows(ref, date=lambda d: d):  # noqa: ANN001, ANN202
    header = ["Staff Code", "Academic Year", "Objective No", "Objective Type", "SIP Link", "Target Date", "Agreed"]
    rows = [[ref(p), CYCLE, n, kind, "Yes", date(dt.date(2026, 7, 17)), "Yes"]
            for p in PEOPLE if not p.ect for n, kind in [(1, "Pupil Progress"), (2, "Professional Development")]]
    return header, rows


def sims_workbook(path: Path) -> Path:
    """SIMS-style: a staff report with a merged title block, Staff Code and Payroll No, Legal Surname and
    Preferred Forename, descriptions for codes, real date cells and a "Total: 12 staff" footer."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff Details"
    header = ["Staff Code", "Legal Surname", "Preferred Forename", "Payroll No", "Post Title", "Staff Type", "Responsibility Level",
              "Pay Range", "Spine Point", "FTE", "Contract Basis", "Start Date", "Years in Teaching", "QTS", "ECT",
              "Capability", "Gender", "Ethnicity", "Disability"]
    _merge_title(ws, 1, "Staff Details Report", len(header))
    _merge_title(ws, 2, "Exampleshire Primary School (synthetic data)", len(header))
    ws.append([])
    ws.append(header)
    for p in PEOPLE:
        ws.append([p.code, p.surname, p.forename, p.payroll, p.post,
                   {"teacher": "Teacher", "headteacher": "Teacher", "support": "Support"}[p.role] if p is not HEAD else "Head Teacher",
                   RESPONSIBILITY_WORDS[p.responsibility], PAY_WORDS[p.pay], p.point, p.fte, CONTRACT_WORDS[p.contract],
                   dt.datetime.combine(p.start, dt.time()), p.years, "Yes" if p.qts else "No", "Yes" if p.ect else "No", "No",
                   p.sex.title(), ETHNICITY_WORDS[p.ethnicity], "No"])
    ws.append([])
    ws.append([f"Total: {len(PEOPLE)} staff"])
    _school_pairs(wb.create_sheet("School Details"), "Exampleshire Primary School")
    rv = wb.create_sheet("Appraisals")
    h, rows = _tracker_rows(lambda p: p.code)
    rv.append(h)
    for r in rows:
        rv.append(r)
    ob = wb.create_sheet("Objectives")
    h, rows = _objective_rows(lambda p: p.code)
    ob.append(h)
    for r in rows:
        ob.append(r)
    wb.save(path)
    return path


#: Arbor-style dates: six ways in one column, as a CSV that has been opened and saved by hand writes them.
ARBOR_DATES = [lambda d: d.strftime("%d/%m/%Y"), lambda d: d.isoformat(), lambda d: d.strftime("%d %b %Y"),
               lambda d: d.strftime("%a %d %b %Y"), lambda d: d.strftime("%Y-%m-%dT00:00:00"),
               lambda d: f"{d.day}/{d.month}/{d.year}"]


def arbor_folder(folder: Path) -> Path:
    """Arbor-style: a folder of CSV files; Staff Member (the name), Job Title, Staff Category, FTE as a
    percentage without its sign ("100", "60.5"), dates written six ways, ethnicity as codes and words mixed."""
    folder.mkdir(parents=True, exist_ok=True)

    def write(name: str, rows: list[list]) -> None:
        with (folder / name).open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)

    staff = [["Employee ID", "Staff Member", "Job Title", "Staff Category", "Responsibility", "Pay Scale", "Spine Point", "FTE",
              "Contract Type", "Start Date", "Years in Teaching", "QTS", "ECT", "Capability", "Gender", "Ethnicity"]]
    for i, p in enumerate(PEOPLE):
        fte = f"{p.fte * 100:g}"
        eth = p.ethnicity if i % 2 else ETHNICITY_WORDS[p.ethnicity]
        staff.append([p.payroll, f"{p.forename} {p.surname}", p.post,
                      {"teacher": "Teaching Staff", "headteacher": "Headteacher", "support": "Support Staff"}[p.role],
                      p.responsibility.replace("_", " ").title(), {"main": "MPS", "upper": "UPS", "leadership": "Leadership", "support": "Support"}[p.pay],
                      p.point, fte, CONTRACT_WORDS[p.contract], ARBOR_DATES[i % 6](p.start), p.years,
                      "Y" if p.qts else "N", "Y" if p.ect else "N", "N", p.sex.title(), eth])
    write("Staff Members.csv", staff)
    write("School.csv", [["URN", "School Name", "Phase", "Local Authority", "Academic Year", "Cycle Start Date", "Cycle End Date"],
                         ["100002", "Exampleton Academy", "Secondary", "Exampleshire", CYCLE, "2025-09-01", "2026-08-31"]])
    h, rows = _tracker_rows(lambda p: p.payroll, date=lambda d: ARBOR_DATES[d.day % 6](d), reviewer_blank_for_head=False,
                            gov="Governing Body")
    write("Appraisals.csv", [["Employee ID", *h[1:]], *rows])
    h, rows = _objective_rows(lambda p: p.payroll, date=lambda d: d.isoformat())
    write("Objectives.csv", [["Employee ID", *h[1:]], *rows])
    return folder


def bromcom_workbook(path: Path) -> Path:
    """Bromcom-style: the header on row 40 under a long block of report settings, Forename and Surname
    columns, "80%" FTE text, "1 Sept 2025" dates, M/F and DfE codes, "Report run by" at the foot."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff Report"
    ws.append(["Staff Report"])
    ws.append(["Filter: Current staff only"])
    for i in range(3, 40):
        ws.append([f"Setting {i - 2}", "Included"] if i < 20 else [])
    ws.append(["Staff Ref", "Forename", "Surname", "Role", "Staff Type", "Responsibility", "Pay Scale", "FTE %", "Contract",
               "Start Date", "Years Experience", "QTS", "Induction Year", "In Capability Procedure", "Sex", "Ethnic Code"])
    for p in PEOPLE:
        ws.append([p.code, p.forename, p.surname, p.post, p.role.title(), p.responsibility, p.pay, f"{p.fte * 100:g}%",
                   p.contract.replace("_", "-"), f"{p.start.day} {p.start.strftime('%b')}{'t' if p.start.month == 9 else ''} {p.start.year}",
                   p.years, "Y" if p.qts else "N", "Y" if p.ect else "N", "N", p.sex[0].upper(), p.ethnicity])
    ws.append(["Report run by: office account on 01/12/2025"])
    _school_pairs(wb.create_sheet("School"), "Exampleford School")
    rv = wb.create_sheet("Reviews")
    h, rows = _tracker_rows(lambda p: p.code, reviewer_blank_for_head=False, gov="Chair of Governors")
    rv.append(["Staff Ref", *h[1:]])
    for r in rows:
        rv.append(r)
    ob = wb.create_sheet("Objectives")
    h, rows = _objective_rows(lambda p: p.code)
    ob.append(["Staff Ref", *h[1:]])
    for r in rows:
        ob.append(r)
    wb.save(path)
    return path


def scholarpack_workbook(path: Path) -> Path:
    """ScholarPack-style: First Name and Last Name, Employee Number, Teaching/Non-Teaching, FTE with a decimal
    comma ("0,8"), dates as text with two-digit years, Man/Woman, ethnicity descriptions."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    ws.append(["ScholarPack export"])
    ws.append(["Employee Number", "First Name", "Last Name", "Job Title", "Teaching/Support", "Responsibility Level", "Pay Range",
               "FTE", "Contract Type", "Start Date", "Years in Teaching", "QTS", "ECT", "Capability", "Gender", "Ethnicity"])
    for p in PEOPLE:
        ws.append([p.payroll, p.forename, p.surname, p.post,
                   {"teacher": "Teaching", "headteacher": "Headteacher", "support": "Non-Teaching"}[p.role],
                   RESPONSIBILITY_WORDS[p.responsibility], PAY_WORDS[p.pay], f"{p.fte:g}".replace(".", ","),
                   CONTRACT_WORDS[p.contract], p.start.strftime("%d/%m/%y"), p.years, "Yes" if p.qts else "No",
                   "Yes" if p.ect else "No", "No", {"male": "Man", "female": "Woman"}[p.sex], ETHNICITY_WORDS[p.ethnicity]])
    ws.append(["Total", len(PEOPLE)])
    _school_pairs(wb.create_sheet("School"), "Exampleby Infant School")
    rv = wb.create_sheet("Appraisal Tracker")
    h, rows = _tracker_rows(lambda p: p.payroll, date=lambda d: d.strftime("%d/%m/%y"))
    rv.append(["Employee Number", *h[1:]])
    for r in rows:
        rv.append(r)
    ob = wb.create_sheet("Objectives")
    h, rows = _objective_rows(lambda p: p.payroll, date=lambda d: d.strftime("%d/%m/%y"))
    ob.append(["Employee Number", *h[1:]])
    for r in rows:
        ob.append(r)
    wb.save(path)
    return path


BUILDERS = {"sims": (sims_workbook, "sims.xlsx"), "arbor": (arbor_folder, "arbor"),
            "bromcom": (bromcom_workbook, "bromcom.xlsx"), "scholarpack": (scholarpack_workbook, "scholarpack.xlsx")}


def build(kind: str, folder: Path) -> Path:
    make, name = BUILDERS[kind]
    return make(folder / name)
