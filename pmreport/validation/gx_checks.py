"""Per-sheet checks run by great-expectations, built from the schemas at run time.

This is the only module that imports great-expectations or reads its result format. It is
imported lazily (the library takes seconds to import), progress bars and analytics are off,
and it hands back plain :class:`Finding` tuples. Suites are built once per sheet and
column set, and each sheet type is validated in one run however many files fed it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from pmreport.schema import SheetSchema

_LOCK = threading.Lock()


@dataclass(frozen=True)
class Finding:
    """One failed check on one row: which check, which fields, the Excel row."""

    code: str
    field: str
    other: str
    expected: str
    file: str
    sheet: str
    row: int


@dataclass(frozen=True)
class Check:
    code: str
    field: str
    other: str
    expected: str
    kind: str
    kwargs: tuple[tuple[str, Any], ...]


def checks_for(schema: SheetSchema, present: frozenset[str]) -> list[Check]:
    """The per-sheet checks the schema implies, for the columns the sheet actually has."""
    out: list[Check] = []
    for f in schema.fields:
        if f.name not in present:
            continue
        if f.required:
            out.append(Check("missing_value", f.name, "", "", "not_null", (("column", f.name),)))
        if f.type == "code":
            out.append(Check("unknown_code", f.name, "", ", ".join(f.codes), "in_set", (("column", f.name), ("value_set", tuple(f.codes)))))
        if f.type == "fte":
            out.append(Check("out_of_range", f.name, "", "more than 0 and at most 1 (0.6 or 60%)", "between",
                             (("column", f.name), ("min_value", 0), ("max_value", 1), ("strict_min", True))))
        elif f.minimum is not None or f.maximum is not None:
            out.append(Check("out_of_range", f.name, "", f"between {f.minimum:g} and {f.maximum:g}", "between",
                             (("column", f.name), ("min_value", f.minimum), ("max_value", f.maximum))))
        if f.pattern:
            out.append(Check("bad_format", f.name, "", _pattern_words(f.pattern), "regex", (("column", f.name), ("regex", f.pattern))))
        for earlier in f.not_before:
            if earlier in present:
                out.append(Check("dates_out_of_order", f.name, earlier, "", "pair_order",
                                 (("column_A", f.name), ("column_B", earlier), ("or_equal", True), ("ignore_row_if", "either_value_is_missing"))))
        if f.unique:
            out.append(Check("duplicate_key", f.name, "", f"{f.name} must be unique", "unique", (("column", f.name),)))
    key = [k for k in schema.key if k in present]
    if key:
        words = " and ".join(key)
        if len(key) == 1:
            out.append(Check("duplicate_key", key[0], "", f"there must be one row per {words}", "unique", (("column", key[0]),)))
        else:
            out.append(Check("duplicate_key", words, "", f"there must be one row per {words}", "compound_unique", (("column_list", tuple(key)),)))
    return out


def _pattern_words(pattern: str) -> str:
    return {r"^\d{6,7}$": "six or seven digits, for example 118234"}.get(pattern, f"in the format {pattern}")


@cache
def _context() -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


def _expectation(check: Check, index: int) -> Any:
    import great_expectations.expectations as gxe

    kw = {k: (list(v) if isinstance(v, tuple) else v) for k, v in check.kwargs}
    cls = {
        "not_null": gxe.ExpectColumnValuesToNotBeNull,
        "in_set": gxe.ExpectColumnValuesToBeInSet,
        "between": gxe.ExpectColumnValuesToBeBetween,
        "regex": gxe.ExpectColumnValuesToMatchRegex,
        "pair_order": gxe.ExpectColumnPairValuesAToBeGreaterThanB,
        "unique": gxe.ExpectColumnValuesToBeUnique,
        "compound_unique": gxe.ExpectCompoundColumnsToBeUnique,
    }[check.kind]
    return cls(**kw, meta={"check": index})


@cache
def _validation(schema_name: str, checks: tuple[Check, ...]) -> Any:
    import great_expectations as gx

    ctx = _context()
    name = f"{schema_name}_{abs(hash(checks)):x}"
    ds = ctx.data_sources.add_pandas(f"ds_{name}")
    batch = ds.add_dataframe_asset(f"asset_{name}").add_batch_definition_whole_dataframe(f"batch_{name}")
    suite = gx.ExpectationSuite(name=f"suite_{name}")
    for index, check in enumerate(checks):
        suite.add_expectation(_expectation(check, index))
    suite = ctx.suites.add(suite)
    return ctx.validation_definitions.add(gx.ValidationDefinition(name=f"vd_{name}", data=batch, suite=suite))


def run_checks(schema: SheetSchema, frame: pd.DataFrame, present: frozenset[str]) -> list[Finding]:
    """Validate one sheet type's rows (possibly from many files) in one great-expectations run."""
    checks = tuple(checks_for(schema, present))
    if not checks or frame.empty:
        return []
    df = frame.reset_index(drop=True).copy()
    df["_key"] = range(len(df))
    with _LOCK:
        vd = _validation(schema.sheet, checks)
        result = vd.run(
            batch_parameters={"dataframe": df},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["_key"]},
        )
    findings: list[Finding] = []
    for res in result.results:
        check = checks[int(res.expectation_config.meta["check"])]
        if res.success:
            continue
        info = res.exception_info or {}
        raised = info.get("raised_exception") or any(isinstance(v, dict) and v.get("raised_exception") for v in info.values())
        if raised:
            raise RuntimeError(f"great-expectations could not run the {check.kind} check on {schema.sheet}.{check.field}")
        for hit in res.result.get("unexpected_index_list") or []:
            k = int(hit["_key"])
            findings.append(Finding(check.code, check.field, check.other, check.expected,
                                    str(df.at[k, "_file"]), str(df.at[k, "_sheet"]), int(df.at[k, "_row"])))
    return findings
