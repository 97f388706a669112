"""Where the union's data comes from: the DuckDB store, or the Parquet dataset on DuckDB or Spark."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmreport.errors import InputUnusable, file_system_failed


def duckdb_compat() -> None:
    """Let ibis 12.0.0 run on duckdb 2.0.0.

    ibis 12.0.0 fetches results with ``DuckDBPyConnection.fetch_arrow_table`` and
    ``fetch_record_batch``, which duckdb 2.0.0 removed (their replacements are ``to_arrow_table``
    and ``to_arrow_reader``). Where they are missing they are added back as thin aliases; duckdb's
    warning that a DB-API result is copied once more is silenced for them.
    """
    import warnings

    import duckdb

    cls = duckdb.DuckDBPyConnection
    if not hasattr(cls, "fetch_arrow_table"):
        def fetch_arrow_table(self: Any) -> Any:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                return self.to_arrow_table()

        cls.fetch_arrow_table = fetch_arrow_table  # type: ignore[attr-defined]
    if not hasattr(cls, "fetch_record_batch"):
        def fetch_record_batch(self: Any, rows_per_batch: int = 1_000_000) -> Any:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                return self.to_arrow_reader(rows_per_batch)

        cls.fetch_record_batch = fetch_record_batch  # type: ignore[attr-defined]


@dataclass
class UnionData:
    """The union's tables as Ibis expressions, on one engine."""

    people: Any
    schools: Any
    compliance: Any
    engine: str
    con: Any = None
    area: str | None = None  #: the local authority the tables are kept to, if any
    equality: Any = None  #: the returns' equality sheets (None for a dataset made before they existed)

    def in_local_authority(self, la: str) -> UnionData:
        """The same tables kept to the schools of one local authority (named as the returns name it)."""
        from pmreport.errors import PmreportError

        held = sorted(self.schools.select("local_authority").distinct().to_pandas()["local_authority"].astype(str))
        match = next((x for x in held if x.casefold() == la.strip().casefold()), None)
        if match is None:
            raise PmreportError(f"The union store holds no return from a school in the local authority {la!r}.",
                                f"Give one of the {len(held)} local authorities held, written as the returns write "
                                f"it, for example {', '.join(repr(x) for x in held[:5])}.")
        equality = None if self.equality is None else self.equality.filter(self.equality.local_authority == match)
        return UnionData(self.people.filter(self.people.local_authority == match),
                         self.schools.filter(self.schools.local_authority == match),
                         self.compliance.filter(self.compliance.local_authority == match), self.engine, None,
                         area=match, equality=equality)

    def _kept_to(self, las: list[str], area: str) -> UnionData:
        def keep(t: Any) -> Any:
            return None if t is None else t.filter(t.local_authority.isin(las))

        return UnionData(keep(self.people), keep(self.schools), keep(self.compliance), self.engine, None, area=area,
                         equality=keep(self.equality))

    def in_region(self, region: str) -> UnionData:
        """The same tables kept to the schools of one of England's regions (from each return's local authority,
        :mod:`pmreport.union.regions`)."""
        from pmreport.errors import PmreportError
        from pmreport.union.regions import region_named, region_of, regions

        chosen = region_named(region)
        if chosen is None:
            raise PmreportError(f"{region!r} is not one of England's regions.",
                                f"Give one of: {', '.join(regions())}.")
        held = sorted(self.schools.select("local_authority").distinct().to_pandas()["local_authority"].astype(str))
        las = [x for x in held if region_of(x) == chosen]
        if not las:
            found = sorted({r for r in map(region_of, held) if r})
            raise PmreportError(f"The union store holds no return from a school in {chosen}.",
                                f"Regions held: {', '.join(found) or 'none'}.")
        return self._kept_to(las, chosen)

    def close(self) -> None:
        if self.con is not None and hasattr(self.con, "disconnect"):
            self.con.disconnect()


def from_store(db: str | Path) -> UnionData:
    """The DuckDB store written by ``pmreport union ingest`` (opened read-only)."""
    import ibis

    duckdb_compat()
    db = Path(db)
    if not db.exists():
        raise InputUnusable(f"There is no union store at {db}.", "Load returns first with pmreport union ingest.")
    import duckdb

    from pmreport.union.ingest.store import open_failed

    try:
        con = ibis.duckdb.connect(str(db), read_only=True)
    except OSError as exc:
        raise file_system_failed(exc, db, "open the union store") from None
    except duckdb.Error as exc:  # another run holds the store's lock, or the file is not a store
        raise open_failed(exc, db) from None
    if "people" not in con.list_tables():
        raise InputUnusable(f"{db} is not a union store made by pmreport.", "Give the file made by pmreport union ingest.")
    from pmreport.union.store_views import refuse_newer

    try:
        refuse_newer(con.con, db)
    except InputUnusable:
        con.disconnect()
        raise
    equality = con.table("equality") if "equality" in con.list_tables() else None
    return UnionData(con.table("people"), con.table("schools"), con.table("compliance"), "duckdb", con,
                     equality=equality)


def _parquet(con: Any, folder: Path, table: str, partitioned: bool, spark: bool) -> Any:
    path = folder / table
    if not path.exists():
        raise InputUnusable(f"{folder} has no {table} folder.", "Give the folder made by pmreport union export-parquet.")
    if spark:
        return con.read_parquet(str(path), table_name=f"union_{table}")
    if partitioned:
        return con.read_parquet(f"{path.as_posix()}/**/*.parquet", table_name=f"union_{table}", hive_partitioning=True,
                                hive_types_autocast=False)
    return con.read_parquet(f"{path.as_posix()}/*.parquet", table_name=f"union_{table}")


def from_parquet(folder: str | Path, spark_session: Any = None) -> UnionData:
    """The Parquet dataset written by ``pmreport union export-parquet``, on DuckDB or on a SparkSession.

    For Spark, set ``spark.sql.sources.partitionColumnTypeInference.enabled=false`` and
    ``spark.sql.execution.arrow.pyspark.enabled=true`` on the session (see :func:`spark_session`).
    """
    import ibis

    duckdb_compat()
    folder = Path(folder)
    spark = spark_session is not None
    con = ibis.pyspark.connect(spark_session) if spark else ibis.duckdb.connect()
    people = _parquet(con, folder, "people", True, spark)
    schools = _parquet(con, folder, "schools", False, spark)
    compliance = _parquet(con, folder, "compliance", True, spark)
    equality = _parquet(con, folder, "equality", True, spark) if (folder / "equality").exists() else None
    return UnionData(people, schools, compliance, "spark" if spark else "duckdb", None if spark else con,
                     equality=equality)


def spark_session(warehouse: str | Path, app: str = "pmreport-union") -> Any:
    """A local Spark session set up as STACK-NOTES advises (2 cores, no UI, text partition values)."""
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master("local[2]").appName(app)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
            .config("spark.sql.warehouse.dir", str(Path(warehouse) / "spark-warehouse"))
            .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={Path(warehouse) / 'derby'}")
            .getOrCreate())
