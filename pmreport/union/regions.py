"""England's regions, from the local authority a return names (the one table: ``data/local_authorities.csv``).

The table lists each local authority with children's services in England: its DfE local authority
code (three digits), its name, its region (the nine regions of England), and other names it is
written by (``|`` between them). Cumbria and Northamptonshire, since split, stay for older returns.
A return may name its authority by name or by code; the match ignores case, punctuation and a
leading or trailing "City of".
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "local_authorities.csv"


def _key(name: str) -> str:
    text = re.sub(r"[^a-z0-9 ]+", " ", name.casefold())
    text = re.sub(r"^city of |, city of$| city of$", " ", text.strip())
    return " ".join(text.split())


@cache
def _table() -> tuple[dict[str, str], dict[str, str], tuple[str, ...]]:
    by_key: dict[str, str] = {}
    name_of: dict[str, str] = {}
    regions: list[str] = []
    with TABLE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            region = row["region"]
            if region not in regions:
                regions.append(region)
            name_of[row["local_authority"]] = region
            for name in (row["local_authority"], row["la_code"], *filter(None, row["other_names"].split("|"))):
                by_key[_key(name)] = row["local_authority"]
    return by_key, name_of, tuple(regions)


def regions() -> tuple[str, ...]:
    """The nine regions of England, in the table's order."""
    return _table()[2]


def region_of(local_authority: str) -> str | None:
    """The region of a local authority written as a return writes it (name or DfE code); None if not in England's list."""
    by_key, name_of, _ = _table()
    found = by_key.get(_key(str(local_authority)))
    return name_of[found] if found else None


def region_named(text: str) -> str | None:
    """One of :func:`regions` as a person might type it ("south west", "Yorkshire & Humber"), or None."""
    want = _key(text.replace("&", "and")).replace("the ", "")
    for region in regions():
        if _key(region).replace("the ", "") == want:
            return region
    return None
