"""The school's secret key and the pseudonyms made with it.

A person's pseudonym is HMAC-SHA256 of their staff reference under the school's key (the first
24 hexadecimal characters). The same key gives the same pseudonym every year, so the union can
follow a person from one return to the next; without the key nobody can work back to the staff
reference. The key never leaves the school.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from pmreport.errors import PmreportError

#: The key file the school keeps, beside its workbooks, from one year to the next.
KEY_FILE_NAME = "pmreport-union-key.txt"
PSEUDONYM_LENGTH = 24
MIN_KEY_LENGTH = 16

_KEY_FILE_NOTE = """
# This is your school's secret key for union returns (pmreport export-return).
# Keep it safe and use it every year: with the same key, the same member of staff gets the
# same code in every year's return, so the union can follow trends without knowing who anyone is.
# Never send this file to the union or anyone else. If it is lost, make a new one: codes in
# later returns will then not match earlier years.
"""


@dataclass(frozen=True)
class SchoolKey:
    secret: bytes
    source: str  # "given", "file" or "created"
    path: Path | None = None

    def pseudonym(self, staff_id: object) -> str:
        return pseudonym(staff_id, self.secret)


def pseudonym(staff_id: object, secret: bytes) -> str:
    """The person's code: HMAC-SHA256 of the staff reference (trimmed) under ``secret``."""
    text = str(staff_id).strip()
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def _check(text: str, where: str) -> bytes:
    text = text.strip()
    if len(text) < MIN_KEY_LENGTH:
        raise PmreportError(f"The school key {where} is too short ({len(text)} characters).",
                            f"Use at least {MIN_KEY_LENGTH} characters, or leave out --school-key to have one made.")
    return text.encode("utf-8")


def read_key_file(path: Path) -> bytes:
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    found = [ln for ln in lines if ln and not ln.startswith("#")]
    if not found:
        raise PmreportError(f"The key file {path} holds no key.", "Delete it to have a new key made (codes will then "
                            "not match earlier years), or restore it from your backup.")
    return _check(found[0], f"in {path}")


def school_key(workbook: Path, given: str | None) -> SchoolKey:
    """The key from ``--school-key`` (the key itself, or a key file), else the key file beside the workbook.

    The first time, a new random key is written to ``pmreport-union-key.txt`` in the workbook's
    folder (readable by its owner only) and used from then on.
    """
    if given:
        candidate = Path(given).expanduser()
        if candidate.is_file():
            return SchoolKey(read_key_file(candidate), "file", candidate)
        return SchoolKey(_check(given, "given with --school-key"), "given")
    path = Path(workbook).resolve().parent / KEY_FILE_NAME
    if path.is_file():
        return SchoolKey(read_key_file(path), "file", path)
    secret = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secret + "\n" + _KEY_FILE_NOTE)
    return SchoolKey(secret.encode("utf-8"), "created", path)
