"""The school's secret key and the pseudonyms made with it.

A person's pseudonym is HMAC-SHA256 of their staff reference under the school's key (the first
24 hexadecimal characters). The same key gives the same pseudonym every year, so the union can
follow a person from one return to the next; without the key nobody can work back to the staff
reference. The key never leaves the school.

A key is a random 256-bit value (64 hexadecimal characters) in a file readable only by its owner,
made once with ``pmreport union new-key FILE`` (:func:`new_key_file`). pmreport never makes a key
unasked and never uses anything else as a key: a ``--school-key`` path that does not exist is an
error, not a key. The return says which key made it by the key's fingerprint (:func:`fingerprint`),
which cannot be turned back into the key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from pmreport.errors import PmreportError

#: The name suggested for the key file (``pmreport union new-key`` writes wherever it is told).
KEY_FILE_NAME = "pmreport-union-key.txt"
PSEUDONYM_LENGTH = 24
KEY_BYTES = 32  # 256 bits
_KEY_LINE = re.compile(r"[0-9a-f]{64}")

_KEY_FILE_NOTE = """
# This is your school's secret key for union returns (pmreport export-return --school-key THIS-FILE).
# Keep it safe, away from the workbooks you share, and use it every year: with the same key, the same
# member of staff gets the same code in every year's return, so the union can follow trends without
# knowing who anyone is. Never send this file to the union or anyone else. If it is lost, make a new
# one with pmreport union new-key: codes in later returns will then not match earlier years.
"""

MAKE_KEY = ("Only if your school has never made a return (or has lost its key), make one with: "
            "pmreport union new-key FILE (keep it away from the workbooks you share).")
NEW_KEY_FIX = "Give the right key file with --school-key FILE. " + MAKE_KEY


@dataclass(frozen=True)
class SchoolKey:
    secret: bytes
    source: str  # "file" (a school's key file) or "given" (made in code, for tests and invented schools)
    path: Path | None = None

    def pseudonym(self, staff_id: object) -> str:
        return pseudonym(staff_id, self.secret)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.secret)


def pseudonym(staff_id: object, secret: bytes) -> str:
    """The person's code: HMAC-SHA256 of the staff reference (trimmed) under ``secret``."""
    text = str(staff_id).strip()
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def fingerprint(secret: bytes) -> str:
    """Which key this is, in 16 hexadecimal characters (SHA-256 of a label and the key): says nothing of the key."""
    digest = hashlib.sha256(b"pmreport school key fingerprint\x00" + secret).hexdigest()[:16]
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


def read_key_file(path: Path) -> bytes:
    """The key in ``path``: a file of the owner's only, holding one line of 64 hexadecimal characters."""
    if not path.exists():
        raise PmreportError(f"There is no key file at {path}, so no return was made.", NEW_KEY_FIX)
    if not path.is_file():
        raise PmreportError(f"{path} is a folder, not a key file, so no return was made.", NEW_KEY_FIX)
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise PmreportError(f"The key file {path} can be read by other users of this computer, so it was not used.",
                            f"Make it readable by you only (chmod 600 {path}), and check nobody else has copied it.")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PmreportError(f"The key file {path} could not be read ({type(exc).__name__}).",
                            "Restore it from your backup.") from exc
    found = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if len(found) != 1 or not _KEY_LINE.fullmatch(found[0].lower()):
        raise PmreportError(f"{path} is not a pmreport key file (it should hold one line of 64 letters a-f and "
                            "digits, a random 256-bit key).",
                            "Give the right key file with --school-key, or restore it from your backup.")
    return found[0].lower().encode("ascii")  # the hexadecimal text itself, as every earlier version used it


def school_key(given: str | Path | None) -> SchoolKey:
    """The key in the key file ``given`` (``--school-key``). Nothing else is ever used as a key."""
    if given is None or not str(given).strip():
        raise PmreportError("No school key was given, so no return was made.",
                            "Add --school-key FILE with your school's key file. " + MAKE_KEY)
    path = Path(given).expanduser()
    return SchoolKey(read_key_file(path), "file", path)


def new_key_file(path: str | Path) -> SchoolKey:
    """Write a new random 256-bit key to ``path`` (readable by its owner only); never over an existing file."""
    path = Path(path).expanduser()
    if path.exists():
        raise PmreportError(f"{path} already exists, so no new key was made.",
                            "If it is your school's key, keep using it. Otherwise choose another file name.")
    if not path.parent.is_dir():
        raise PmreportError(f"The folder {path.parent} does not exist, so no key was made.",
                            "Make the folder first, or give another file name.")
    secret = secrets.token_hex(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise PmreportError(f"The key file {path} could not be made ({exc.strerror or type(exc).__name__}).",
                            "Choose a folder you can write to.") from exc
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secret + "\n" + _KEY_FILE_NOTE)
    if os.name == "posix":
        os.chmod(path, 0o600)  # whatever the umask
    return SchoolKey(secret.encode("ascii"), "file", path)
