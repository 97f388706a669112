"""``ingest``: read a folder of returns in parallel, validate them in batches, store them, account for every row.

* The same return twice (the same bytes: SHA-256 of the file) is loaded once.
* A different return for a school and cycle the union already holds (or two in one run) is never a
  silent replacement: it is held back, with both files' fingerprints, sizes and row counts, until
  it is loaded with ``replace=True`` (``--replace``); then the newer (later ``made_at``) replaces
  the one held. One older than the one held is recorded as superseded and not loaded.
* A return that says it was made in the future (``made_at`` more than a day after now) is refused:
  otherwise it would block the school's real returns as "older".
* Every version of every school's return seen is kept in ``return_history`` with what became of it.
* A return that cannot be read, or fails validation, is refused as a whole, with the file and the
  reasons, and the rest load.
* Rows read = rows loaded + rows refused, for the run, printed and kept in ``ingest_log``.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pmreport.errors import InputUnusable
from pmreport.run_date import now as clock_now
from pmreport.union.ingest import plausibility, store
from pmreport.union.ingest.read import Parsed, init_worker, read_return
from pmreport.union.ingest.return_checks import MAX_REASONS, Batch, validate_batch
from pmreport.union.ingest.upgrade import MADE_ROW
from pmreport.union.return_schema import return_format

BATCH = 2000
#: How far in the future a return's ``made_at`` may be (clocks differ) before it is refused.
FUTURE_TOLERANCE = dt.timedelta(days=1)


@dataclass(frozen=True)
class Rejection:
    file: str
    reasons: tuple[str, ...]
    rows: int

    @property
    def reason(self) -> str:
        shown = list(self.reasons[:MAX_REASONS])
        more = len(self.reasons) - len(shown)
        return "; ".join(shown) + (f"; and {more} more problem(s)" if more > 0 else "")


@dataclass(frozen=True)
class Version:
    """One file's identity, as shown when a return would replace another."""

    file: str
    fingerprint: str  # the first 12 characters of the file's SHA-256
    size: int | None
    rows: int
    made_at: str

    def describe(self) -> str:
        size = "size unknown" if self.size is None else f"{self.size:,} bytes"
        return (f"{Path(self.file).name} (fingerprint {self.fingerprint}, {size}, {self.rows:,} rows, "
                f"made {self.made_at})")


@dataclass(frozen=True)
class Replacement:
    urn: str
    cycle: str
    old: Version
    new: Version
    changes: tuple[str, ...] = ()  # implausible differences from the return replaced (see plausibility.py)

    def describe(self) -> str:
        return (f"URN {self.urn}, cycle {self.cycle}: {self.old.describe()} replaced by {self.new.describe()}."
                + plausibility.words(list(self.changes)))


@dataclass
class IngestSummary:
    run_id: int
    files_found: int = 0
    files_loaded: int = 0
    files_duplicate: int = 0
    files_superseded: int = 0
    files_held_back: int = 0
    returns_replaced: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_removed_by_replacement: int = 0
    seconds: float = 0.0
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    replacements: list[Replacement] = field(default_factory=list)

    @property
    def files_rejected(self) -> int:
        return len(self.rejections) - self.files_superseded - self.files_held_back

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_rejected

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0


def _warm_up() -> threading.Thread:
    """Import great-expectations (about 3 s) in a thread while the workers read the first returns."""
    def work() -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations  # noqa: F401

    thread = threading.Thread(target=work, name="pmreport-gx-warm-up", daemon=True)
    thread.start()
    return thread


def find_returns(source: str | Path) -> list[Path]:
    source = Path(source)
    if source.is_file():
        return [source]
    if not source.is_dir():
        raise InputUnusable(f"There is no folder or file {source}.", "Give the folder that holds the returns (.xlsx).")
    return sorted(p for p in source.rglob("*.xlsx") if not p.name.startswith(("~$", ".")))


