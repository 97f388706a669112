"""The headteacher's own commentary and planned actions, shown on the summary page (policy §10).

Two sources, both written by the head for governors, never taken from the staff records' free text:

* an optional ``commentary`` sheet in the workbook (its fields are in
  ``pmreport/data_schemas/commentary.yaml``, so the template and the data contract list it): one row
  a paragraph or an action, with the section it is about;
* ``--commentary FILE.md``: a short Markdown file. Text before any heading is general commentary;
  ``## <section>`` starts a section (its id or its words: "## Operation", "## Training and
  development"); paragraphs are commentary, and lines starting ``- `` or ``* `` are planned actions.

In report.json it is ``"commentary": [{"section", "heading", "commentary": [text], "actions": [text]}]``,
in the order of the report's sections (general first), present only when the head gave some.
Every text is shown as plain text (escaped in HTML), never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmreport.errors import InputUnusable

if TYPE_CHECKING:
    from pmreport.reading import RawWorkbook

SHEET = "commentary"
SECTION, KIND, TEXT, CYCLE = "commentary_section", "commentary_kind", "commentary_text", "cycle"
MAX_CHARS = 2000
MAX_ENTRIES = 100
MAX_FILE_BYTES = 100_000
GENERAL_HEADING = "The headteacher's commentary"


@dataclass(frozen=True)
class CommentaryEntry:
    section: str  # general, operation, effectiveness, appeals, development or equality
    kind: str  # commentary or action
    text: str
    cycle: str | None = None  # None: whichever cycle is reported on


def _schema() -> Any:
    from pmreport.schema import schema

    return schema(SHEET)


def _section_code(value: str) -> str | None:
    from pmreport.normalise import parse_code

    code, problem = parse_code(value, _schema().field(SECTION))
    return None if problem else code


def _sections_hint() -> str:
    return ", ".join(_schema().field(SECTION).codes)


def _check_text(text: str, where: str, fix: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_CHARS:
        raise InputUnusable(f"{where} is {len(text):,} characters long; the most a paragraph or action may be is "
                            f"{MAX_CHARS:,}.", fix)
    return text


# ------------------------------------------------------------------------------------------ the sheet


def from_workbook(source: str | Path | RawWorkbook) -> list[CommentaryEntry]:
    """The rows of the workbook's ``commentary`` sheet (none when there is no such sheet): the workbook
    already read (:func:`pmreport.reading.read_input`), or its path.
    A value that cannot be understood stops the report with its sheet, cell and the fix."""
    from pmreport.header_search import locate, match_sheets
    from pmreport.normalise import parse_code, parse_cycle
    from pmreport.reading import RawWorkbook, read_input

    schema = _schema()
    raw_book = source if isinstance(source, RawWorkbook) else read_input(source)
    path = raw_book.path
    found, _, _ = match_sheets(raw_book, {SHEET: schema})
    if SHEET not in found:
        return []
    layout = locate(found[SHEET], schema)
    raw = layout.raw
    fix = ("Correct the commentary sheet (pmreport template blank.xlsx shows its columns), or delete the sheet "
           "to write the report without commentary.")
    if layout.header_index is None or layout.missing_required:
        needed = ", ".join(schema.field(f).name for f in (SECTION, KIND, TEXT))
        raise InputUnusable(f"{Path(path).name}, sheet '{raw.name}': the commentary sheet needs the columns "
                            f"{needed} in its first row.", fix)
    entries = []
    for index in range(layout.header_index + 1, len(raw.rows)):
        row, excel_row = raw.rows[index], raw.row_numbers[index]
        cols = {name: layout.columns.get(name) for name in (SECTION, KIND, TEXT, CYCLE)}
        cells = {name: row[col] if col is not None and col < len(row) else None for name, col in cols.items()}
        value = cells.get

        if all(value(f) in (None, "") for f in (SECTION, KIND, TEXT)):
            continue
        got: dict[str, Any] = {}
        for name, parse in ((SECTION, parse_code), (KIND, parse_code), (CYCLE, parse_cycle)):
            field = schema.field(name)
            parsed, problem = parse(value(name), field)
            where = f"{Path(path).name}, sheet '{raw.name}', cell {layout.letter(name)}{excel_row}"
            if problem or (parsed is None and field.required):
                expected = ", ".join(field.codes) if field.codes else "a cycle written like 2025/26"
                raise InputUnusable(f"{where}: expected {expected}.", fix)
            got[name] = parsed
        text = value(TEXT)
        where = f"{Path(path).name}, sheet '{raw.name}', cell {layout.letter(TEXT)}{excel_row}"
        if text is None or not str(text).strip():
            raise InputUnusable(f"{where}: the text of the {got[KIND]} is blank.", fix)
        entries.append(CommentaryEntry(got[SECTION], got[KIND], _check_text(str(text), where, fix), got[CYCLE]))
    return _limited(entries, f"{Path(path).name}, sheet '{raw.name}'", fix)


def _limited(entries: list[CommentaryEntry], where: str, fix: str) -> list[CommentaryEntry]:
    if len(entries) > MAX_ENTRIES:
        raise InputUnusable(f"{where} has {len(entries)} paragraphs and actions; the summary page holds at most "
                            f"{MAX_ENTRIES}.", fix)
    return entries


# ------------------------------------------------------------------------------------------ the file


def from_markdown(path: str | Path) -> list[CommentaryEntry]:
    """The entries of a ``--commentary`` Markdown file (see the module's docstring)."""
    path = Path(path)
    fix = ("Give a short UTF-8 text file: '## Operation' (or another section) above each part, paragraphs of "
           "commentary, and planned actions as lines starting '- '.")
    if not path.is_file():
        raise InputUnusable(f"There is no commentary file at {path}.", "Check the path, or leave out --commentary.")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputUnusable(f"{path.name} is larger than {MAX_FILE_BYTES // 1000} KB: too long for a summary page.", fix)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputUnusable(f"{path.name} is not a UTF-8 text file.", fix) from None
    section = "general"
    entries: list[CommentaryEntry] = []
    paragraph: list[str] = []

    def flush(line_no: int) -> None:
        if paragraph:
            where = f"{path.name}, the paragraph ending on line {line_no}"
            entries.append(CommentaryEntry(section, "commentary", _check_text(" ".join(paragraph), where, fix)))
            paragraph.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            flush(number - 1)
            title = stripped.lstrip("#").strip()
            code = _section_code(title)
            if code is None:
                raise InputUnusable(f"{path.name}, line {number}: the heading '{title[:60]}' is not a section of "
                                    f"the report; use one of: {_sections_hint()}.", fix)
            section = code
        elif stripped.startswith(("- ", "* ")):
            flush(number - 1)
            where = f"{path.name}, line {number}"
            entries.append(CommentaryEntry(section, "action", _check_text(stripped[2:], where, fix)))
        elif not stripped:
            flush(number - 1)
        else:
            paragraph.append(stripped)
    flush(len(text.splitlines()))
    return _limited(entries, path.name, fix)


# ------------------------------------------------------------------------------- into report.json


def commentary_block(entries: Sequence[CommentaryEntry], sections: Sequence[Mapping[str, Any]],
                     cycle: str) -> list[dict[str, Any]]:
    """report.json's ``commentary``: the entries for ``cycle`` grouped by section, in the report's order,
    general first."""
    entries = [e for e in entries if e.cycle in (None, cycle)]
    headings = {"general": GENERAL_HEADING, **{s["id"]: s["heading"] for s in sections}}
    order = ["general", *(s["id"] for s in sections)]
    out = []
    for sid in order:
        mine = [e for e in entries if e.section == sid]
        if mine:
            out.append({"section": sid, "heading": headings[sid],
                        "commentary": [e.text for e in mine if e.kind == "commentary"],
                        "actions": [e.text for e in mine if e.kind == "action"]})
    return out


def with_commentary(report: dict[str, Any], entries: Sequence[CommentaryEntry]) -> dict[str, Any]:
    """``report`` with its ``commentary`` (unchanged when there is none), placed after the summary."""
    block = commentary_block(entries, report["sections"], report["cycle"])
    if not block:
        return report
    out: dict[str, Any] = {}
    for key, value in report.items():
        out[key] = value
        if key == "summary":
            out["commentary"] = block
    out.setdefault("commentary", block)
    return out
