"""The bad-input corpus: every case is built by code in a temporary folder (no binaries committed),
with the outcome pmreport must give it.

Each case names the exit code of ``pmreport validate`` (2: the file cannot be used; 1: the data has
errors; 0: unusual but valid), text the message must contain (naming the place and the fix), and
for data cases the issues expected at their cells. ``heavy`` cases (bombs, a million rows) run in a
separate process under a memory cap. tests/test_bad_inputs.py runs them all; benchmarks/fuzz_reader.py
and docs/reliability.md count them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.badinput import zips
from tests.conftest import OBJECTIVES, REVIEWS, SCHOOL, STAFF, build_workbook

Sheets = dict[str, list[list]]


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path], Path]  # writes the input under the folder; returns what to give pmreport
    exit_code: int
    fragments: tuple[str, ...]  # text the output must hold (all of them)
    issues: tuple[tuple[str, str | None, str | None], ...]  # (code, sheet, cell) that must be reported
    heavy: bool
    what: str


CASES: list[Case] = []


def case(exit_code: int, *fragments: str, issues: tuple = (), heavy: bool = False):
    def register(fn: Callable[[Path], Path]) -> Callable[[Path], Path]:
        CASES.append(Case(fn.__name__, fn, exit_code, fragments, tuple(issues), heavy, (fn.__doc__ or "").strip()))
        return fn
    return register


def sheets() -> Sheets:
    return {"school": [r[:] for r in SCHOOL], "staff": [r[:] for r in STAFF], "reviews": [r[:] for r in REVIEWS],
            "objectives": [r[:] for r in OBJECTIVES]}


def workbook(folder: Path, edit: Callable[[Sheets], None] | None = None, name: str = "school.xlsx") -> Path:
    s = sheets()
    if edit:
        edit(s)
    return build_workbook(folder / name, s)


def with_workbook(folder: Path, edit: Callable, name: str = "school.xlsx") -> Path:
    """A minimal workbook whose openpyxl object ``edit`` may change (merges, hidden sheets ...)."""
    import openpyxl

    path = workbook(folder, name=name)
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def csv_folder(folder: Path, encoding: str = "utf-8", delimiter: str = ",", edit: Callable[[Sheets], None] | None = None,
               bom: bytes = b"") -> Path:
    out = folder / "csv"
    out.mkdir()
    s = sheets()
    if edit:
        edit(s)
    for name, rows in s.items():
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
        for row in rows:
            w.writerow([v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row])
        (out / f"{name}.csv").write_bytes(bom + buf.getvalue().encode(encoding))
    return out


def minimal_bytes(folder: Path) -> bytes:
    tmp = folder / "_minimal"
    tmp.mkdir()
    data = workbook(tmp).read_bytes()
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()
    return data


def sheet_xml(cells: bytes) -> bytes:
    return zips.SHEET_HEAD + cells + zips.SHEET_TAIL


def replace_staff_sheet(folder: Path, xml: bytes | zips.Entry) -> Path:
    """The minimal workbook with its staff sheet's XML replaced."""
    path = workbook(folder)
    entries = zips.entries_of(path)
    part = zips.sheet_part(path, "staff")
    entry = xml if isinstance(xml, zips.Entry) else zips.honest(part, xml)
    entry.name = part
    return zips.write_zip(path, zips.replace(entries, part, entry))


def more_staff(s: Sheets) -> None:
    """Two more members of staff, so that the staff sheet's data is rows 2 to 6."""
    for n, name in ((104, "Dee Example"), (105, "Eve Example")):
        s["staff"].append([f"000{n}", name, "teacher", "Class Teacher", "classroom_teacher", "main", 1, "permanent",
                           dt.date(2019, 9, 1), 6, "Y", "N", "N", "000101", "female"])


def row_xml(xml: bytes, row: int) -> bytes:
    """One row element of a sheet's XML, as openpyxl writes it."""
    m = re.search(rb'<row r="%d".*?</row>' % row, xml, re.S)
    assert m, row
    return m.group(0)


def renumbered(row: bytes, new: int) -> bytes:
    """A row element moved to another row number: the row and each of its cells say so."""
    return re.sub(rb'(<c r="[A-Z]{1,3})[0-9]+"', rb'\g<1>%d"' % new, re.sub(rb'<row r="[0-9]+"', b'<row r="%d"' % new, row))


