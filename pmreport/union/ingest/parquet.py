"""The hand-over to bigger engines: the store as a Parquet dataset, partitioned hive-style by cycle and local authority.

``DIR/people/cycle=2025%2F26/local_authority=Kent/data_0.parquet`` and the same for
``compliance``; ``schools`` and ``returns`` are small and written whole. Partition values are
text: read them back with DuckDB's ``hive_types_autocast=false`` or Spark's
``spark.sql.sources.partitionColumnTypeInference.enabled=false`` so that nothing is turned into
a number or a date (STACK-NOTES).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pmreport.union.ingest import store

PARTITIONED = ("people", "equality", "compliance")
WHOLE = ("schools", "returns")
PARTITION_BY = ("cycle", "local_authority")


def export_parquet(db: str | Path, out: str | Path, *, replace: bool = False) -> dict[str, int]:
    """Write the store's tables under ``out``; the number of rows of each."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not replace:
            from pmreport.errors import PmreportError

            raise PmreportError(f"{out} already exists and is not empty, so nothing was written.",
                                "Choose another folder, or add --replace to write over it.")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    con = store.connect(db, read_only=True)
    counts: dict[str, int] = {}
    try:
        for table in PARTITIONED:
            target = (out / table).as_posix().replace("'", "''")
            con.execute(f"COPY (SELECT * FROM {table}) TO '{target}' "
                        f"(FORMAT parquet, PARTITION_BY ({', '.join(PARTITION_BY)}), OVERWRITE_OR_IGNORE)")
            counts[table] = int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        for table in WHOLE:
            (out / table).mkdir(exist_ok=True)
            target = (out / table / "data.parquet").as_posix().replace("'", "''")
            con.execute(f"COPY (SELECT * FROM {table} WHERE {_current(table)}) TO '{target}' (FORMAT parquet)")
            counts[table] = int(con.execute(f"SELECT count(*) FROM {table} WHERE {_current(table)}").fetchone()[0])
    finally:
        con.close()
    return counts


def _current(table: str) -> str:
    return "status = 'current'" if table == "returns" else "TRUE"
