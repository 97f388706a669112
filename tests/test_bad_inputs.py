"""Hostile and broken spreadsheets (issue 10): each case of the corpus in tests/badinput/cases.py
ends with its exit code and a message naming the place and the fix; nothing crashes (no
traceback, no exit 3), hangs (generous timeouts) or eats the memory (the heavy cases run in a
process capped at 2 GB of address space, and their peak memory is checked); and no input file
is changed, created or removed."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pmreport.cli import app
from tests.badinput.cases import CASES, Case

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
MEMORY_CAP = 2 * 1024**3  # address space of the capped process
PEAK_RSS_MB = 600  # a refused bomb must not cost more than this (importing pandas costs about 150)
TIMEOUT_S = 120  # only to catch a hang: refusals take well under a second

CHILD = """
import resource, sys
cap = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
code = 3
try:
    from pmreport.cli import app
    app(args=sys.argv[2:], prog_name="pmreport")
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 1
finally:
    u = resource.getrusage(resource.RUSAGE_SELF)
    sys.stderr.write("\\n@@ peak_rss_kb=%d cpu_s=%.2f\\n" % (u.ru_maxrss, u.ru_utime + u.ru_stime))
sys.exit(code)
"""


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under the folder with a hash of its bytes (pipes and folders by kind, never opened)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        mode = p.lstat().st_mode
        if stat.S_ISREG(mode):
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[str(p.relative_to(folder))] = "dir" if stat.S_ISDIR(mode) else "special"
    return out


def run_capped(args: list[str]) -> tuple[int, str, float, float]:
    """pmreport in a separate process with its address space capped: (exit code, output, peak MB, CPU s)."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "COLUMNS": "400"}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(MEMORY_CAP), *args], capture_output=True, text=True,
                          timeout=TIMEOUT_S, cwd=ROOT, env=env)
    out, _, stats = (proc.stdout + proc.stderr).rpartition("@@ ")
    fields = dict(kv.split("=") for kv in stats.split())
    return proc.returncode, out, int(fields["peak_rss_kb"]) / 1024, float(fields["cpu_s"])


def squash(text: str) -> str:
    """Text without any whitespace: the console wraps long lines wherever it likes."""
    return "".join(text.split())


def test_the_corpus_is_large_and_described():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    assert all(c.what for c in CASES), [c.id for c in CASES if not c.what]
    assert {c.exit_code for c in CASES} == {0, 1, 2}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    if "fifo" in case.id and not hasattr(os, "mkfifo"):
        pytest.skip("named pipes need a POSIX system")
    folder = tmp_path / "input"
    folder.mkdir()
    target = case.build(folder)
    before = snapshot(folder)

    if case.heavy:
        code, output, peak_mb, cpu_s = run_capped(["validate", str(target)])
        print(f"{case.id}: exit {code}, peak {peak_mb:.0f} MB, CPU {cpu_s:.2f} s")  # recorded, not asserted
        assert peak_mb < PEAK_RSS_MB, f"{case.id} used {peak_mb:.0f} MB"
    else:
        import pmreport.jobs

        reports = []  # the report behind the printed summary, to check its issues without a second run
        real = pmreport.jobs.validate  # what the validate command prints from

        def recorded(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            reports.append(real(*args, **kwargs))
            return reports[-1]

        monkeypatch.setattr(pmreport.jobs, "validate", recorded)
        result = runner.invoke(app, ["validate", str(target)])
        code, output = result.exit_code, result.output

    assert code == case.exit_code, output[-3000:]
    assert "Traceback" not in output and "unexpected problem" not in output
    assert "\x1b" not in output  # nothing from the input reaches the terminal as a control sequence
    for fragment in case.fragments:
        assert squash(fragment) in squash(output), f"{fragment!r} not in:\n{output[-3000:]}"
    if case.exit_code == 2:
        errors = [ln for ln in output.splitlines() if ln.startswith("Error:")]
        assert len(errors) == 1, output
        assert squash(target.name) in squash(output) and "To fix it:" in output
    else:
        assert not case.heavy and len(reports) == 1
        report = json.loads(json.dumps(reports[0].to_dict(), default=str))  # what --json prints
        for name, sheet in report["sheets"].items():
            assert sheet["balanced"], (name, sheet)  # rows read = accepted + set aside + blank
        found = [(i["code"], i["sheet"], i["cell"]) for i in report["issues"]]
        for code_, sheet_, cell in case.issues:
            assert any(c == code_ and s == sheet_ and (cell is None or at == cell) for c, s, at in found), \
                f"{(code_, sheet_, cell)} not in {found}"
        for issue in report["issues"]:
            assert issue["message"].strip() and (issue["sheet"] or issue["code"] == "macros_not_run")

    assert snapshot(folder) == before, "an input was changed, created or removed"


def test_a_row_of_formulas_without_results_is_counted_and_set_aside(tmp_path: Path):
    """A reader sees such a row as blank; it must be counted, reported at each cell and set aside."""
    from pmreport.pipeline import load_school
    from tests.badinput.cases import formula_without_saved_result

    data, report = load_school(formula_without_saved_result(tmp_path))
    staff = report.stats["staff"]
    assert (staff.read, staff.blank) == (4, 0) and staff.balanced
    assert set(data.quarantine["staff"]["_row"]) >= {3, 5}
    cells = {i.cell for i in report.issues if i.code == "formula_no_value"}
    assert {"G3", "A5", "B5", "C5", "D5", "E5", "F5"} <= cells


def test_merged_cells_are_reported_not_filled(tmp_path: Path):
    from pmreport.pipeline import load_school
    from tests.badinput.cases import merged_cells_in_data

    data, report = load_school(merged_cells_in_data(tmp_path))
    assert report.stats["objectives"].balanced and report.stats["objectives"].read == 3
    assert 3 in set(data.quarantine["objectives"]["_row"])
    assert 2 in set(data.objectives["_row"]) or 2 in set(data.quarantine["objectives"]["_row"])


def test_the_reliability_doc_lists_every_case():
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    missing = [c.id for c in CASES if f"| `{c.id}` |" not in text]
    assert not missing, f"add these cases to the corpus table in docs/reliability.md: {missing}"
