"""Building broken and hostile zip packages byte by byte, cheaply.

``zipfile`` will only write honest archives, and deflating gigabytes to make a zip bomb would
take minutes. Here entries are written from bytes that are already compressed: a zip bomb is
a few thousand copies of one small deflate block, so a 2 GB part costs 2 MB and no time.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MiB = 1024 * 1024


@dataclass
class Entry:
    """One part of a zip as it is stored: name, stored bytes, method, and what the directory declares."""

    name: str
    stored: bytes
    method: int = zipfile.ZIP_DEFLATED
    crc: int = 0
    size: int = 0  # declared unpacked size
    flags: int = 0


def deflate(data: bytes) -> bytes:
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


def honest(name: str, data: bytes) -> Entry:
    return Entry(name, deflate(data), zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data))


def zero_stream(mib: int, byte: bytes = b"\0") -> bytes:
    """A raw deflate stream that unpacks to ``mib`` MiB of one byte: one block, repeated."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = co.compress(byte * MiB) + co.flush(zlib.Z_FULL_FLUSH)  # byte-aligned, no back-references
    return piece * mib + co.flush()


def write_zip(path: Path, entries: list[Entry]) -> Path:
    out = io.BytesIO()
    central = []
    for e in entries:
        name = e.name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, e.flags, e.method, 0, 0x21, e.crc, len(e.stored), e.size, len(name), 0))
        out.write(name)
        out.write(e.stored)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, e.flags, e.method, 0, 0x21, e.crc, len(e.stored), e.size,
                                   len(name), 0, 0, 0, 0, 0, offset) + name)
    cd_offset = out.tell()
    for c in central:
        out.write(c)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), out.tell() - cd_offset, cd_offset, 0))
    path.write_bytes(out.getvalue())
    return path


def entries_of(workbook: Path) -> list[Entry]:
    """The parts of a real workbook, re-packed honestly (so that one can then be replaced)."""
    with zipfile.ZipFile(workbook) as zf:
        return [honest(i.filename, zf.read(i.filename)) for i in zf.infolist()]


def replace(entries: list[Entry], name: str, entry: Entry) -> list[Entry]:
    return [entry if e.name == name else e for e in entries]


def sheet_part(workbook: Path, sheet: str) -> str:
    """The part name of a sheet in a workbook written by openpyxl (sheets are numbered in order)."""
    with zipfile.ZipFile(workbook) as zf:
        names = re.findall(rb'<sheet [^>]*name="([^"]+)"', zf.read("xl/workbook.xml"))
    return f"xl/worksheets/sheet{[n.decode() for n in names].index(sheet) + 1}.xml"


def patch_part(workbook: Path, part: str, edit: Callable[[bytes], bytes], out: Path | None = None) -> Path:
    """Rewrite one part of a workbook through ``edit`` (for what openpyxl cannot write)."""
    with zipfile.ZipFile(workbook) as zf:
        items = [(i, zf.read(i.filename)) for i in zf.infolist()]
    target = out or workbook
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            zf.writestr(info.filename, edit(data) if info.filename == part else data)
    return target


def add_part(workbook: Path, name: str, data: bytes, out: Path | None = None) -> Path:
    with zipfile.ZipFile(workbook) as zf:
        items = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    target = out or workbook
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in items:
            zf.writestr(n, d)
        zf.writestr(name, data)
    return target


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def laughs(levels: int = 10) -> bytes:
    """The "billion laughs" DTD: ten entities each ten times the one before."""
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    return f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{"".join(ents)}]>\n'.encode()