def set_cell_xml(path: Path, sheet: str, ref: str, cell: bytes) -> Path:
    """Replace one cell's XML (for what openpyxl will not write: cached results, error values)."""
    def edit(xml: bytes) -> bytes:
        new, n = re.subn(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', cell.replace(b"REF", ref.encode()), xml, flags=re.S)
        assert n == 1, ref
        return new
    return zips.patch_part(path, zips.sheet_part(path, sheet), edit)


# =========================================================================== files that cannot be used (exit 2)

@case(2, "empty (0 bytes)", "Export the workbook again")
def zero_byte_file(folder: Path) -> Path:
    """A zero-byte .xlsx (an interrupted download or copy)."""
    p = folder / "school.xlsx"
    p.write_bytes(b"")
    return p


@case(2, "school.xlsx is not a valid Excel workbook", "save it as an Excel Workbook")
def text_named_xlsx(folder: Path) -> Path:
    """A CSV text file renamed to .xlsx."""
    p = folder / "school.xlsx"
    p.write_text("staff_id,name\n000101,Ada\n", encoding="utf-8")
    return p


@case(2, "not a valid Excel workbook", "incomplete download", "export it again")
def truncated_zip(folder: Path) -> Path:
    """A workbook cut off half way (its zip directory lost)."""
    data = minimal_bytes(folder)
    p = folder / "school.xlsx"
    p.write_bytes(data[: len(data) // 2])
    return p


@case(2, "school.xlsx is damaged", "save a fresh copy")
def corrupted_part(folder: Path) -> Path:
    """Bytes inside a sheet's compressed data changed; the zip directory intact."""
    path = workbook(folder)
    entries = zips.entries_of(path)
    part = zips.sheet_part(path, "staff")
    for e in entries:
        if e.name == part:
            mid = len(e.stored) // 2
            e.stored = e.stored[:mid] + bytes(b ^ 0x5A for b in e.stored[mid:mid + 16]) + e.stored[mid + 16:]
    return zips.write_zip(path, entries)


@case(2, "protected with a password", "remove the password")
def password_protected(folder: Path) -> Path:
    """A workbook encrypted with a password in Excel (an OLE container, EncryptedPackage)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = workbook(folder, name="plain.xlsx")
    out = io.BytesIO()
    with open(plain, "rb") as fh:
        OOXMLFile(fh).encrypt("secret", out)
    plain.unlink()
    p = folder / "school.xlsx"
    p.write_bytes(out.getvalue())
    return p


@case(2, "old-style Excel 97-2003 (.xls)", "Save As > Excel Workbook (.xlsx)")
def old_xls(folder: Path) -> Path:
    """An Excel 97-2003 .xls (OLE compound file header)."""
    p = folder / "school.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    return p


@case(2, "old-style Excel 97-2003 workbook saved with an .xlsx name", "Save As > Excel Workbook")
def xls_named_xlsx(folder: Path) -> Path:
    """An old .xls renamed to .xlsx."""
    p = folder / "school.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    return p


@case(2, "web page or XML file saved with an .xls name", "Save As > Excel Workbook (.xlsx)")
def html_named_xls(folder: Path) -> Path:
    """An MIS 'Excel export' that is really an HTML table named .xls."""
    p = folder / "staff.xls"
    p.write_text("<html><body><table><tr><td>staff_id</td></tr></table></body></html>", encoding="utf-8")
    return p


@case(2, "OpenDocument spreadsheet (.ods)", "save the data as an Excel Workbook")
def ods_file(folder: Path) -> Path:
    """A LibreOffice .ods file."""
    p = folder / "school.ods"
    p.write_bytes(minimal_bytes(folder))
    return p


@case(2, "is a zip file but not an Excel workbook", "Give pmreport the .xlsx workbook itself")
def zip_not_a_workbook(folder: Path) -> Path:
    """A zip (a Word document, say) named .xlsx."""
    p = folder / "school.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    return p


@case(2, "would expand to 2,048 MB", "zip bomb", heavy=True)
def zip_bomb(folder: Path) -> Path:
    """A sheet that unpacks to 2 GB (a zip bomb, 2 MB on disk); refused from the zip directory, nothing unpacked."""
    stream = zips.zero_stream(2048)
    return replace_staff_sheet(folder, zips.Entry("", stream, crc=0, size=2048 * zips.MiB))


@case(2, "built to expand", "times when opened", "zip bomb", "Ask whoever sent it", heavy=True)
def zip_bomb_ratio(folder: Path) -> Path:
    """A 100 MB sheet packed 1,000 to 1 (under the total limit, refused for its expansion ratio)."""
    stream = zips.zero_stream(100, b"<")
    crc = 0
    for _ in range(100):
        crc = zlib.crc32(b"<" * zips.MiB, crc)
    return replace_staff_sheet(folder, zips.Entry("", stream, crc=crc, size=100 * zips.MiB))


@case(2, "unpacks to more than the", "bytes it declares", heavy=True)
def zip_bomb_lying_directory(folder: Path) -> Path:
    """A sheet whose zip directory declares 1 KB but whose data unpacks to 1 GB: the stream is cut off at 1 KB."""
    return replace_staff_sheet(folder, zips.Entry("", zips.zero_stream(1024), crc=0, size=1024))


@case(2, "holds 20,012 parts inside it", "at most 10,000", "Ask whoever sent it")
def too_many_parts(folder: Path) -> Path:
    """A zip of 20,000 parts (directory-parsing memory)."""
    entries = zips.entries_of(workbook(folder))
    entries += [zips.Entry(f"x/{i}.bin", b"", zipfile.ZIP_STORED, 0, 0) for i in range(20_000)]
    return zips.write_zip(folder / "school.xlsx", entries)


@case(2, "XML declarations (DOCTYPE", "XML bomb", heavy=True)
def xml_entity_bomb(folder: Path) -> Path:
    """'Billion laughs': a sheet whose DTD expands one entity to 10^9 copies of 'lol'."""
    xml = zips.laughs() + (zips.SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                           + zips.SHEET_TAIL).split(b"\n", 1)[1]
    return replace_staff_sheet(folder, xml)


@case(2, "XML declarations (DOCTYPE", "xl/sharedStrings.xml")
def xml_entity_bomb_shared_strings(folder: Path) -> Path:
    """The entity bomb in the shared strings part rather than a sheet."""
    path = workbook(folder)
    entries = zips.entries_of(path)
    xml = zips.laughs() + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
    entries = [e for e in entries if e.name != "xl/sharedStrings.xml"] + [zips.honest("xl/sharedStrings.xml", xml)]
    return zips.write_zip(path, entries)


@case(2, "XML declarations (DOCTYPE", "did not open it")
def xml_external_entity(folder: Path) -> Path:
    """An external entity (XXE) in a sheet, pointing at a local file."""
    xml = (b'<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           + sheet_xml(b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>').split(b"\n", 1)[1])
    return replace_staff_sheet(folder, xml)


@case(2, "not in UTF-8", "save a fresh copy")
def utf16_sheet_part(folder: Path) -> Path:
    """A sheet's XML in UTF-16 (valid XML; never written by Excel; hides text from byte checks)."""
    xml = sheet_xml(b'<row r="1"><c r="A1" t="inlineStr"><is><t>staff_id</t></is></c></row>').decode()
    return replace_staff_sheet(folder, xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))


@case(2, "Sheet 'staff' in school.xlsx is too long", "pmreport reads at most 200,000 rows", "delete them", heavy=True)
def million_rows(folder: Path) -> Path:
    """A staff sheet of 1,000,000 rows (35 MB of XML, 1.5 MB on disk)."""
    path = workbook(folder)
    part = zips.sheet_part(path, "staff")
    with zipfile.ZipFile(path) as zf:
        items = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in items:
            if name != part:
                zf.writestr(name, data)
                continue
            with zf.open(name, "w") as w:
                w.write(zips.SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>staff_id</t></is></c></row>')
                for start in range(2, 1_000_001, 10_000):
                    w.write(b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r)
                                     for r in range(start, min(start + 10_000, 1_000_001))))
                w.write(zips.SHEET_TAIL)
    return path


@case(2, "it has something in row 1,048,576", "cell XFD1048576", "stray value", heavy=True)
def sparse_far_cell(folder: Path) -> Path:
    """Two cells a sheet apart (A1 and XFD1048576): 600 bytes that made calamine try to allocate 550 GB and abort."""
    return replace_staff_sheet(folder, sheet_xml(b'<row r="1"><c r="A1"><v>1</v></c></row>'
                                                 b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))


@case(2, "16,384 columns", "at most 5,000,000 cells", "Delete the unused rows and columns")
def wide_sheet(folder: Path) -> Path:
    """A stray value in column XFD of row 400: a used area of 6.5 million cells."""
    return replace_staff_sheet(folder, sheet_xml(b'<row r="1"><c r="A1"><v>1</v></c></row>'
                                                 b'<row r="400"><c r="XFD400"><v>1</v></c></row>'))


@case(2, "locked with a zip password", "without a password")
def zip_encrypted_parts(folder: Path) -> Path:
    """Parts encrypted with a (legacy) zip password."""
    entries = zips.entries_of(workbook(folder))
    for e in entries:
        e.flags |= 0x1
    return zips.write_zip(folder / "school.xlsx", entries)


@case(2, "two parts both called", "save a fresh copy")
def duplicate_part_names(folder: Path) -> Path:
    """Two parts with the same name (which one does a reader take?)."""
    path = workbook(folder)
    entries = zips.entries_of(path)
    part = zips.sheet_part(path, "staff")
    entries.append(zips.honest(part, sheet_xml(b"")))
    return zips.write_zip(path, entries)


@case(2, "has no 'reviews' sheet", "Add the missing sheet")
def missing_required_sheet(folder: Path) -> Path:
    """The reviews sheet is missing."""
    return workbook(folder, lambda s: s.pop("reviews"))


@case(2, "does not exist", "Check the file name")
def missing_file(folder: Path) -> Path:
    """A path that does not exist."""
    return folder / "nowhere.xlsx"


@case(2, "has no CSV files in it", "one CSV file per sheet")
def folder_named_xlsx(folder: Path) -> Path:
    """An empty folder called school.xlsx."""
    p = folder / "school.xlsx"
    p.mkdir()
    return p


@case(2, "not an ordinary file", "Give pmreport the workbook")
def fifo_named_csv(folder: Path) -> Path:
    """A named pipe called staff.csv: reading it would wait for ever."""
    p = folder / "staff.csv"
    os.mkfifo(p)
    return p


@case(2, "has no 'staff' CSV file", "Add the missing CSV file")
def fifo_in_csv_folder(folder: Path) -> Path:
    """A CSV folder whose staff.csv is a named pipe: skipped, not waited on."""
    out = csv_folder(folder)
    (out / "staff.csv").unlink()
    os.mkfifo(out / "staff.csv")
    return out


@case(2, "not a well-formed CSV file", "field larger than field limit", "save it again as 'CSV UTF-8")
def csv_huge_cell(folder: Path) -> Path:
    """A CSV cell of 200,000 characters (beyond the CSV reader's field limit)."""
    out = csv_folder(folder)
    with open(out / "reviews.csv", "a", encoding="utf-8") as fh:
        fh.write('000102,2025/26,000101,,,,,"' + "x" * 200_000 + '"\r\n')
    return out


@case(2, "'[/b]reviews'", "has no 'reviews' sheet")
def markup_in_sheet_name(folder: Path) -> Path:
    """A sheet named '[/b]reviews' (Excel forbids brackets; a crafted file need not): quoted in the message
    literally (rich markup in it used to crash the error printer)."""
    return zips.patch_part(workbook(folder), "xl/workbook.xml", lambda x: x.replace(b'name="reviews"', b'name="[/b]reviews"'))


@case(2, "XML declarations (DOCTYPE", "xl/worksheets/sheet2.dat", "did not open it")
def doctype_in_a_part_not_named_xml(folder: Path) -> Path:
    """An external entity in the staff sheet's XML, the part named sheet2.dat (the workbook's relationships point at
    it): the DOCTYPE check used to look only at parts named .xml, .rels and .vml."""
    xml = (b'<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           + sheet_xml(b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>').split(b"\n", 1)[1])
    path = workbook(folder)
    part = zips.sheet_part(path, "staff")  # xl/worksheets/sheet2.xml
    dat = part.removesuffix(".xml") + ".dat"
    with zipfile.ZipFile(path) as zf:
        items = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    for index in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):  # the relationships and content types name it
        items[index] = items[index].replace(part.encode(), dat.encode())
    items = {(dat if name == part else name): (xml if name == part else data) for name, data in items.items()}
    return zips.write_zip(path, [zips.honest(name, data) for name, data in items.items()])


