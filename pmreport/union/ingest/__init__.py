"""The union side: load thousands of returns into one DuckDB file, in parallel, every row accounted for.

:func:`ingest` (``pmreport union ingest DIR --db union.duckdb``) reads returns in worker processes
(:mod:`.read`), validates them many at a time with great-expectations (:mod:`.validate`) and
stores them (:mod:`.store`); :func:`export_parquet` writes the hand-over dataset for bigger engines.
Imports are lazy so that worker processes, which only read, start quickly.
"""

from __future__ import annotations

from typing import Any

__all__ = ["IngestSummary", "export_parquet", "ingest"]


def __getattr__(name: str) -> Any:
    if name == "export_parquet":
        from pmreport.union.ingest.parquet import export_parquet

        return export_parquet
    if name in ("ingest", "IngestSummary"):
        from pmreport.union.ingest import run

        return getattr(run, name)
    raise AttributeError(name)
