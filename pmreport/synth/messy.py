"""The same records written the way MIS exports look, using only spellings the schema knows.

Title rows above the header; headers from each field's ``aliases``; dates as UK text, Excel
serial numbers or date cells (chosen per column); booleans as Y/N or Yes/No; FTE as "60%", 60 or
0.6; codes in Title Case or as a ``code_aliases`` spelling; stray spaces around ids and codes;
the school sheet as key/value pairs when the workbook holds one cycle. Reading it back must give
exactly the clean data.
"""

from __future__ import annotations

from datetime import date

from pmreport.schema import SHEET_ORDER, Field, SheetSchema, header_key, load_schemas
from pmreport.synth.cycle import stream
from pmreport.synth.sheet import Sheet

EXCEL_EPOCH = date(1899, 12, 30)
BOOLEAN_STYLES = (("Y", "N"), ("Yes", "No"), ("y", "n"), ("YES", "NO"), (True, False))


#: Spellings never used: YAML 1.1 reads an unquoted Yes/No in a schema as a boolean, so these may
#: stand for a mangled alias rather than what the schema's author meant.
UNSAFE = {"true", "false", "1", "0"}


def header_for(f: Field, sch: SheetSchema, rng) -> str:
    """A header that matches ``f`` and no other field of the sheet."""
    others = {k for g in sch.fields if g is not f for k in g.header_keys}
    options = [f.name.replace("_", " ").title()]
    options += [a for a in f.aliases if header_key(a) not in others and a.lower() not in UNSAFE]
    return rng.choice(options)


def code_spellings(f: Field, code: str) -> list[str]:
    """Ways an export may spell ``code`` that still read back as ``code``."""
    if f.code_case == "upper":
        return [code]
    spellings = [code, code.replace("_", " ").title()]
    for alias, target in f.code_aliases.items():
        if target == code and alias not in UNSAFE:
            spellings += [alias, alias.title(), alias.upper()]
    return spellings


class MessyColumn:
    """How one column is written: a style chosen once per column, as a real export would."""

    def __init__(self, f: Field, header: str, rng):
        self.f, self.rng = f, rng
        t = f.type
        if t == "date":
            self.style = rng.choice(["uk", "serial", "cell"])
        elif t == "boolean":
            self.style = rng.choice(BOOLEAN_STYLES)
        elif t == "fte":
            percent = "%" in header or "percent" in header.lower()
            self.style = rng.choice(["percent_text", "percent_number"] if percent else ["percent_text", "percent_number", "fraction"])
        elif t == "code":
            self.style = rng.choice(["as_is", "title", "alias"])
        else:
            self.style = None

    def spaces(self, text: str) -> str:
        roll = self.rng.random()
        return f" {text}" if roll < 0.04 else f"{text}  " if roll < 0.08 else text

    def value(self, v):
        if v is None:
            return None
        t, rng = self.f.type, self.rng
        if t == "date":
            if self.style == "uk":
                return v.strftime("%d/%m/%Y")
            return (v - EXCEL_EPOCH).days if self.style == "serial" else v
        if t == "boolean":
            return self.style[0] if v else self.style[1]
        if t == "fte":
            percent = round(v * 100)
            return f"{percent}%" if self.style == "percent_text" else percent if self.style == "percent_number" else v
        if t == "code":
            if self.style == "title" and self.f.code_case != "upper":
                text = v.replace("_", " ").title()
            elif self.style == "alias":
                text = rng.choice(code_spellings(self.f, v))
            else:
                text = v
            return self.spaces(text)
        if t in ("id", "string"):
            return self.spaces(str(v))
        if t == "number" and float(v).is_integer():
            return int(v)
        return v


def _title_rows(title: str, school_name: str, rng) -> list[list]:
    n = rng.choice([1, 2, 3])
    rows: list[list] = [[f"{title} Export - {school_name}"]]
    if n == 3:
        rows.append([f"Exported on {date(2026, 9, rng.randint(1, 28)).strftime('%d/%m/%Y')}"])
    if n >= 2:
        rows.append([])
    return rows


def messy_sheets(school) -> list[Sheet]:
    rng = stream(school.seed, "messy", school.phase)
    out = []
    for sheet in SHEET_ORDER:
        sch = load_schemas()[sheet]
        records = school.records[sheet]
        headers = [header_for(f, sch, rng) for f in sch.fields]
        columns = [MessyColumn(f, h, rng) for f, h in zip(sch.fields, headers, strict=True)]
        if sheet == "school" and len(records) == 1:
            rows = [[h, c.value(records[0].get(c.f.name))] for c, h in zip(columns, headers, strict=True)]
            out.append(Sheet(sch.title, rows, header_row=None))
            continue
        rows = _title_rows(sch.title, school.school_name, rng)
        header_at = len(rows)
        rows.append(headers)
        rows += [[c.value(r.get(c.f.name)) for c in columns] for r in records]
        out.append(Sheet(sch.title, rows, header_row=header_at))
    return out
