"""Fuzzing the reader and the normaliser (issue 10): random headers, values, dates, encodings, CSV
bytes, worksheet XML and damaged workbooks never raise anything but a clear refusal, keep every row
accounted for, and never change the input. A few examples each here; benchmarks/fuzz_reader.py runs
the same strategies for as long as it is given (results in docs/reliability.md)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pmreport.normalise import parse_value
from pmreport.schema import load_schemas
from pmreport.validation.catalogue import ISSUES
from pmreport.validation.sheet_parsing import typed_series
from tests.badinput import fuzz

FIELDS = [f for s in load_schemas().values() for f in s.fields]
# No shrinking: a failure prints its example at once instead of spending minutes of CI time.
FAST = settings(deadline=None, suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.reuse, Phase.generate])


@settings(FAST, max_examples=400)
@given(f=st.sampled_from(FIELDS), value=fuzz.cell_values, percent=st.booleans())
def test_every_value_parses_or_has_a_known_problem(f, value, percent):
    parsed, problem = parse_value(value, f, percent_header=percent)
    assert problem is None or problem in ISSUES
    assert problem is None or parsed is None
    typed_series([parsed], f.type)  # and it fits the table's column type


@settings(FAST, max_examples=12)
@given(files=fuzz.csv_schools())
def test_random_csv_files_are_read_or_refused_with_rows_accounted(files):
    with tempfile.TemporaryDirectory() as tmp:
        fuzz.check_csv_school(files, Path(tmp) / "csv")


@settings(FAST, max_examples=8)
@given(grid=fuzz.staff_grids())
def test_random_headers_and_cells_in_a_workbook(grid):
    with tempfile.TemporaryDirectory() as tmp:
        fuzz.check_staff_grid(grid, Path(tmp))


@settings(FAST, max_examples=40)
@given(xml=fuzz.sheet_xmls())
def test_random_sheet_xml_is_scanned_no_smaller_than_it_is_read(xml):
    with tempfile.TemporaryDirectory() as tmp:
        fuzz.check_sheet_xml(xml, Path(tmp))


@settings(FAST, max_examples=40)
@given(edits=fuzz.mutations)
def test_damaged_workbooks_are_read_or_refused(edits):
    with tempfile.TemporaryDirectory() as tmp:
        base = fuzz.minimal_workbook_bytes(Path(tmp) / "base")
        fuzz.check_mutated_workbook(base, edits, Path(tmp) / "m")
