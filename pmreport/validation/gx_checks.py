"""Per-sheet checks run by great-expectations, built from the schemas at run time.

This is the only module that imports great-expectations or reads its result format. It is
imported lazily (the library takes seconds to import), progress bars and analytics are off,
and it hands back plain :class:`ExpectationFinding` tuples. Suites are built once per sheet and
column set, and each sheet type is validated in one run however many files fed it.

Speed (GX's cost is per expectation, not per row): the run asks only whether each
expectation passed (``BOOLEAN_ONLY``); the few that failed are then run again, on the same
batch, with ``COMPLETE`` results to list their rows. Listing the failing rows of every
expectation, passed or not, cost twice as much. Every sheet goes through one data source
and one whole-dataframe batch definition (the frame is a batch parameter), the suites are
plain objects, not saved in the context's stores, and no ValidationDefinition is used: its
``run`` checks the stores and saves each result, which a one-off check does not need.
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
class ExpectationFinding:
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


@cache
def _batch_definition() -> Any:
    """The one batch definition every sheet is validated through: the frame comes as a batch parameter."""
    source = _context().data_sources.add_pandas("pmreport")
    return source.add_dataframe_asset("sheet").add_batch_definition_whole_dataframe("whole_sheet")


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


def _new_suite(name: str, checks: dict[int, Check]) -> Any:
    """A suite of ``checks`` (keyed by their index in the sheet's check list, kept in each expectation's meta).

    A suite is a set: ``ExpectationSuite.add_expectation`` drops an expectation equal to one
    already there (meta aside), so a check repeating an earlier one's kind and arguments is
    left out here too. Building the suite in one go skips that method's store look-up and
    pairwise comparison for every expectation added.
    """
    import great_expectations as gx

    _context()
    kept: dict[tuple[str, tuple[tuple[str, Any], ...]], tuple[Check, int]] = {}
    for index, check in checks.items():
        kept.setdefault((check.kind, check.kwargs), (check, index))
    return gx.ExpectationSuite(name=name, expectations=[_expectation(c, i) for c, i in kept.values()])


@cache
def _suite(schema_name: str, checks: tuple[Check, ...]) -> Any:
    return _new_suite(f"{schema_name}_{abs(hash(checks)):x}", dict(enumerate(checks)))


_PASSED = {"result_format": "BOOLEAN_ONLY"}
_ROWS = {"result_format": "COMPLETE", "unexpected_index_column_names": ["_key"]}


def _failures(result: Any, checks: tuple[Check, ...], sheet: str) -> dict[int, Any]:
    """The failed expectations of a run, by check index in result order; a check GX could not run is an error."""
    failed: dict[int, Any] = {}
    for res in result.results:
        if res.success:
            continue
        check = checks[int(res.expectation_config.meta["check"])]
        info = res.exception_info or {}
        raised = info.get("raised_exception") or any(isinstance(v, dict) and v.get("raised_exception") for v in info.values())
        if raised:
            raise RuntimeError(f"great-expectations could not run the {check.kind} check on {sheet}.{check.field}")
        failed[int(res.expectation_config.meta["check"])] = res
    return failed


def run_checks(schema: SheetSchema, frame: pd.DataFrame, present: frozenset[str]) -> list[ExpectationFinding]:
    """Validate one sheet type's rows (possibly from many files) in one great-expectations run.

    Only the expectations that fail are run a second time, on the same batch, to list their rows.
    """
    checks = tuple(checks_for(schema, present))
    if not checks or frame.empty:
        return []
    df = frame.reset_index(drop=True).copy()
    df["_key"] = range(len(df))
    with _LOCK:
        batch = _batch_definition().get_batch(batch_parameters={"dataframe": df})
        failed = _failures(batch.validate(_suite(schema.sheet, checks), result_format=_PASSED), checks, schema.sheet)
        if not failed:
            return []
        again = _new_suite(f"{schema.sheet}_failed", {index: checks[index] for index in failed})
        located = _failures(batch.validate(again, result_format=_ROWS), checks, schema.sheet)
    findings: list[ExpectationFinding] = []
    for index in failed:
        check = checks[index]
        res = located.get(index)
        for hit in (res.result.get("unexpected_index_list") or []) if res is not None else []:
            k = int(hit["_key"])
            findings.append(ExpectationFinding(check.code, check.field, check.other, check.expected,
                                    str(df.at[k, "_file"]), str(df.at[k, "_sheet"]), int(df.at[k, "_row"])))
    return findings


def run_sheets(sheets: dict[str, tuple[pd.DataFrame, frozenset[str]]]) -> dict[str, list[ExpectationFinding]]:
    """:func:`run_checks` for each sheet type (by its schema's name): its rows and the columns it has."""
    from pmreport.schema import load_schemas

    schemas = load_schemas()
    return {table: run_checks(schemas[table], frame, present) for table, (frame, present) in sheets.items()}
