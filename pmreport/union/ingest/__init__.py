"""The union side: load thousands of returns into one DuckDB file, in parallel, every row accounted for.

:func:`ingest` (``pmreport union ingest DIR --db union.duckdb``) reads returns in worker processes
(:mod:`.read`), validates them many at a time with great-expectations (:mod:`.validate`) and
stores them (:mod:`.store`); :func:`export_parquet` writes the hand-over dataset for bigger engines.
"""

from pmreport.union.ingest.parquet import export_parquet
from pmreport.union.ingest.run import IngestSummary, ingest

__all__ = ["IngestSummary", "export_parquet", "ingest"]