@case(2, "cell G3 of sheet 'staff' points at shared text number 1,000", "holds none", "save a fresh copy")
def shared_text_out_of_range(folder: Path) -> Path:
    """A cell pointing at shared text number 1,000 in a workbook that holds no shared text (a reader stopped with
    "(IndexError)")."""
    return set_cell_xml(workbook(folder), "staff", "G3", b'<c r="REF" t="s"><v>999</v></c>')


@case(2, "has 2,048 bytes of something else before the workbook begins", "pass as two kinds of file", "Ask whoever sent it")
def polyglot_prefix(folder: Path) -> Path:
    """A picture's bytes before the zip (a "polyglot", both a GIF and a workbook): zip readers skip them silently."""
    data = minimal_bytes(folder)
    p = folder / "school.xlsx"
    p.write_bytes(b"GIF89a" + b"\0" * 2042 + data)
    return p


@case(2, "holds a part named '../../outside.txt'", "outside the workbook's own folder", "Ask whoever sent it")
def part_named_outside_the_package(folder: Path) -> Path:
    """A part named ../../outside.txt (unpacked, it would land outside the folder: a "zip slip")."""
    entries = zips.entries_of(workbook(folder))
    return zips.write_zip(folder / "school.xlsx", [*entries, zips.honest("../../outside.txt", b"x")])


