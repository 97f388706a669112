"""Row accounting survives crafted sheet XML (issue 18): a row stored twice, a cell stored twice or
rows out of order are reported at the row, and every stored row is counted; and the package scan
checks every XML part whatever its name. Figures are worked out by hand from the workbooks built here."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmreport.errors import InputUnusable
from pmreport.pipeline import load_school
from pmreport.xlsx_scan import scan_workbook
from tests.badinput import zips
from tests.badinput.cases import (
    cell_stored_twice,
    more_staff,
    renumbered,
    row_stored_twice,
    row_xml,
    rows_out_of_order,
    workbook,
)


def staff_rows(frame) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for row, staff_id in zip(frame["_row"], frame["staff_id"], strict=True):
        out.setdefault(int(row), []).append(str(staff_id))
    return out


def test_a_row_stored_twice_is_read_twice_and_set_aside(tmp_path: Path):
    # staff rows 2-6 hold 000101-000105; an extra row numbered 6 (000106) is stored between rows 3 and 4
    data, report = load_school(row_stored_twice(tmp_path))
    staff = report.stats["staff"]
    assert (staff.read, staff.accepted, staff.quarantined, staff.blank) == (6, 4, 2, 0)
    assert staff_rows(data.staff) == {2: ["000101"], 3: ["000102"], 4: ["000103"], 5: ["000104"]}
    assert staff_rows(data.quarantine["staff"]) == {6: ["000106", "000105"]}  # both copies, in the file's order
    found = {(i.code, i.row, i.column) for i in report.issues if i.sheet == "staff"}
    assert ("row_repeated", 6, None) in found
    assert {("row_out_of_order", 4, None), ("row_out_of_order", 5, None)} <= found
    assert next(i for i in report.issues if i.code == "row_repeated").message.startswith("The file stores this row 2 times")


def test_a_row_element_holding_another_rows_cells(tmp_path: Path):
    """<row r="5"> holding the cells A6, B6 ... while row 6 is also stored: two copies of row 6, none of row 5."""
    path = workbook(tmp_path, more_staff)

    def edit(xml: bytes) -> bytes:
        five = row_xml(xml, 5)
        return xml.replace(five, renumbered(five, 6).replace(b'<row r="6"', b'<row r="5"'))
    zips.patch_part(path, zips.sheet_part(path, "staff"), edit)
    data, report = load_school(path)
    staff = report.stats["staff"]
    assert (staff.read, staff.accepted, staff.quarantined, staff.blank) == (6, 3, 2, 1)  # row 5 is now empty
    assert staff_rows(data.quarantine["staff"]) == {6: ["000104", "000105"]}


def test_a_cell_stored_twice_sets_its_row_aside(tmp_path: Path):
    data, report = load_school(cell_stored_twice(tmp_path))
    staff = report.stats["staff"]
    assert (staff.read, staff.accepted, staff.quarantined) == (3, 2, 1)
    assert staff_rows(data.quarantine["staff"]) == {3: ["000102"]}
    assert data.quarantine["staff"]["fte"].isna().all()  # neither stored value is passed on
    assert ("cell_repeated", 3, "G") in {(i.code, i.row, i.column) for i in report.issues}


def test_rows_out_of_order_are_read_at_their_numbers(tmp_path: Path):
    data, report = load_school(rows_out_of_order(tmp_path))
    assert staff_rows(data.staff) == {2: ["000101"], 3: ["000102"], 4: ["000103"]}
    assert [(i.code, i.row, i.severity) for i in report.issues] == [("row_out_of_order", 3, "warning")]


def test_prefixed_and_plain_xml_give_the_same_flags(tmp_path: Path):
    """The fast path (XML as Excel writes it) and the careful one (namespace prefixes) agree."""
    plain = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="A3"><v>3</v></c></row>' \
            b'<row r="2"><c r="A2"><v>2</v></c></row><row r="3"><c r="B3"><v>4</v></c><c r="B3"><v>5</v></c></row>'
    prefixed = plain.replace(b"<row", b"<x:row").replace(b"</row", b"</x:row").replace(b"<c ", b"<x:c ") \
        .replace(b"</c>", b"</x:c>").replace(b"<v>", b"<x:v>").replace(b"</v>", b"</x:v>")
    seen = []
    for i, cells in enumerate((plain, prefixed)):
        folder = tmp_path / str(i)
        folder.mkdir()
        head = zips.SHEET_HEAD.replace(b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ')
        from tests.badinput.cases import replace_staff_sheet

        scan = scan_workbook(replace_staff_sheet(folder, head + cells + zips.SHEET_TAIL)).sheets["staff"]
        seen.append(({r: (f.code, f.detail) for r, f in scan.row_flags.items()}, dict(scan.flags)))
    assert seen[0] == seen[1]
    assert seen[0][0] == {2: ("row_out_of_order", "3"), 3: ("row_repeated", "2")}
    assert set(seen[0][1]) == {(3, 1)}  # B3 given twice


def test_a_sheet_as_excel_writes_it_has_no_flags(tmp_path: Path):
    rows = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>%d</v></c>' % (c, r, r) for c in (b"A", b"B", b"C"))
                    + b"</row>" for r in range(1, 3001))
    from tests.badinput.cases import replace_staff_sheet

    scan = scan_workbook(replace_staff_sheet(tmp_path, zips.SHEET_HEAD + rows + zips.SHEET_TAIL)).sheets["staff"]
    assert (scan.row_flags, scan.flags, scan.height, scan.width) == ({}, {}, 3000, 3)


DOCTYPE = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<x>&e;</x>'


@pytest.mark.parametrize("name", ["xl/custom/part.bin", "xl/worksheets/sheet9", "docProps/extra.DAT"])
def test_every_xml_part_is_checked_whatever_its_name(tmp_path: Path, name: str):
    path = zips.add_part(workbook(tmp_path), name, DOCTYPE)
    with pytest.raises(InputUnusable, match=f"DOCTYPE in its part '{name}'"):
        scan_workbook(path)


def test_an_svg_picture_with_a_doctype_is_not_a_sheet(tmp_path: Path):
    """Drawing programs write a DOCTYPE into SVG pictures; no reader parses them, so they are let through."""
    svg = b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg/>'
    path = zips.add_part(workbook(tmp_path), "xl/media/image1.svg", svg)
    assert "staff" in scan_workbook(path).sheets


def test_binary_parts_are_not_taken_for_xml(tmp_path: Path):
    """A picture whose first bytes hold zeros (an EMF) is not XML, so not refused as 'not in UTF-8'."""
    path = zips.add_part(workbook(tmp_path), "xl/media/image1.emf", b"\x01\x00\x00\x00" + bytes(range(256)))
    assert "staff" in scan_workbook(path).sheets


@pytest.mark.parametrize(("index", "refused"), [(1, False), (2, True)])
def test_shared_text_indices_are_checked_against_the_strings_held(tmp_path: Path, index: int, refused: bool):
    """Two shared strings (indices 0 and 1): a cell pointing at index 2 is refused, naming the cell."""
    from tests.badinput.cases import set_cell_xml

    path = workbook(tmp_path)
    set_cell_xml(path, "staff", "B2", b'<c r="REF" t="s"><v>%d</v></c>' % index)
    set_cell_xml(path, "staff", "B3", b'<c r="REF" t="s"><v>0</v></c>')
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>a</t></si><si><t>b</t></si></sst>'
    zips.add_part(path, "xl/sharedStrings.xml", sst)
    if refused:
        with pytest.raises(InputUnusable, match="cell B2 of sheet 'staff' points at shared text number 3, but the workbook holds only 2"):
            scan_workbook(path)
    else:
        assert scan_workbook(path).sheets["staff"].shared_max == (1, "B2")


def test_white_space_before_a_doctype_does_not_hide_it(tmp_path: Path):
    """XML may start with white space; 5 MB of it (more than one unpacked chunk) before the DOCTYPE, in a part not
    named .xml, is looked past."""
    path = zips.add_part(workbook(tmp_path), "xl/custom/part.bin", b" \n" * 2_500_000 + DOCTYPE.split(b"\n", 1)[1])
    with pytest.raises(InputUnusable, match="DOCTYPE in its part 'xl/custom/part.bin'"):
        scan_workbook(path)
