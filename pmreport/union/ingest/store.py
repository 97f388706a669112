"""The union's store: one embedded DuckDB file.

Tables: ``returns`` (every return ever loaded: content hash, school, cycle, when made, status
``current`` / ``replaced`` / ``superseded``), ``people``, ``schools`` and ``compliance`` (the rows of
current returns only, each with the school's urn, phase, local authority and size band),
``ingest_log`` (one row per run: files and rows read, loaded and rejected),
``ingest_rejections`` (file and reason for each return refused) and ``return_history`` (every
version of each school's return seen, with its fingerprint, size, rows and what became of it:
``loaded``, ``replaced``, ``superseded``, ``held_back`` or ``refused``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pmreport.union.return_schema import return_format

SCHOOL_CONTEXT = ("urn", "local_authority", "phase", "size_band")
SQL_TYPES = {"integer": "INTEGER", "number": "DOUBLE", "fte": "DOUBLE"}

LOG_COLUMNS = {
    "run_id": "INTEGER", "started_at": "TIMESTAMP", "finished_at": "TIMESTAMP", "source": "VARCHAR",
    "files_found": "INTEGER", "files_loaded": "INTEGER", "files_duplicate": "INTEGER", "files_rejected": "INTEGER",
    "files_superseded": "INTEGER", "files_held_back": "INTEGER", "returns_replaced": "INTEGER", "rows_read": "BIGINT", "rows_loaded": "BIGINT",
    "rows_rejected": "BIGINT", "rows_removed_by_replacement": "BIGINT", "seconds": "DOUBLE",
}


def _columns(sheet: str) -> dict[str, str]:
    return {f.name: SQL_TYPES.get(f.type, "VARCHAR") for f in return_format().sheets[sheet].fields}


def table_columns(sheet: str) -> dict[str, str]:
    """The stored columns of a sheet's table: the return id, the school's context, then the sheet's fields."""
    own = _columns(sheet)
    context = {} if sheet == "school" else {c: "VARCHAR" for c in SCHOOL_CONTEXT}
    return {"return_id": "VARCHAR"} | context | {c: t for c, t in own.items() if c not in context}


RETURN_COLUMNS = ("return_id", "file", "urn", "cycle", "made_at", "ingested_at", "run_id", "status", "replaced_by",
                  "rows", "size")
HISTORY_COLUMNS = {
    "urn": "VARCHAR", "cycle": "VARCHAR", "return_id": "VARCHAR", "file": "VARCHAR", "made_at": "VARCHAR",
    "size": "BIGINT", "rows": "INTEGER", "run_id": "INTEGER", "seen_at": "TIMESTAMP", "status": "VARCHAR",
    "detail": "VARCHAR",
}

TABLES = {"people": "people", "equality": "equality", "school": "schools", "compliance": "compliance"}


def connect(path: str | Path, read_only: bool = False) -> Any:
    import duckdb

    path = Path(path)
    if read_only and not path.exists():
        from pmreport.errors import InputUnusable

        raise InputUnusable(f"There is no union store at {path}.", "Load returns first with pmreport union ingest.")
    from pmreport.errors import file_system_failed

    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only)
    except OSError as exc:
        raise file_system_failed(exc, path, "open the union store") from None
    except duckdb.Error as exc:
        raise open_failed(exc, path) from None
    from pmreport.union.store_views import create_views, refuse_newer

    try:
        refuse_newer(con, path)
    except Exception:
        con.close()
        raise
    if not read_only:
        create(con)
        create_views(con)
    return con


def open_failed(exc: Exception, path: Path) -> Exception:
    """The plain message (exit 2) for a store DuckDB would not open: locked by another run, or not a store."""
    from pmreport.errors import FileSystemFailed

    if "lock" in str(exc).lower():
        return FileSystemFailed(f"The union store {path} is in use by another pmreport run (or another program), "
                                "so nothing was loaded or read.",
                                "Wait for the other run to finish, then run this again.")
    return FileSystemFailed(f"{path} could not be opened as a union store ({type(exc).__name__}).",
                            "Check that --db names the union's store (made by pmreport union ingest).")