@case(2, "holds a part named '/tmp/outside.txt'", "outside the workbook's own folder")
def part_named_from_the_root(folder: Path) -> Path:
    """A part with an absolute name, /tmp/outside.txt."""
    entries = zips.entries_of(workbook(folder))
    return zips.write_zip(folder / "school.xlsx", [*entries, zips.honest("/tmp/outside.txt", b"x")])


# =========================================================================== data with errors (exit 1)

@case(1, "formula with no saved result", "open the workbook in Excel and save it",
      issues=(("formula_no_value", "staff", "G3"), ("formula_no_value", "staff", "A5"), ("formula_no_value", "staff", "D5")))
def formula_without_saved_result(folder: Path) -> Path:
    """Formulas written by a program that never calculated them (no saved result): the FTE of row 3, and row 5 made
    only of formulas (which a reader sees as blank: it used to vanish from the count)."""
    def edit(s: Sheets) -> None:
        s["staff"][2][6] = "=0.3*2"
        s["staff"].append([f'="{v}"' if isinstance(v, str) else v for v in s["staff"][1][:6]])
    return workbook(folder, edit)


@case(1, "Excel error #DIV/0!", "Correct the formula", issues=(("cell_error", "reviews", "E3"),))
def excel_error_value(folder: Path) -> Path:
    """A meeting date showing #DIV/0! (a reader sees a blank)."""
    return set_cell_xml(workbook(folder), "reviews", "E3", b'<c r="REF" t="e"><f>1/0</f><v>#DIV/0!</v></c>')


