"""Inspect a workbook's zip package before any spreadsheet parser opens it.

An .xlsx file is a zip of XML parts. A damaged or hostile one can make a parser hang, fill
the memory or abort the process: a "zip bomb" (a part that unpacks to gigabytes), an XML
entity bomb ("billion laughs"), or two cells a million rows apart (calamine allocates the
whole rectangle between them and the process dies). So every part is unpacked here once, as
a stream, against the limits in :mod:`pmreport.limits`, and checked:

* the zip directory: number of parts, declared sizes, expansion ratio, encryption, methods;
* every part: its real unpacked size and checksum agree with what the directory declares
  (a part that lies about its size is refused, not trusted);
* the package itself: nothing before the zip's first part (a file made to pass as two kinds
  at once, a "polyglot"), and no part named outside the package (``../x``, ``/x``);
* every XML part, whatever its name (XML is told by its first bytes): UTF-8 (as Excel writes
  it) and no DOCTYPE or ENTITY declarations, which Excel never writes and entity bombs need;
* every sheet: its used area (first to last row and column holding anything), and the cells
  a reader would silently read as blank: formulas with no saved result and cells showing an
  Excel error such as ``#REF!``; and its merged cells;
* every sheet's row order: Excel writes each row once, in order. A row stored twice (two
  ``<row r="6">``) or a cell given twice would be merged by a reader, one value silently
  overwriting the other, so both are flagged, as is a row stored out of order;
* every shared-text cell points at a string the workbook holds.

The scan reads bytes with regular expressions (no XML parser, so no entity expansion) and
takes a fraction of the time the reader itself takes. Nothing here ever writes to the file.
"""

from __future__ import annotations

import html
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO

from openpyxl.utils import get_column_letter

from pmreport import limits
from pmreport.errors import InputUnusable

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
_READ_CHUNK = 1024 * 1024
_OUT_CHUNK = 4 * 1024 * 1024
_SMALL_PART = 16 * 1024 * 1024  # workbook.xml and its relationships are read whole, up to this

_P = rb"(?:[A-Za-z_][\w.\-]*:)?"  # an optional namespace prefix, as in <x:c>
_Q = rb"[\"']"
_F_TAG = re.compile(rb"<" + _P + rb"f[\s/>]")
# cells that are not self-closing (so may hold something): their rows, their columns
_PLAIN_CONTENT = re.compile(rb'<c r="(([A-Z]{1,3})([0-9]{1,7}))"[^>/]*>')  # (reference, column, row)
_PLAIN_WELL_FORMED = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"')
_PLAIN_F = re.compile(rb"<f[\s/>]")
_PLAIN_F_SAVED = re.compile(rb"(?:</f>|<f\s[^>]*/>|<f/>)<v>[^<]")
_PLAIN_ERROR = re.compile(rb"\st=[\"']e[\"']")
_PLAIN_ROW = re.compile(rb'<row r="([0-9]{1,7})"')
_PLAIN_SUSPECT = re.compile(rb"<f[\s/>]|\st=[\"']e[\"']")
_PLAIN_V = re.compile(rb"<v>(.*?)</v>|<v\s*/>", re.S)
_PLAIN_SHARED = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*?\st="s"[^>]*>\s*<v>\s*([0-9]+)\s*</v>')
_SI = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?si[\s/>]")
_TOKEN = re.compile(rb"<(/?)" + _P + rb"(row|c|f|v|is)(?=[\s/>])([^>]*)>")
_ATTR_REF = re.compile(rb"(?:^|\s)r\s*=\s*" + _Q + rb"\$?([A-Za-z]*)\$?([0-9]*)" + _Q)
_ATTR_T = re.compile(rb"(?:^|\s)t\s*=\s*" + _Q + rb"([^\"']*)" + _Q)
_MERGE = re.compile(rb"<" + _P + rb"mergeCell\s[^>]*?ref\s*=\s*" + _Q
                    + rb"\$?([A-Z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?" + _Q)
