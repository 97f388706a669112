"""Golden files: what `report`, `check --json` and `moderate` give for the three bundled samples, stored
under tests/golden/ so that a redesign can prove the behaviour unchanged, byte for byte.

    python -m tests.support.golden          # rewrite tests/golden/ (only for an intended change: say so)

The run date is fixed (``--as-of``), so nothing depends on the day the tests run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

from pmreport.cli import app
from pmreport.samples import SAMPLE_DIR

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
SAMPLES = ("primary", "secondary", "secondary_messy")
AS_OF = "15/01/2027"
FILES = ("report.json", "check.json", "moderation.json")


def produce(sample: str, work: Path) -> dict[str, bytes]:
    """The three outputs for ``sample``, made with the CLI in this process."""
    source = str(SAMPLE_DIR / f"{sample}.xlsx")
    runner = CliRunner()
    report = runner.invoke(app, ["report", source, "--out", str(work / "report"), "--no-pdf", "--no-word-charts",
                                 "--no-dashboard", "--as-of", AS_OF])
    assert report.exit_code in (0, 1), report.output
    check = runner.invoke(app, ["check", source, "--json", "--as-of", AS_OF])
    assert check.exit_code in (0, 1), check.output
    moderate = runner.invoke(app, ["moderate", source, "--out", str(work / "moderation"), "--as-of", AS_OF])
    assert moderate.exit_code in (0, 1), moderate.output
    return {"report.json": (work / "report" / "governors" / "report.json").read_bytes(),
            "check.json": check.stdout.encode("utf-8"),
            "moderation.json": (work / "moderation" / "moderation.json").read_bytes()}


def main() -> int:
    import tempfile

    for sample in SAMPLES:
        with tempfile.TemporaryDirectory() as work:
            for name, content in produce(sample, Path(work)).items():
                target = GOLDEN / sample / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