@case(1, "merged into the merged cells A2:A3", "Unmerge the cells", issues=(("merged_cell", "objectives", "A3"),))
def merged_cells_in_data(folder: Path) -> Path:
    """A staff reference merged over two objectives rows: only the first row holds it."""
    def edit(s: Sheets) -> None:
        s["objectives"].insert(2, [None, "2025/26", 2, "teaching_practice", "Y", dt.date(2026, 7, 17), "Y", "Second objective"])
    path = workbook(folder, edit)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["objectives"].merge_cells("A2:A3")
    wb.save(path)
    return path


@case(1, "Two columns both mean staff_id", "Delete or rename one", issues=(("duplicate_column", "staff", "B1"),))
def duplicate_headers(folder: Path) -> Path:
    """Two columns headed staff_id."""
    def edit(s: Sheets) -> None:
        s["staff"][0][1] = "Staff ID"
    return workbook(folder, edit)


@case(1, "The required column role_group is missing", "Add a column headed 'role_group'",
      issues=(("missing_column", "staff", None),))
def missing_required_column(folder: Path) -> Path:
    """The staff sheet has no role_group column."""
    def edit(s: Sheets) -> None:
        for row in s["staff"]:
            del row[2]
    return workbook(folder, edit)


@case(1, "No header row was found", "must hold the column names", issues=(("no_header_row", "staff", None),))
def no_header_row(folder: Path) -> Path:
    """The staff sheet has data but no header row."""
    return workbook(folder, lambda s: s["staff"].pop(0))