def create(con: Any) -> None:
    con.execute("""CREATE TABLE IF NOT EXISTS returns (return_id VARCHAR PRIMARY KEY, file VARCHAR, urn VARCHAR,
        cycle VARCHAR, made_at VARCHAR, ingested_at TIMESTAMP, run_id INTEGER, status VARCHAR, replaced_by VARCHAR,
        rows INTEGER)""")
    con.execute("ALTER TABLE returns ADD COLUMN IF NOT EXISTS size BIGINT")  # stores made before sizes were kept
    for sheet, table in TABLES.items():
        cols = ", ".join(f'"{c}" {t}' for c, t in table_columns(sheet).items())
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols})")
    cols = ", ".join(f"{c} {t}" for c, t in LOG_COLUMNS.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS ingest_log ({cols})")
    for column, kind in LOG_COLUMNS.items():  # a store made by an earlier version gains the newer columns
        con.execute(f"ALTER TABLE ingest_log ADD COLUMN IF NOT EXISTS {column} {kind}")
    cols = ", ".join(f"{c} {t}" for c, t in HISTORY_COLUMNS.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS return_history ({cols})")
    con.execute("CREATE TABLE IF NOT EXISTS ingest_rejections (run_id INTEGER, file VARCHAR, return_id VARCHAR, "
                "reason VARCHAR, rows INTEGER)")


def known_hashes(con: Any) -> frozenset[str]:
    return frozenset(r[0] for r in con.execute("SELECT return_id FROM returns").fetchall())


def next_run_id(con: Any) -> int:
    return int(con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM ingest_log").fetchone()[0])


def current_for(con: Any, keys: pd.DataFrame) -> pd.DataFrame:
    """The current return (if any) for each (urn, cycle) in ``keys``."""
    if keys.empty:
        return pd.DataFrame(columns=["return_id", "file", "urn", "cycle", "made_at", "rows", "size"])
    con.register("_keys", keys[["urn", "cycle"]].drop_duplicates())
    try:
        return con.execute("""SELECT r.return_id, r.file, r.urn, r.cycle, r.made_at, r.rows, r.size FROM returns r
            JOIN _keys k ON r.urn = k.urn AND r.cycle = k.cycle WHERE r.status = 'current'""").fetch_df()
    finally:
        con.unregister("_keys")


def insert(con: Any, sheet: str, frame: pd.DataFrame) -> int:
    if frame.empty:
        return 0
    cols = list(table_columns(sheet))
    con.register("_batch", frame[cols])
    try:
        quoted = ", ".join(f'"{c}"' for c in cols)
        con.execute(f"INSERT INTO {TABLES[sheet]} ({quoted}) SELECT {quoted} FROM _batch")
    finally:
        con.unregister("_batch")
    return len(frame)


def remove(con: Any, return_ids: list[str]) -> int:
    """Delete the rows of replaced returns; the number of rows removed."""
    if not return_ids:
        return 0
    ids = pd.DataFrame({"return_id": return_ids})
    con.register("_gone", ids)
    try:
        removed = 0
        for table in TABLES.values():
            removed += int(con.execute(f"SELECT count(*) FROM {table} WHERE return_id IN (SELECT return_id FROM _gone)")
                           .fetchone()[0])
            con.execute(f"DELETE FROM {table} WHERE return_id IN (SELECT return_id FROM _gone)")
    finally:
        con.unregister("_gone")
    return removed


def record_returns(con: Any, rows: list[dict]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=list(RETURN_COLUMNS))
    con.register("_returns", frame)
    try:
        names = ", ".join(RETURN_COLUMNS)
        con.execute(f"INSERT INTO returns ({names}) SELECT {names} FROM _returns")
    finally:
        con.unregister("_returns")


def record_history(con: Any, rows: list[dict]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))
    con.register("_history", frame)
    try:
        names = ", ".join(HISTORY_COLUMNS)
        con.execute(f"INSERT INTO return_history ({names}) SELECT {names} FROM _history")
    finally:
        con.unregister("_history")


def mark_replaced(con: Any, old: str, new: str) -> None:
    con.execute("UPDATE returns SET status = 'replaced', replaced_by = ? WHERE return_id = ?", [new, old])


def log_rejections(con: Any, run_id: int, rows: list[tuple[str, str, str, int]]) -> None:
    if rows:
        frame = pd.DataFrame(rows, columns=["file", "return_id", "reason", "rows"]).assign(run_id=run_id)
        con.register("_rej", frame[["run_id", "file", "return_id", "reason", "rows"]])
        try:
            con.execute("INSERT INTO ingest_rejections SELECT * FROM _rej")
        finally:
            con.unregister("_rej")


def log_run(con: Any, entry: dict) -> None:
    frame = pd.DataFrame([entry], columns=list(LOG_COLUMNS))
    con.register("_log", frame)
    try:
        names = ", ".join(LOG_COLUMNS)
        con.execute(f"INSERT INTO ingest_log ({names}) SELECT {names} FROM _log")
    finally:
        con.unregister("_log")
