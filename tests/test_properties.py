"""Property tests: whatever is in the workbook, every row is accounted for and nothing crashes."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pmreport.pipeline import build, load_school
from pmreport.reading import read_input
from tests.conftest import OBJECTIVES, REVIEWS, SCHOOL, STAFF, build_workbook

cell = st.one_of(
    st.none(), st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=12), st.integers(-5, 100000), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(), st.dates(dt.date(1850, 1, 1), dt.date(2200, 1, 1)),
    st.sampled_from(["Y", "N", "60%", "31/02/2025", "31/10/2025", "met", "@1+1", "000101", "GOV", "2025/26", " "]),
).filter(lambda v: not (isinstance(v, str) and v.startswith("=")))  # openpyxl would write a formula (no cached value)

# No shrinking: a failure prints its example at once instead of spending minutes of CI time.
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=[Phase.explicit, Phase.reuse, Phase.generate])


@settings(FAST, max_examples=15)
@given(
    staff_noise=st.lists(st.tuples(st.integers(1, 3), st.integers(0, 14), cell), max_size=8),
    review_noise=st.lists(st.tuples(st.integers(1, 3), st.integers(0, 7), cell), max_size=6),
    extra_rows=st.lists(st.lists(cell, min_size=1, max_size=16), max_size=4),
)
def test_row_accounting_holds_and_nothing_crashes(staff_noise, review_noise, extra_rows):
    staff = [r[:] for r in STAFF]
    reviews = [r[:] for r in REVIEWS]
    for r, c, v in staff_noise:
        staff[r][c] = v
    for r, c, v in review_noise:
        reviews[r][c] = v
    staff.extend(extra_rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = build_workbook(Path(tmp) / "f.xlsx", {"school": SCHOOL, "staff": staff, "reviews": reviews, "objectives": OBJECTIVES})
        data, report = build(read_input(path))  # validation only: load_school stops when nothing is usable
    for st_ in report.stats.values():
        assert st_.balanced, st_
    def blank(v):
        return v is None or (isinstance(v, str) and not v.strip())

    non_blank = [r for r in staff[1:] if not all(blank(v) for v in r)]
    assert report.stats["staff"].read - report.stats["staff"].blank == len(non_blank)
    for table, frame in data.tables.items():
        if table in report.stats:
            assert len(frame) == report.stats[table].accepted
            assert len(data.quarantine[table]) == report.stats[table].quarantined


@settings(FAST, max_examples=4)
@given(seed=st.integers(0, 10_000), phase=st.sampled_from(["primary", "secondary", "special"]), n_staff=st.integers(8, 24))
def test_messy_export_reads_exactly_as_the_clean_one(seed, phase, n_staff):
    import pandas as pd

    from pmreport.synth import Effects, generate

    school = generate(phase=phase, seed=seed, n_staff=n_staff, effects=Effects.all_breaches(0.1))
    with tempfile.TemporaryDirectory() as tmp:
        clean, messy = Path(tmp) / "clean.xlsx", Path(tmp) / "messy.xlsx"
        school.write_xlsx(clean)
        school.write_xlsx(messy, messy=True)
        a, ra = load_school(clean)
        b, rb = load_school(messy)
    assert ra.errors == [] and rb.errors == [], rb.flatten(("code", "sheet", "row", "column", "message"))[:5]
    for table in a.tables:
        left = a.tables[table].drop(columns=["_file", "_sheet", "_row"])
        right = b.tables[table].drop(columns=["_file", "_sheet", "_row"])
        pd.testing.assert_frame_equal(left, right, obj=table)
        # and both equal what the generator meant to write
        truth = school.data.tables[table].drop(columns=["_file", "_sheet", "_row"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, truth, obj=f"{table} (generator)")