@case(1, "must be a number", "must be Y or N", issues=(("not_a_number", "staff", "J3"), ("not_yes_no", "staff", "K4")))
def wrong_types(folder: Path) -> Path:
    """Text where numbers and Y/N belong."""
    def edit(s: Sheets) -> None:
        s["staff"][2][9] = "ten"
        s["staff"][3][10] = "maybe"
    return workbook(folder, edit)


@case(1, "must be a date between 1900 and 2100", issues=(("date_out_of_range", "staff", "I3"), ("date_out_of_range", "staff", "I4"),
                                                        ("date_out_of_range", "reviews", "E3")))
def dates_out_of_range(folder: Path) -> Path:
    """A contract start before 1900 and one in 2250 (written as text), and an Excel serial for 31/12/9999."""
    def edit(s: Sheets) -> None:
        s["staff"][2][8] = "01/01/1850"
        s["staff"][3][8] = "01/01/2250"
        s["reviews"][2][4] = 2958465
    return workbook(folder, edit)


@case(1, "is not a real date (for example 31/02)", issues=(("impossible_date", "staff", "I3"),))
def impossible_date(folder: Path) -> Path:
    """31/02/2020."""
    return workbook(folder, lambda s: s["staff"][2].__setitem__(8, "31/02/2020"))


@case(1, "duration_minutes must be between 1 and 480", issues=(("out_of_range", "observations", "D2"),))
def negative_duration(folder: Path) -> Path:
    """An observation lasting -30 minutes."""
    def edit(s: Sheets) -> None:
        s["observations"] = [["staff_id", "cycle", "observation_date", "duration_minutes", "purpose", "observer_id"],
                             ["000102", "2025/26", dt.date(2025, 11, 10), -30, "performance_management", "000101"]]
    return workbook(folder, edit)


@case(1, "fte must be more than 0 and at most 1", issues=(("out_of_range", "staff", "G3"),))
def fte_zero(folder: Path) -> Path:
    """An FTE of 0."""
    return workbook(folder, lambda s: s["staff"][2].__setitem__(6, 0))


@case(1, "must be more than 0 and at most 1", issues=(("fte_out_of_range", "staff", "I6"), ("missing_value", "reviews", "C3")))
def table_not_at_a1(folder: Path) -> Path:
    """The staff table starts at C4 (empty rows above, empty columns to the left): cells are still named
    right (they used to be shifted by the empty area); and a blank reviewer is reported at its cell."""
    def edit(s: Sheets) -> None:
        s["staff"] = [[None] * 3] * 3 + [[None, None, *row] for row in s["staff"]]
        s["staff"][5][2 + 6] = 1.5
        s["reviews"][2][2] = None
    return workbook(folder, edit)


@case(1, "fte must be more than 0 and at most 1", "typing slip", issues=(("fte_out_of_range", "staff", "G3"),))
def fte_one_and_a_half(folder: Path) -> Path:
    """An FTE of 1.5."""
    return workbook(folder, lambda s: s["staff"][2].__setitem__(6, 1.5))


@case(1, "Another row has the same staff_id", "Remove or correct the duplicate",
      issues=(("duplicate_key", "staff", "A3"), ("duplicate_key", "staff", "A5")))
def duplicate_ids(folder: Path) -> Path:
    """The same staff reference on two rows."""
    return workbook(folder, lambda s: s["staff"].append(s["staff"][2][:]))


