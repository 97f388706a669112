"""The same union analyses on Spark (local mode, over the Parquet dataset) give the same figures as on DuckDB."""

from __future__ import annotations

import importlib.util
import shutil

import pandas as pd
import pytest

from pmreport.union.analysis import queries as q
from pmreport.union.analysis.models import mantel_haenszel
from pmreport.union.analysis.source import from_parquet, from_store, spark_session
from pmreport.union.analysis.views import CHARACTERISTICS
from pmreport.union.cohort import make_cohort
from pmreport.union.ingest import export_parquet, ingest

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None,
                       reason="pyspark is not installed (pip install -e '.[spark]' to run the Spark comparison)"),
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java, and there is none on this machine"),
]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    out = tmp_path_factory.mktemp("spark")
    make_cohort(6, out / "returns", cycles=2, workers=1, seed=21)
    ingest(out / "returns", out / "u.duckdb", workers=1)
    export_parquet(out / "u.duckdb", out / "pq")
    spark = spark_session(out)
    duck = from_store(out / "u.duckdb")
    duck_pq = from_parquet(out / "pq")
    sp = from_parquet(out / "pq", spark)
    yield duck, duck_pq, sp
    duck.close()
    duck_pq.close()
    spark.stop()


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a = a.sort_values(list(a.columns[:3])).reset_index(drop=True)
    b = b.sort_values(list(b.columns[:3])).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b[a.columns], check_dtype=False, check_exact=False, rtol=1e-9)


def test_spark_gives_the_same_figures_as_duckdb(engines):
    duck, duck_pq, spark = engines
    for by in CHARACTERISTICS:
        _same(q.pay_counts(duck.people, by), q.pay_counts(duck_pq.people, by))
    _same(q.trends(duck.people), q.trends(duck_pq.people))
    for other in (duck_pq, spark):  # on Spark, the queries every other figure is made from
        _same(q.pay_counts(duck.people, "working_pattern"), q.pay_counts(other.people, "working_pattern"))
        _same(q.rule_counts(duck.people, by=("cycle", "local_authority")),
              q.rule_counts(other.people, by=("cycle", "local_authority")))
        _same(q.school_indicators(duck.people), q.school_indicators(other.people))
        _same(q.microdata_frame(duck.people).astype(str), q.microdata_frame(other.people).astype(str))
    a = mantel_haenszel(q.pay_counts(duck.people, "working_pattern"), "working_pattern", ["part_time"], ["full_time"])
    b = mantel_haenszel(q.pay_counts(spark.people, "working_pattern"), "working_pattern", ["part_time"], ["full_time"])
    assert a is not None and b is not None and a.odds_ratio == pytest.approx(b.odds_ratio, rel=1e-12)