_SHEET_DATA = re.compile(rb"<" + _P + rb"sheetData[\s/>]")
_ROW_END = re.compile(rb"</" + _P + rb"\Z")
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_XML_DECL_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*" + _Q + rb"([A-Za-z0-9._\-]+)" + _Q)
_ASCII_COMPATIBLE = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252"}
_SHEET_EL = re.compile(rb"<" + _P + rb"sheet\s([^>]*?)/?>")
_REL_EL = re.compile(rb"<" + _P + rb"Relationship\s([^>]*?)/?>")
_ATTRS = re.compile(rb"([\w:.\-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_SHARED_STRINGS_TYPE = "/sharedStrings"
_DAMAGED_FIX = "Export the workbook again from your MIS, or open it in Excel and save a fresh copy (File > Save As > Excel Workbook)."
_HOSTILE_FIX = ("Do not pass the file on. Ask whoever sent it for the data again, saved from Excel as an Excel Workbook (.xlsx), "
                "or copy the data into pmreport's template (`pmreport template blank.xlsx`).")


@dataclass(frozen=True)
class CellFlag:
    """A cell a reader would see as blank although the sheet shows something in it."""

    code: str  # formula_no_value | cell_error | cell_repeated; for a whole row: row_repeated | row_out_of_order
    detail: str = ""  # the error shown, such as #REF!; how many times a row is stored; the row stored before


@dataclass
class SheetScan:
    """What the scan learnt about one sheet: its used area, unreadable cells and merged cells."""

    part: str
    first_row: int | None = None
    last_row: int | None = None
    last_col: int = -1  # 0-based index of the right-most used column
    last_row_col: int = 0  # a column used in the last row (to name a cell in messages)
    flags: dict[tuple[int, int], CellFlag] = field(default_factory=dict)  # (Excel row, 0-based column) -> flag
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, first col, last row, last col)
    row_flags: dict[int, CellFlag] = field(default_factory=dict)  # Excel row -> a row stored twice or out of order
    shared_max: tuple[int, str] | None = None  # the highest shared-text index a cell uses, and that cell

    @property
    def repeated_rows(self) -> bool:
        """Some row is stored more than once: a reader that places cells by address merges its copies."""
        return any(f.code == "row_repeated" for f in self.row_flags.values())

    @property
    def height(self) -> int:
        """Rows a reader materialises: from row 1 to the last used row (readers pad the grid from A1)."""
        return self.last_row or 0

    @property
    def width(self) -> int:
        """Columns a reader materialises: from A to the last used column."""
        return self.last_col + 1

    @property
    def area(self) -> int:
        return self.height * self.width


@dataclass
class PackageScan:
    sheets: dict[str, SheetScan] = field(default_factory=dict)  # by sheet name as the workbook names it
    parts: int = 0
    unpacked_bytes: int = 0
    macros: bool = False


def col_index(letters: bytes | str) -> int:
    """0-based column index of Excel column letters (A -> 0, XFD -> 16383)."""
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _mb(n: int) -> str:
    return f"{n / limits.MiB:,.0f} MB"


def _damaged(name: str, what: str) -> InputUnusable:
    return InputUnusable(f"{name} is damaged: {what}.", _DAMAGED_FIX)


# --------------------------------------------------------------------------- the zip directory

def _directory_counts(fh: BinaryIO, size: int, name: str) -> tuple[int, int]:
    """(number of entries, size of the central directory) from the end record, before zipfile parses it."""
    tail_len = min(size, 65_557)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < 22:
        raise InputUnusable(
            f"{name} is not a valid Excel workbook (it may be a text or CSV file renamed, or a damaged or incomplete download).",
            "Open it in Excel and save it as an Excel Workbook (.xlsx), or export it again from your MIS.",
        )
    _sig, _d, _dcd, _n_here, entries, cd_size, _off, _clen = struct.unpack("<4s4H2LH", tail[pos:pos + 22])
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and pos >= 20 and tail[pos - 20:pos - 16] == b"PK\x06\x07":
        (z64_offset,) = struct.unpack("<Q", tail[pos - 12:pos - 4])
        if z64_offset + 56 <= size:
            fh.seek(z64_offset)
            rec = fh.read(56)
            if rec[:4] == b"PK\x06\x06":
                entries, cd_size = struct.unpack("<QQ", rec[32:48])
    return entries, cd_size


