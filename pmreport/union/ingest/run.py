"""``ingest``: read a folder of returns in parallel, validate them in batches, store them, account for every row.

* The same return twice (the same bytes: SHA-256 of the file) is loaded once.
* A newer return (later ``made_at``) from the same school and cycle replaces the one held; an
  older one is recorded as superseded and not loaded.
* A return that cannot be read, or fails validation, is refused as a whole, with the file and the
  reasons, and the rest load.
* Rows read = rows loaded + rows refused, for the run, printed and kept in ``ingest_log``.
"""

from __future__ import annotations

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
from pmreport.union.ingest import store
from pmreport.union.ingest.read import Parsed, init_worker, read_return
from pmreport.union.ingest.validate import MAX_REASONS, Batch, validate_batch
from pmreport.union.schema import return_format

BATCH = 2000


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


@dataclass
class IngestSummary:
    run_id: int
    files_found: int = 0
    files_loaded: int = 0
    files_duplicate: int = 0
    files_superseded: int = 0
    returns_replaced: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_removed_by_replacement: int = 0
    seconds: float = 0.0
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def files_rejected(self) -> int:
        return len(self.rejections) - self.files_superseded

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
           progress: Callable[[int], None] | None = None, on_total: Callable[[int], None] | None = None) -> IngestSummary:
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
        warm = _warm_up()
        seen: set[str] = set()
        try:
            windows = _windows(files, batch_size)
            pending = read(windows[0]) if windows else iter(())
            for i in range(len(windows)):
                upcoming = read(windows[i + 1]) if i + 1 < len(windows) else None
                batch = []
                for parsed in pending:
                    batch.append(parsed)
                    if progress:
                        progress(1)
                warm.join()
                _store_batch(con, batch, summary, seen, min_k)
                pending = upcoming if upcoming is not None else iter(())
        finally:
            close()
        summary.seconds = time.perf_counter() - started
        store.log_run(con, {
            "run_id": summary.run_id, "started_at": started_at, "finished_at": clock_now(), "source": str(source),
            "files_found": summary.files_found, "files_loaded": summary.files_loaded,
            "files_duplicate": summary.files_duplicate, "files_rejected": summary.files_rejected,
            "files_superseded": summary.files_superseded, "returns_replaced": summary.returns_replaced,
            "rows_read": summary.rows_read, "rows_loaded": summary.rows_loaded, "rows_rejected": summary.rows_rejected,
            "rows_removed_by_replacement": summary.rows_removed_by_replacement, "seconds": round(summary.seconds, 3),
        })
    finally:
        con.close()
    return summary


def _store_batch(con, batch: list[Parsed], summary: IngestSummary, seen: set[str], min_k: int) -> None:
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
    for p in fresh:
        if p.ok and p.file not in problems:
            k = p.value("school", "k")
            if k is not None and int(k) < min_k:
                problems[p.file] = [f"it was made with k = {int(k)}, and the union accepts k of at least {min_k}"]
    rejected: list[Rejection] = []
    valid: list[Parsed] = []
    for p in fresh:
        if problems.get(p.file):
            rejected.append(Rejection(p.file, tuple(problems[p.file]), p.rows_read))
        else:
            valid.append(p)
            summary.notes.extend(f"{Path(p.file).name}: {n}" for n in dict.fromkeys(p.notes))
    con.execute("BEGIN TRANSACTION")
    try:
        records, superseded = _load_valid(con, valid, checked, summary)
        rejected += superseded
        store.record_returns(con, records)
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


def _load_valid(con, valid: list[Parsed], checked: Batch, summary: IngestSummary) -> tuple[list[dict], list[Rejection]]:
    now = clock_now()
    records: list[dict] = []
    superseded: list[Rejection] = []
    groups: dict[tuple[str, str], list[Parsed]] = {}
    for p in valid:
        groups.setdefault((_school(p, "urn"), _school(p, "cycle")), []).append(p)
    keys = pd.DataFrame(list(groups), columns=["urn", "cycle"])
    current = {(r.urn, r.cycle): r for r in store.current_for(con, keys).itertuples(index=False)}

    def record(p: Parsed, status: str) -> None:
        records.append({"return_id": p.return_id, "file": p.file, "urn": _school(p, "urn"), "cycle": _school(p, "cycle"),
                        "made_at": _school(p, "made_at"), "ingested_at": now, "run_id": summary.run_id, "status": status,
                        "replaced_by": None, "rows": p.rows_read})

    def supersede(p: Parsed, why: str) -> None:
        record(p, "superseded")
        summary.files_superseded += 1
        superseded.append(Rejection(p.file, (why,), p.rows_read))

    loaded: list[str] = []
    for key, candidates in groups.items():
        ordered = sorted(candidates, key=lambda p: _school(p, "made_at"))  # stable: a later file wins a tie
        newest = ordered[-1]
        for older in ordered[:-1]:
            supersede(older, "a newer return for the same school and cycle was loaded in its place")
        held = current.get(key)
        if held is not None and str(held.made_at) > _school(newest, "made_at"):
            supersede(newest, "the union already holds a newer return for the same school and cycle")
            continue
        if held is not None:
            summary.rows_removed_by_replacement += store.remove(con, [held.return_id])
            store.mark_replaced(con, held.return_id, newest.return_id)
            summary.returns_replaced += 1
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
            summary.rows_loaded += store.insert(con, sheet, rows)
    return records, superseded
