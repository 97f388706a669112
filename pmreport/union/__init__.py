"""Cross-school workload and equality analysis for unions (issue 7).

* School side: :mod:`.export_return` (``pmreport export-return``) makes a pseudonymised,
  k-anonymous return (:mod:`.keys`, :mod:`.bands`, :mod:`.people`, :mod:`.anonymise`, :mod:`.about`),
  in the format of ``data_schemas/returns/`` (:mod:`.schema`).
* Union side: :mod:`.ingest` loads returns into DuckDB and Parquet; :mod:`.analysis` reports on
  them through the disclosure gate; :mod:`.cohort` makes synthetic cohorts to try it on.

See docs/union.md.
"""
