"""The union's analyses, written once on Ibis: DuckDB by default, Spark (or any Ibis engine) unchanged.

* :mod:`.source`: the store (DuckDB file) or the Parquet dataset, on DuckDB or Spark.
* :mod:`.views` and :mod:`.queries`: the portable expressions (counts, sums, per school).
* :mod:`.models`: pay progression pooled across schools with school effects (statsmodels).
* :mod:`.clustered_rates`: how sure a pooled percentage is, allowing for staff of a school being alike.
* :mod:`.figures`: everything published, made by the disclosure gate under ``UNION_POLICY``.
* :mod:`.html`: the self-contained HTML report.
"""