@case(1, "objective_no must be a whole number between 1 and 50", issues=(("not_a_whole_number", "objectives", "C2"),))
def huge_number(folder: Path) -> Path:
    """An objective number of 10^20 (it used to crash making the table: too big for a whole-number column)."""
    return workbook(folder, lambda s: s["objectives"][1].__setitem__(2, 1e20))


@case(1, "must be a full-time equivalent", issues=(("not_an_fte", "staff", "G3"),))
def infinite_number_text(folder: Path) -> Path:
    """An FTE of '1e999' (infinity once read)."""
    return workbook(folder, lambda s: s["staff"][2].__setitem__(6, "1e999"))


@case(1, "longer than pmreport accepts", issues=(("text_too_long", "objectives", "H2"),))
def text_too_long(folder: Path) -> Path:
    """An objective description of 40,000 characters (more than an Excel cell holds; written by a program)."""
    return set_cell_xml(workbook(folder), "objectives", "H2", b'<c r="REF" t="inlineStr"><is><t>' + b"word " * 8000 + b"</t></is></c>")


@case(1, "must be one of: met, partly_met", "[/bold]", issues=(("unknown_code", "reviews", "H3"),))
def markup_in_a_value(folder: Path) -> Path:
    """An assessment of '[/bold]': shown literally (rich markup in a value used to crash the summary)."""
    return workbook(folder, lambda s: s["reviews"][2].__setitem__(7, "[/bold]"))


@case(1, "must be one of: met", issues=(("unknown_code", "reviews", "H3"),))
def control_characters(folder: Path) -> Path:
    """Terminal escape sequences in a value (CSV): never printed raw."""
    return csv_folder(folder, edit=lambda s: s["reviews"][2].__setitem__(7, "met\x1b]0;pwned\x07\x1b[2J"))


@case(1, "The school sheet has no usable row", issues=(("no_school_row", "school", None),))
def headers_only(folder: Path) -> Path:
    """Every sheet has its header row and nothing else."""
    def edit(s: Sheets) -> None:
        for rows in s.values():
            del rows[1:]
    return workbook(folder, edit)


@case(1, "No header row was found", issues=(("no_header_row", "school", None), ("no_header_row", "staff", None)))
def empty_sheets(folder: Path) -> Path:
    """Every sheet present but empty."""
    def edit(s: Sheets) -> None:
        for rows in s.values():
            rows.clear()
    return workbook(folder, edit)


@case(1, "must be one of: nursery, primary", issues=(("unknown_code", "school", "B3"),))
def school_details_as_pairs_with_error(folder: Path) -> Path:
    """School details written as label/value pairs, one of them wrong: the school row is set aside."""
    def edit(s: Sheets) -> None:
        header, values = s["school"]
        s["school"] = [[h, v] for h, v in zip(header, values, strict=True)]
        s["school"][2][1] = "college"
    return workbook(folder, edit)


@case(1, "stores this row 2 times", "every copy was counted and set aside", "stores this row after row 6",
      issues=(("row_repeated", "staff", None), ("row_out_of_order", "staff", None)))
def row_stored_twice(folder: Path) -> Path:
    """Two rows numbered 6 in the staff sheet's XML, the extra one stored between rows 3 and 4 (so rows 4 and 5 come
    after row 6): a reader kept one row 6 and the count read 5 rows for 6 stored (the red team's "Rows read 120" for
    121)."""
    path = workbook(folder, more_staff)

    def edit(xml: bytes) -> bytes:
        extra = renumbered(row_xml(xml, 3), 6).replace(b"000102", b"000106").replace(b"Ben Example", b"Fay Example")
        return xml.replace(row_xml(xml, 3), row_xml(xml, 3) + extra)
    return zips.patch_part(path, zips.sheet_part(path, "staff"), edit)


@case(1, "holds two values for this cell", "set the row aside", issues=(("cell_repeated", "staff", "G3"),))
def cell_stored_twice(folder: Path) -> Path:
    """Cell G3 stored twice in its row, with two different FTEs: a reader kept one without a word."""
    path = workbook(folder)

    def edit(xml: bytes) -> bytes:
        g3 = re.search(rb'<c r="G3".*?</c>', xml, re.S).group(0)
        return xml.replace(g3, g3 + b'<c r="G3" t="n"><v>0.2</v></c>')
    return zips.patch_part(path, zips.sheet_part(path, "staff"), edit)