def _windows(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _reader(workers: int, known: frozenset[str]) -> tuple[Callable[[list[str]], Iterator[Parsed]], Callable[[], None]]:
    if workers <= 1:
        init_worker(known)
        return (lambda paths: map(read_return, paths)), (lambda: None)
    pool = ProcessPoolExecutor(max_workers=workers, initializer=init_worker, initargs=(known,))
    return (lambda paths: pool.map(read_return, paths, chunksize=16)), (lambda: pool.shutdown(cancel_futures=True))


def ingest(source: str | Path, db: str | Path, *, workers: int = 2, batch_size: int = BATCH, min_k: int | None = None,
           replace: bool = False, progress: Callable[[int], None] | None = None, on_total: Callable[[int], None] | None = None) -> IngestSummary:
    """Load every return (.xlsx) under ``source`` into the DuckDB store ``db``."""
    started = time.perf_counter()
    started_at = clock_now()
    files = [str(p) for p in find_returns(source)]
    min_k = return_format().default_k if min_k is None else min_k
    con = store.connect(db)
    try:
        summary = IngestSummary(run_id=store.next_run_id(con), files_found=len(files))
        if on_total:
            on_total(len(files))
        read, close = _reader(workers, store.known_hashes(con))
        warm: threading.Thread | None = None  # started at the first return not loaded before: a folder
        seen: set[str] = set()                # already in the store needs no validating, so no great-expectations
        try:
            windows = _windows(files, batch_size)
            pending = read(windows[0]) if windows else iter(())
            for i in range(len(windows)):
                upcoming = read(windows[i + 1]) if i + 1 < len(windows) else None
                batch = []
                for parsed in pending:
                    batch.append(parsed)
                    if warm is None and not parsed.duplicate:
                        warm = _warm_up()
                    if progress:
                        progress(1)
                if warm is not None:
                    warm.join()
                _store_batch(con, batch, summary, seen, min_k, replace)
                pending = upcoming if upcoming is not None else iter(())
        finally:
            close()
        summary.seconds = time.perf_counter() - started
        store.log_run(con, {
            "run_id": summary.run_id, "started_at": started_at, "finished_at": clock_now(), "source": str(source),
            "files_found": summary.files_found, "files_loaded": summary.files_loaded,
            "files_duplicate": summary.files_duplicate, "files_rejected": summary.files_rejected,
            "files_superseded": summary.files_superseded, "files_held_back": summary.files_held_back,
            "returns_replaced": summary.returns_replaced,
            "rows_read": summary.rows_read, "rows_loaded": summary.rows_loaded, "rows_rejected": summary.rows_rejected,
            "rows_removed_by_replacement": summary.rows_removed_by_replacement, "seconds": round(summary.seconds, 3),
        })
    finally:
        con.close()
    return summary


def _made(p: Parsed) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(_school(p, "made_at"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None  # the format check has already refused it


def _future(p: Parsed, now: dt.datetime) -> str | None:
    made = _made(p)
    if made is None or made <= now + FUTURE_TOLERANCE:
        return None
    return (f"it says it was made at {_school(p, 'made_at')}, which is in the future (now is "
            f"{now:%Y-%m-%dT%H:%M:%SZ}); a return made in the future would block the school's real returns, so it "
            "was refused. Ask the school to check its computer's clock and make the return again")


def _version(p: Parsed) -> Version:
    return Version(p.file, p.return_id[:12], p.size, p.rows_read, _school(p, "made_at"))


def _store_batch(con, batch: list[Parsed], summary: IngestSummary, seen: set[str], min_k: int,
                 replace: bool = False) -> None:
    fresh: list[Parsed] = []
    for p in batch:
        if p.duplicate or (p.return_id and p.return_id in seen):
            summary.files_duplicate += 1
            continue
        seen.add(p.return_id)
        summary.rows_read += p.rows_read
        fresh.append(p)
    checked = validate_batch(fresh)
    problems = checked.problems
    now = clock_now(dt.UTC)
    for p in fresh:
        if p.ok and p.file not in problems:
            k = p.value("school", "k")
            if k is not None and int(k) < min_k:
                problems[p.file] = [f"it was made with k = {int(k)}, and the union accepts k of at least {min_k}"]
            future = _future(p, now)
            if future:
                problems.setdefault(p.file, []).append(future)
    rejected: list[Rejection] = []
    valid: list[Parsed] = []
    for p in fresh:
        if problems.get(p.file):
            rejected.append(Rejection(p.file, tuple(problems[p.file]), p.rows_read))
        else:
            valid.append(p)
            summary.notes.extend(f"{Path(p.file).name}: {n}" for n in dict.fromkeys(p.notes))
    history = [_history(p, summary.run_id, "refused", r.reason) for r in rejected
               for p in fresh if p.file == r.file and p.ok]
    con.execute("BEGIN TRANSACTION")
    try:
        records, superseded, events = _load_valid(con, valid, checked, summary, replace)
        rejected += superseded
        store.record_returns(con, records)
        store.record_history(con, history + events)
        ids = {p.file: p.return_id for p in batch}
        store.log_rejections(con, summary.run_id, [(r.file, ids.get(r.file, ""), r.reason, r.rows) for r in rejected])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    summary.rejections += rejected
    summary.rows_rejected += sum(r.rows for r in rejected)


def _school(p: Parsed, column: str) -> str:
    value = p.value("school", column)
    return "" if value is None else str(value)


def _history(p: Parsed, run_id: int, status: str, detail: str = "") -> dict:
    return {"urn": _school(p, "urn") if "school" in p.columns else "", "cycle": _school(p, "cycle") if "school" in
            p.columns else "", "return_id": p.return_id, "file": p.file, "made_at": _school(p, "made_at") if "school"
            in p.columns else "", "size": p.size, "rows": p.rows_read, "run_id": run_id, "seen_at": clock_now(),
            "status": status, "detail": detail}


def _load_valid(con, valid: list[Parsed], checked: Batch, summary: IngestSummary,
                replace: bool = False) -> tuple[list[dict], list[Rejection], list[dict]]:
    now = clock_now()
    records: list[dict] = []
    superseded: list[Rejection] = []
    events: list[dict] = []
    groups: dict[tuple[str, str], list[Parsed]] = {}
    for p in valid:
        groups.setdefault((_school(p, "urn"), _school(p, "cycle")), []).append(p)
    keys = pd.DataFrame(list(groups), columns=["urn", "cycle"])
    current = {(r.urn, r.cycle): r for r in store.current_for(con, keys).itertuples(index=False)}

    def record(p: Parsed, status: str, detail: str = "") -> None:
        records.append({"return_id": p.return_id, "file": p.file, "urn": _school(p, "urn"), "cycle": _school(p, "cycle"),
                        "made_at": _school(p, "made_at"), "ingested_at": now, "run_id": summary.run_id, "status": status,
                        "replaced_by": None, "rows": p.rows_read, "size": p.size})
        events.append(_history(p, summary.run_id, "loaded" if status == "current" else status, detail))

    def supersede(p: Parsed, why: str) -> None:
        record(p, "superseded", why)
        summary.files_superseded += 1
        superseded.append(Rejection(p.file, (why,), p.rows_read))

    def hold_back(p: Parsed, why: str) -> None:
        events.append(_history(p, summary.run_id, "held_back", why))
        summary.files_held_back += 1
        superseded.append(Rejection(p.file, (why,), p.rows_read))

    loaded: list[str] = []
    for key, candidates in groups.items():
        ordered = sorted(candidates, key=lambda p: _school(p, "made_at"))  # stable: a later file wins a tie
        newest = ordered[-1]
        held = current.get(key)
        if held is not None and str(held.made_at) > _school(newest, "made_at"):
            for p in ordered:
                supersede(p, "the union already holds a newer return for the same school and cycle")
            continue
        old = None if held is None else Version(str(held.file), str(held.return_id)[:12],
                                                None if pd.isna(held.size) else int(held.size), int(held.rows),
                                                str(held.made_at))
        change: list[str] = []
        if held is not None:
            people = checked.frames["people"]
            change = plausibility.changes(plausibility.stored(con, str(held.return_id)),
                                          people[people["_return"] == newest.return_id])
        if not replace and (old is not None or len(ordered) > 1):
            if old is not None:
                why = (f"the union already holds a different return for URN {key[0]}, cycle {key[1]}: "
                       f"{old.describe()}. This one, {{new}}, would replace it, so it was held back."
                       f"{plausibility.words(change)} Check with the school that it is theirs, then load it again "
                       "with --replace")
            else:
                why = (f"{len(ordered)} different returns for URN {key[0]}, cycle {key[1]} are in this folder "
                       f"({'; '.join(_version(p).describe() for p in ordered)}), so none was loaded. Check with the "
                       "school which is theirs and load that one on its own, or add --replace to load the newest")
            for p in ordered:
                hold_back(p, why.replace("{new}", _version(p).describe()))
            continue
        for older in ordered[:-1]:
            supersede(older, "a newer return for the same school and cycle was loaded in its place (--replace)")
        if held is not None and old is not None:
            summary.rows_removed_by_replacement += store.remove(con, [held.return_id])
            store.mark_replaced(con, held.return_id, newest.return_id)
            summary.returns_replaced += 1
            summary.replacements.append(Replacement(key[0], key[1], old, _version(newest), tuple(change)))
            events.append({"urn": key[0], "cycle": key[1], "return_id": str(held.return_id), "file": str(held.file),
                           "made_at": str(held.made_at), "size": old.size, "rows": old.rows, "run_id": summary.run_id,
                           "seen_at": clock_now(), "status": "replaced",
                           "detail": f"replaced by {newest.return_id[:12]} with --replace"})
        record(newest, "current")
        loaded.append(newest.return_id)
        summary.files_loaded += 1
    if loaded:
        school = checked.frames["school"]
        school = school[school["_return"].isin(loaded)]
        context = school.set_index("_return")[list(store.SCHOOL_CONTEXT)]
        for sheet, frame in checked.frames.items():
            rows = frame[frame["_return"].isin(loaded)]
            rows = rows.assign(return_id=rows["_return"])
            if sheet != "school":
                rows = rows.join(context, on="_return")
            made = int((rows["_row"] == MADE_ROW).sum())  # rows made by upgrading an older return were never read
            summary.rows_loaded += store.insert(con, sheet, rows) - made
    return records, superseded, events