def _open_directory(fh: BinaryIO, size: int, name: str) -> list[zipfile.ZipInfo]:
    entries, cd_size = _directory_counts(fh, size, name)
    if entries > limits.MAX_ZIP_ENTRIES or cd_size > limits.MAX_ZIP_ENTRIES * 1024:
        raise InputUnusable(
            f"{name} holds {entries:,} parts inside it; an Excel workbook has a few dozen, and pmreport reads at most "
            f"{limits.MAX_ZIP_ENTRIES:,}.", _HOSTILE_FIX)
    try:
        fh.seek(0)
        with zipfile.ZipFile(fh) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error, NotImplementedError) as exc:
        raise _damaged(name, f"its table of contents cannot be read ({type(exc).__name__})") from None
    if len(infos) > limits.MAX_ZIP_ENTRIES:
        raise InputUnusable(f"{name} holds {len(infos):,} parts inside it; pmreport reads at most {limits.MAX_ZIP_ENTRIES:,}.", _HOSTILE_FIX)
    return infos


def _check_directory(infos: list[zipfile.ZipInfo], name: str) -> None:
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            raise _damaged(name, f"it holds two parts both called '{info.filename}'")
        seen.add(info.filename)
    total = sum(i.file_size for i in infos)
    if total > limits.MAX_UNCOMPRESSED_BYTES:
        raise InputUnusable(
            f"{name} would expand to {_mb(total)} when opened, far more than any school's appraisal records need "
            f"(pmreport reads at most {_mb(limits.MAX_UNCOMPRESSED_BYTES)}).",
            "Check that this is the right file. If it is, delete unused rows, columns and sheets in Excel and save it again. "
            "If you did not make the file yourself, do not open it: it may be built to swamp the computer (a 'zip bomb').",
        )
    for info in infos:
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > limits.EXPANSION_CHECK_BYTES and ratio > limits.MAX_EXPANSION_RATIO:
            raise InputUnusable(
                f"{name} is built to expand {ratio:,.0f} times when opened (its part '{info.filename}' would unpack to "
                f"{_mb(info.file_size)}): that is how a 'zip bomb' is made, not how Excel saves a workbook.", _HOSTILE_FIX)
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputUnusable(
                f"{name} has parts locked with a zip password, so pmreport cannot read it.",
                "Open it in Excel, save it as an Excel Workbook (.xlsx) without a password, and run pmreport on that copy.",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged(name, f"its part '{info.filename}' is packed in a way Excel never uses (method {info.compress_type})")
    for info in infos:
        parts = info.filename.replace("\\", "/").split("/")
        if info.filename.startswith(("/", "\\")) or ".." in parts or (len(parts[0]) == 2 and parts[0][1] == ":"):
            raise InputUnusable(
                f"{name} holds a part named '{info.filename}', outside the workbook's own folder: Excel never writes such a name, "
                "and it is how a file is made to write over others when it is unpacked. pmreport did not open it.", _HOSTILE_FIX)
    if "xl/workbook.xml" not in seen:
        raise InputUnusable(
            f"{name} is a zip file but not an Excel workbook (it has no xl/workbook.xml part).",
            "Give pmreport the .xlsx workbook itself, or the folder of CSV files.",
        )


# --------------------------------------------------------------------------- unpacking, bounded

def _unpack(fh: BinaryIO, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """The part's bytes, in chunks, never more than the directory declares; size and checksum verified."""
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise _damaged(name, f"its part '{info.filename}' is missing or cut short")
    n, m = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + n + m)
    remaining, produced, crc = info.compress_size, 0, 0
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _damaged(name, f"its part '{info.filename}' has the wrong size")
        while remaining:
            data = fh.read(min(_READ_CHUNK, remaining))
            if not data:
                raise _damaged(name, f"its part '{info.filename}' is cut short")
            remaining -= len(data)
            produced += len(data)
            crc = zlib.crc32(data, crc)
            yield data
    else:
        d = zlib.decompressobj(-15)
        try:
            while not d.eof:
                if d.unconsumed_tail:
                    data = d.unconsumed_tail
                else:
                    if remaining <= 0:
                        break
                    data = fh.read(min(_READ_CHUNK, remaining))
                    if not data:
                        break
                    remaining -= len(data)
                out = d.decompress(data, _OUT_CHUNK)
                produced += len(out)
                if produced > info.file_size:
                    raise InputUnusable(
                        f"{name} is damaged or hostile: its part '{info.filename}' unpacks to more than the "
                        f"{info.file_size:,} bytes it declares.", _HOSTILE_FIX)
                if out:
                    crc = zlib.crc32(out, crc)
                    yield out
        except zlib.error:
            raise _damaged(name, f"its part '{info.filename}' cannot be unpacked") from None
        if not d.eof:
            raise _damaged(name, f"its part '{info.filename}' is cut short")
    if produced != info.file_size or crc != (info.CRC & 0xFFFFFFFF):
        raise _damaged(name, f"its part '{info.filename}' does not match its checksum")


def _xml_guard(chunks: Iterator[bytes], part: str, name: str) -> Iterator[bytes]:
    """Pass the chunks through, refusing DTDs and any encoding that is not ASCII-compatible."""
    first, tail = True, b""
    for chunk in chunks:
        if first:
            first = False
            head = chunk[:256]
            if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
                raise InputUnusable(f"{name} is not saved as Excel saves it: its part '{part}' is not in UTF-8.", _DAMAGED_FIX)
            if (m := _XML_DECL_ENCODING.match(head.lstrip(b"\xef\xbb\xbf"))) and m.group(1).decode().lower() not in _ASCII_COMPATIBLE:
                raise InputUnusable(f"{name} is not saved as Excel saves it: its part '{part}' is in {m.group(1).decode()!r}, not UTF-8.",
                                    _DAMAGED_FIX)
        for mark in _DTD_MARKS:
            if mark in chunk or mark in tail + chunk[:16]:
                raise InputUnusable(
                    f"{name} holds XML declarations ({mark[2:].decode()} in its part '{part}') that Excel never writes: "
                    "they are how an 'XML bomb' swamps the computer that opens it, so pmreport did not open it.", _HOSTILE_FIX)
        tail = chunk[-16:]
        yield chunk


def _read_small(fh: BinaryIO, info: zipfile.ZipInfo, name: str) -> bytes:
    if info.file_size > _SMALL_PART:
        raise _damaged(name, f"its part '{info.filename}' is far larger than Excel makes it")
    return b"".join(_xml_guard(_unpack(fh, info, name), info.filename, name))


# --------------------------------------------------------------------------- which part is which sheet

def _attrs(raw: bytes) -> dict[str, str]:
    out = {}
    for key, dq, sq in _ATTRS.findall(raw):
        out[key.decode("utf-8", "replace")] = html.unescape((dq or sq).decode("utf-8", "replace"))
    return out


def _shared_strings_part(rels_xml: bytes) -> str:
    """The part holding the workbook's shared text, as its relationships say (Excel's usual name otherwise)."""
    for raw in _REL_EL.findall(rels_xml):
        a = _attrs(raw)
        if a.get("Type", "").endswith(_SHARED_STRINGS_TYPE) and "Target" in a and a.get("TargetMode", "").lower() != "external":
            target = a["Target"]
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return "xl/sharedStrings.xml"


def _count_si(chunks: Iterator[bytes]) -> int:
    """How many strings (``<si>`` elements) a shared-strings part holds, counted as it streams past."""
    count, tail = 0, b""
    for chunk in chunks:
        data = tail + chunk
        count += sum(1 for m in _SI.finditer(data) if m.end() > len(tail))
        tail = data[-64:]
    return count


def _sheet_parts(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    """Sheet name -> the part holding it, as Excel's workbook.xml and its relationships say."""
    targets: dict[str, str] = {}
    for raw in _REL_EL.findall(rels_xml):
        a = _attrs(raw)
        if a.get("TargetMode", "").lower() == "external" or "Id" not in a or "Target" not in a:
            continue
        target = a["Target"]
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[a["Id"]] = part
    out: dict[str, str] = {}
    for raw in _SHEET_EL.findall(workbook_xml):
        a = _attrs(raw)
        rid = next((v for k, v in a.items() if k == "id" or k.endswith(":id")), None)
        if "name" in a and rid in targets:
            out[a["name"]] = targets[rid]
    return out


# --------------------------------------------------------------------------- one sheet

class _SheetScanner:
    """Fed a sheet's XML in chunks; processes whole rows at a time."""

    def __init__(self, scan: SheetScan, label: str, name: str):
        self.scan, self.label, self.name = scan, label, name
        self.buf = bytearray()
        self.row = 0  # current row number (for rows and cells that do not say theirs)
        self.col = -1
        self.in_data = False
        # row order: which rows hold something so far, the highest of them, and the stretch of cells being read
        # (one row element's cells in one row: a new stretch starts with each row element or a change of row)
        self.seen = bytearray(EXCEL_MAX_ROWS + 1)
        self.max_seen = 0
        self.element = 0
        self.stretch: tuple[int, int] = (0, 0)  # (row element, row)
        self.stretch_cols: set[int] = set()

    def feed(self, data: bytes) -> None:
        self.buf.extend(data)
        if not self.in_data:  # nothing before <sheetData> holds cells: skip it
            m = _SHEET_DATA.search(self.buf)
            if m is None:
                del self.buf[:-64]
                return
            del self.buf[:m.start()]
            self.in_data = True
        cut = self._last_row_end()
        if cut is None:
            if len(self.buf) > limits.MAX_ROW_XML_BYTES:
                raise InputUnusable(
                    f"{self.name} has a row in sheet '{self.label}' larger than {_mb(limits.MAX_ROW_XML_BYTES)}, "
                    "far beyond anything Excel writes.", _HOSTILE_FIX)
            return
        chunk = bytes(self.buf[:cut])
        del self.buf[:cut]
        self._process(chunk)

    def close(self) -> None:
        if self.in_data:
            self._process(bytes(self.buf))
        self.buf.clear()

    def _last_row_end(self) -> int | None:
        idx = self.buf.rfind(b"row>")
        while idx >= 0:
            if _ROW_END.search(bytes(self.buf[max(0, idx - 64):idx])):
                return idx + 4
            idx = self.buf.rfind(b"row>", 0, idx)
        return None

    def _process(self, chunk: bytes) -> None:
        if not chunk:
            return
        # Fast path, for sheets as Excel and most programs write them: every cell and row says where
        # it is (r="B7" first), no namespace prefixes. Counting literal bytes proves that, at C speed.
        plain = (
            chunk.count(b"<c") == chunk.count(b'<c r="')
            and chunk.count(b"<row") == chunk.count(b'<row r="')
            and b":c" not in chunk and b":row" not in chunk and b":f" not in chunk
        )
        if plain:
            self._plain(chunk)
        else:
            self._tokens(chunk)
        for a, r1, b, r2 in _MERGE.findall(chunk) if b"mergeCell" in chunk else ():
            if len(self.scan.merged) < limits.MAX_ROWS_PER_SHEET:
                first_row, first_col = int(r1), col_index(a)
                last_row, last_col = (int(r2), col_index(b)) if b else (first_row, first_col)
                self.scan.merged.append((min(first_row, last_row), min(first_col, last_col), max(first_row, last_row), max(first_col, last_col)))
        self._check_limits()

    def _plain(self, chunk: bytes) -> None:
        if chunk.count(b'<c r="') != len(_PLAIN_WELL_FORMED.findall(chunk)):
            self._tokens(chunk)  # a reference Excel would not write (lower case, $, too long ...): the careful path
            return
        cells = _PLAIN_CONTENT.findall(chunk)  # the cells that may hold something: (reference, column, row)
        in_order = self._in_order(chunk, cells)
        if in_order is None:
            self._tokens(chunk)  # rows or cells stored twice or out of order: the careful path says which
            return
        for n in in_order:
            self.seen[n] = 1
        if in_order:
            self.max_seen = in_order[-1]
        self.element += chunk.count(b'<row r="')
        if b't="s"' in chunk and (shared := _PLAIN_SHARED.findall(chunk)):
            indices = list(map(int, map(itemgetter(1), shared)))
            top = max(indices)
            self._shared(top, shared[indices.index(top)][0])
        if in_order:
            lo, hi = in_order[0], in_order[-1]
            hi_ref = re.search(rb'<c r="([A-Z]{1,3})%d"' % hi, chunk)
            self._used(lo, 0)
            self._used(hi, col_index(hi_ref.group(1)) if hi_ref else 0)
            self._used(hi, max(col_index(x) for x in set(map(itemgetter(1), cells))), widest_only=True)
        last_row = chunk.rfind(b'<row r="')
        if last_row >= 0 and (m := _PLAIN_ROW.match(chunk, last_row)):
            self.row = int(m.group(1))
        # Only cells with an error, or a formula whose saved result is not right after it, need a closer look.
        formulas = len(_PLAIN_F.findall(chunk)) if b"<f" in chunk else 0
        errors = (b't="e"' in chunk or b"t='e'" in chunk) and _PLAIN_ERROR.search(chunk) is not None
        if not errors and (not formulas or len(_PLAIN_F_SAVED.findall(chunk)) == formulas):
            return
        done: set[int] = set()
        for m in _PLAIN_SUSPECT.finditer(chunk):
            start = chunk.rfind(b'<c r="', 0, m.start() + 1)
            if start < 0 or start in done:
                continue
            done.add(start)
            tag_end = chunk.find(b">", start)
            if tag_end < 0:
                continue
            attrs = chunk[start + 2:tag_end]
            if attrs.endswith(b"/"):
                continue  # an empty cell, whatever its type says
            close = chunk.find(b"</c>", tag_end)
            body = chunk[tag_end + 1:close if close >= 0 else len(chunk)]
            ref = _ATTR_REF.search(attrs)
            t = _ATTR_T.search(attrs)
            if ref is None or not ref.group(1) or not ref.group(2):
                continue
            v = _PLAIN_V.search(body)
            cell = [int(ref.group(2)), col_index(ref.group(1)), t.group(1) if t else b"", _F_TAG.search(body) is not None,
                    v is not None, (v.group(1) or b"").strip()[:40] if v else b"", b"<is" in body, 0]
            self._finish(cell)

    def _in_order(self, chunk: bytes, cells: list[tuple[bytes, bytes, bytes]]) -> list[int] | None:
        """The rows holding something in a chunk, in order, if it is as Excel writes it: row elements in
        increasing order, each row's cells together, all after every row seen so far, no cell given twice.
        None if not (then the careful path looks at every cell and says what is wrong)."""
        elements = [int(n) for n in _PLAIN_ROW.findall(chunk)]
        if any(a >= b for a, b in zip(elements, elements[1:], strict=False)):
            return None
        if len(set(map(itemgetter(0), cells))) != len(cells):
            return None
        row_refs = list(map(itemgetter(2), cells))
        rows = [int(n) for n in dict.fromkeys(row_refs)]
        if sum(1 for _ in groupby(row_refs)) != len(rows):  # a row's cells in two places
            return None
        if any(a >= b for a, b in zip(rows, rows[1:], strict=False)) or (rows and rows[0] <= self.max_seen):
            return None
        if any(not 1 <= n <= EXCEL_MAX_ROWS for n in rows):
            return None  # the careful path refuses it, naming the cell
        return rows

    def _order(self, row: int, col: int) -> None:
        """Follow the cells holding something, in the order the XML stores them (the careful path)."""
        s = self.scan
        if (self.element, row) != self.stretch:
            if self.seen[row]:
                times = int(s.row_flags[row].detail) + 1 if row in s.row_flags and s.row_flags[row].code == "row_repeated" else 2
                s.row_flags[row] = CellFlag("row_repeated", str(times))
            elif row < self.max_seen:
                s.row_flags[row] = CellFlag("row_out_of_order", str(self.max_seen))
            self.seen[row] = 1
            self.max_seen = max(self.max_seen, row)
            self.stretch = (self.element, row)
            self.stretch_cols = set()
        if col in self.stretch_cols:
            s.flags[(row, col)] = CellFlag("cell_repeated")
        self.stretch_cols.add(col)
        if len(s.row_flags) > limits.MAX_ROWS_PER_SHEET:
            raise _damaged(self.name, f"sheet '{self.label}' stores its rows in a jumble")

    def _shared(self, index: int, ref: bytes) -> None:
        if self.scan.shared_max is None or index > self.scan.shared_max[0]:
            self.scan.shared_max = (index, ref.decode("ascii", "replace"))

    def _used(self, row: int, col: int, widest_only: bool = False) -> None:
        """Widen the used area to take in the cell (or, with ``widest_only``, just its column)."""
        if not 1 <= row <= EXCEL_MAX_ROWS or not 0 <= col < EXCEL_MAX_COLUMNS:
            raise _damaged(self.name, f"sheet '{self.label}' has a cell outside Excel's grid (row {row:,})")
        s = self.scan
        if widest_only:
            s.last_col = max(s.last_col, col)
            return
        if s.first_row is None or row < s.first_row:
            s.first_row = row
        if s.last_row is None or row > s.last_row:
            s.last_row, s.last_row_col = row, col
        s.last_col = max(s.last_col, col)

    def _tokens(self, chunk: bytes) -> None:
        cell: list | None = None  # [row, col, type, has_f, v_seen, v_text, has_is, v_start]
        for m in _TOKEN.finditer(chunk):
            closing, tag, attrs = m.group(1), m.group(2), m.group(3)
            self_closing = attrs.endswith(b"/")
            if tag == b"row":
                if not closing:
                    ref = _ATTR_REF.search(attrs)
                    self.row = int(ref.group(2)) if ref and ref.group(2) else self.row + 1
                    self.col = -1
                    self.element += 1
            elif tag == b"c":
                if closing:
                    if cell is not None and self._finish(cell):
                        self._order(cell[0], cell[1])
                        if cell[2] == b"s" and cell[5].isdigit():
                            self._shared(int(cell[5]), b"%s%d" % (get_column_letter(cell[1] + 1).encode(), cell[0]))
                    cell = None
                    continue
                ref = _ATTR_REF.search(attrs)
                col = col_index(ref.group(1)) if ref and ref.group(1) else self.col + 1
                row = int(ref.group(2)) if ref and ref.group(2) else self.row
                self.col = col
                t = _ATTR_T.search(attrs)
                cell = None if self_closing else [row, col, t.group(1) if t else b"", False, False, b"", False, 0]
            elif cell is None:
                continue  # a formula outside any cell (for example in a data validation's extension)
            elif tag == b"f" and not closing:
                cell[3] = True
            elif tag == b"v":
                if closing:
                    cell[5] = chunk[cell[7]:m.start()].strip()[:40]
                else:
                    cell[4] = True
                    cell[7] = m.end()
            elif tag == b"is" and not closing:
                cell[6] = True

    def _finish(self, cell: list) -> bool:
        """Take in a cell; False if it holds nothing."""
        row, col, ctype, has_f, v_seen, v_text, has_is, _ = cell
        if not (has_f or v_seen or has_is):
            return False  # an empty cell, whatever its type says
        self._used(row, col)
        if ctype == b"e":
            self.scan.flags[(row, col)] = CellFlag("cell_error", v_text.decode("ascii", "replace") or "#ERROR")
        elif has_f and not has_is and (not v_seen or (not v_text and ctype != b"str")):
            self.scan.flags[(row, col)] = CellFlag("formula_no_value")
        return True

    def _check_limits(self) -> None:
        s = self.scan
        if s.height > limits.MAX_ROWS_PER_SHEET:
            raise InputUnusable(
                f"Sheet '{self.label}' in {self.name} is too long: it has something in row {s.last_row:,}, "
                f"and pmreport reads at most {limits.MAX_ROWS_PER_SHEET:,} rows in a sheet.",
                f"If the rows below your table are empty, select them and delete them (the last thing in use is in cell "
                f"{get_column_letter(s.last_row_col + 1)}{s.last_row}; a stray value far down is the usual cause), then save. "
                "Otherwise split the records into several workbooks.",
            )
        if s.area > limits.MAX_CELLS_PER_SHEET:
            raise InputUnusable(
                f"Sheet '{self.label}' in {self.name} uses {s.height:,} rows by {s.width:,} columns (up to column "
                f"{get_column_letter(s.width)}), {s.area:,} cells; pmreport reads at most {limits.MAX_CELLS_PER_SHEET:,} cells in a sheet.",
                "Delete the unused rows and columns beyond your table (a stray value far to the right or far down is the usual cause), "
                "then save and try again.",
            )


# --------------------------------------------------------------------------- the whole package

def scan_workbook(path: Path) -> PackageScan:
    """Check the workbook's package against the limits; raise :class:`InputUnusable` with a fix if it fails."""
    with path.open("rb") as fh:
        return _scan(fh, path.stat().st_size, path.name)


def scan_bytes(data: bytes, name: str) -> PackageScan:
    """:func:`scan_workbook` for a workbook already in memory (``name`` is used in messages).

    Call it before handing the bytes to any spreadsheet parser (python-calamine aborts the whole
    process on some hostile sheets, which no ``try`` can catch)."""
    import io

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputUnusable(f"{name} is not a valid Excel workbook (it may be renamed, damaged or cut short).",
                            "Open it in Excel and save it as an Excel Workbook (.xlsx), or make it again.")
    return _scan(io.BytesIO(data), len(data), name)


def _check_prefix(fh: BinaryIO, infos: list[zipfile.ZipInfo], name: str) -> None:
    """A workbook starts with its first part. Bytes before it make a "polyglot", a file that passes as two
    kinds at once (a web page or a picture that is also a workbook): Excel refuses such a file, and so does pmreport."""
    first = min((i.header_offset for i in infos), default=0)
    fh.seek(0)
    if first > 0 or fh.read(4) != b"PK\x03\x04":
        raise InputUnusable(
            f"{name} has {first:,} bytes of something else before the workbook begins: Excel never writes that, and it is "
            "how a file is made to pass as two kinds of file at once. pmreport did not open it.", _HOSTILE_FIX)


_WHITESPACE = b"\xef\xbb\xbf \t\r\n"  # a UTF-8 byte-order mark and the white space XML allows before its first tag


def _xml_like(start: bytes) -> bool:
    """Whether a part is XML by its first bytes, whatever its name (a sheet part may be called anything)."""
    return start.lstrip(_WHITESPACE).startswith(b"<") or start.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00<"))


def _guarded(fh: BinaryIO, info: zipfile.ZipInfo, name: str, always: bool) -> Iterator[bytes]:
    """A part's bytes, with the XML checks on every part that is XML, by its name or its first bytes (white
    space before the first tag, however long, is looked past). Only an SVG picture that is not a sheet is let
    through with a DOCTYPE (drawing programs write one; no reader parses it)."""
    chunks = _unpack(fh, info, name)
    if always or info.filename.lower().endswith(_XML_SUFFIXES):
        yield from _xml_guard(chunks, info.filename, name)
        return
    start = b""
    for chunk in chunks:
        if chunk.lstrip(_WHITESPACE):
            start = chunk
            break
        yield chunk  # only white space: nothing to check in it
    if _xml_like(start) and not info.filename.lower().endswith(".svg"):
        yield from _xml_guard(_chain(start, chunks), info.filename, name)
    else:
        yield from _chain(start, chunks)


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def _scan(fh: BinaryIO, size: int, name: str) -> PackageScan:
    """The scan itself, over an open binary file of ``size`` bytes."""
    out = PackageScan()
    infos = _open_directory(fh, size, name)
    _check_directory(infos, name)
    _check_prefix(fh, infos, name)
    by_name = {i.filename: i for i in infos}
    out.parts = len(infos)
    out.macros = any(n.lower().endswith("vbaproject.bin") or n.startswith("xl/macrosheets/") for n in by_name)
    rels = by_name.get("xl/_rels/workbook.xml.rels")
    rels_xml = _read_small(fh, rels, name) if rels else b""
    parts = _sheet_parts(_read_small(fh, by_name["xl/workbook.xml"], name), rels_xml)
    label = {part: sheet for sheet, part in parts.items()}
    shared_part = _shared_strings_part(rels_xml)
    shared_count = 0
    total_area = 0
    for info in infos:
        part = info.filename
        is_sheet = part in label or part.startswith(("xl/worksheets/", "xl/macrosheets/")) and part.endswith(".xml")
        chunks = _guarded(fh, info, name, always=is_sheet or part == shared_part)
        if part == shared_part:
            shared_count = _count_si(chunks)
            continue
        if not is_sheet:
            for _ in chunks:
                pass
            continue
        scan = SheetScan(part=part)
        scanner = _SheetScanner(scan, label.get(part, part), name)
        for chunk in chunks:
            scanner.feed(chunk)
        scanner.close()
        total_area += scan.area
        if total_area > limits.MAX_CELLS_PER_WORKBOOK:
            raise InputUnusable(
                f"{name} uses more than {limits.MAX_CELLS_PER_WORKBOOK:,} cells across its sheets; pmreport reads at most that many.",
                "Delete unused sheets, rows and columns, or split the records into several workbooks.")
        if part in label:
            out.sheets[label[part]] = scan
    for sheet, scan in out.sheets.items():
        if scan.shared_max is not None and scan.shared_max[0] >= shared_count:
            index, cell = scan.shared_max
            held = f"holds only {shared_count:,}" if shared_count else "holds none"
            raise _damaged(name, f"cell {cell} of sheet '{sheet}' points at shared text number {index + 1:,}, but the workbook {held}")
    out.unpacked_bytes = sum(i.file_size for i in infos)
    return out