# =========================================================================== unusual but valid (exit 0)

@case(0, "The data is valid")
def formula_with_saved_result(folder: Path) -> Path:
    """A formula with its saved result (as Excel writes it): the result is read."""
    path = workbook(folder, lambda s: s["staff"][2].__setitem__(6, "=0.3*2"))
    return set_cell_xml(path, "staff", "G3", b'<c r="REF"><f>0.3*2</f><v>0.6</v></c>')


@case(0, "The data is valid")
def merged_title_row(folder: Path) -> Path:
    """A merged title across the top of the staff sheet, above the header."""
    def edit(s: Sheets) -> None:
        s["staff"][:0] = [["Staff list exported from the MIS"] + [None] * 14, [None] * 15]
    path = workbook(folder, edit)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["staff"].merge_cells("A1:O1")
    wb.save(path)
    return path


@case(0, "hidden in Excel", issues=(("hidden_sheet", "staff", None),))
def hidden_sheet(folder: Path) -> Path:
    """The staff sheet is hidden: read all the same, and said so."""
    return with_workbook(folder, lambda wb: setattr(wb["staff"], "sheet_state", "hidden"))


@case(0, "contains macros", "never runs macros", issues=(("macros_not_run", None, None),))
def xlsm_with_macros(folder: Path) -> Path:
    """An .xlsm with a VBA project: values read, macros never run."""
    path = workbook(folder, name="school.xlsm")
    return zips.add_part(path, "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name = \"AutoOpen\"" * 50)


@case(0, "The data is valid")
def xlsx_named_xls(folder: Path) -> Path:
    """A real .xlsx saved with an .xls name (some MIS exports are): read as the workbook it is."""
    p = folder / "school.xls"
    p.write_bytes(minimal_bytes(folder))
    return p


@case(0, "has values but no heading", issues=(("unnamed_column", "staff", "P1"),))
def unnamed_column(folder: Path) -> Path:
    """A column of values with no heading: not read, and said so (it used to vanish unremarked)."""
    def edit(s: Sheets) -> None:
        s["staff"][0].append(None)
        for row in s["staff"][1:]:
            row.append("extra")
    return workbook(folder, edit)


@case(0, "is not one pmreport knows")
def thousands_of_unknown_columns(folder: Path) -> Path:
    """3,000 extra columns with 200-character headings (header matching stays quick)."""
    def edit(s: Sheets) -> None:
        s["staff"][0].extend(f"{i:04d} " + "long heading " * 15 for i in range(3000))
    return workbook(folder, edit)


@case(0, "The data is valid")
def csv_windows_1252(folder: Path) -> Path:
    """CSV files in Windows-1252 (Excel's 'CSV (Comma delimited)' in the UK), with accented names."""
    return csv_folder(folder, "cp1252", edit=lambda s: s["staff"][2].__setitem__(1, "Zoë Café"))


@case(0, "The data is valid")
def csv_utf8_bom(folder: Path) -> Path:
    """CSV UTF-8 with a byte-order mark (Excel's 'CSV UTF-8')."""
    return csv_folder(folder, bom=b"\xef\xbb\xbf")


@case(0, "The data is valid")
def csv_semicolons(folder: Path) -> Path:
    """Semicolon-delimited CSV (European Excel settings)."""
    return csv_folder(folder, delimiter=";")


@case(0, "The data is valid")
def csv_utf16_tabs(folder: Path) -> Path:
    """Excel's 'Unicode Text': UTF-16 with a byte-order mark, tab-delimited, named .csv."""
    return csv_folder(folder, "utf-16", delimiter="\t")


@case(0, "stores this row after row 4", "read it at its own row number", issues=(("row_out_of_order", "staff", None),))
def rows_out_of_order(folder: Path) -> Path:
    """Rows 3 and 4 of the staff sheet stored the other way round: each is read at its own number, with a warning."""
    path = workbook(folder)

    def edit(xml: bytes) -> bytes:
        three, four = row_xml(xml, 3), row_xml(xml, 4)
        return xml.replace(three + four, four + three)
    return zips.patch_part(path, zips.sheet_part(path, "staff"), edit)
