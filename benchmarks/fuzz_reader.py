"""The long fuzz run of pmreport's reader and normaliser (issue 10); its result is in docs/reliability.md.

    .venv/bin/python benchmarks/fuzz_reader.py --minutes 20 --out fuzz-result.json

Runs the hypothesis strategies of tests/badinput/fuzz.py round-robin until the time is up, each
example under a 60-second alarm, and counts: examples tried; inputs read (valid, or with data
errors reported); inputs refused with a clear message; crashes (any other exception); broken
invariants (rows not accounted for, the scan smaller than what was read); hangs; inputs changed.
A crashing or offending input is saved under --keep for reproduction. atheris is not used (it is
not installed); hypothesis generates the inputs. Exit code 0 when crashes, hangs, broken
invariants and changed inputs are all 0.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import os
import platform
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.badinput import fuzz  # noqa: E402

EXAMPLE_TIMEOUT_S = 60
BATCH = 25


class Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Hang(f"an example took more than {EXAMPLE_TIMEOUT_S} s")


def _normalise_target(args: tuple) -> str:
    from pmreport.normalise import parse_value
    from pmreport.validation.catalogue import ISSUES
    from pmreport.validation.sheet_parsing import typed_series

    f, value, percent = args
    parsed, problem = parse_value(value, f, percent_header=percent)
    assert problem is None or (problem in ISSUES and parsed is None), (problem, parsed)
    typed_series([parsed], f.type)
    return "problem" if problem else "parsed"


def targets(work: Path) -> list[tuple[str, Any, Callable[[Any], str]]]:
    from pmreport.schema import load_schemas

    fields = [f for s in load_schemas().values() for f in s.fields]
    base = fuzz.minimal_workbook_bytes(work / "base")
    return [
        ("normaliser: any value, any field", st.tuples(st.sampled_from(fields), fuzz.cell_values, st.booleans()), _normalise_target),
        ("CSV folder: random staff.csv (headers, values, delimiters, encodings, bytes)", fuzz.csv_schools(),
         lambda files: fuzz.check_csv_school(files, Path(tempfile.mkdtemp(dir=work)) / "csv")),
        ("workbook: random headers and cells", fuzz.staff_grids(),
         lambda grid: fuzz.check_staff_grid(grid, Path(tempfile.mkdtemp(dir=work)))),
        ("workbook: random sheet XML (refs, formulas, errors, prefixes, merges)", fuzz.sheet_xmls(),
         lambda xml: fuzz.check_sheet_xml(xml, Path(tempfile.mkdtemp(dir=work)))),
        ("workbook: damaged bytes (flips, cuts, insertions)", fuzz.mutations,
         lambda edits: fuzz.check_mutated_workbook(base, edits, Path(tempfile.mkdtemp(dir=work)))),
    ]


def run(minutes: float, keep: Path, rng_seed: int) -> dict[str, Any]:
    import shutil

    signal.signal(signal.SIGALRM, _alarm)
    rng = random.Random(rng_seed)
    deadline = time.monotonic() + minutes * 60
    counts: dict[str, Counter] = {}
    started = time.monotonic()
    keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pmreport-fuzz-") as tmp:
        work = Path(tmp)
        todo = targets(work)
        while time.monotonic() < deadline:
            for name, strategy, check in todo:
                if time.monotonic() >= deadline:
                    break
                tally = counts.setdefault(name, Counter())
                batch = BATCH * 20 if name.startswith("normaliser") else BATCH  # it is cheap
                one = _batch(strategy, check, name, tally, keep, deadline, rng.getrandbits(64), batch)
                one()
                for p in work.iterdir():
                    if p.name != "base":
                        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink()
    total = sum((c for c in counts.values()), Counter())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "minutes": round((time.monotonic() - started) / 60, 1),
        "seed": rng_seed,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "totals": {k: total.get(k, 0) for k in ("tried", "crashes", "broken invariants", "hangs", "inputs changed")},
        "outcomes": {k: v for k, v in sorted(total.items()) if k not in ("tried",)},
        "by_target": {name: dict(sorted(c.items())) for name, c in counts.items()},
    }


def _batch(strategy: Any, check: Callable[[Any], str], name: str, tally: Counter, keep: Path, deadline: float,
           batch_seed: int, examples: int) -> Callable[[], None]:
    """A hypothesis run of ``examples`` examples of one target that records every outcome and never stops early."""

    @seed(batch_seed)
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(drawn=strategy)
    def one(drawn: Any) -> None:
        if time.monotonic() >= deadline:
            return
        tally["tried"] += 1
        signal.alarm(EXAMPLE_TIMEOUT_S)
        # If the alarm cannot interrupt (stuck inside C code), at least show where.
        faulthandler.dump_traceback_later(EXAMPLE_TIMEOUT_S * 2, exit=False)
        try:
            tally[check(drawn)] += 1
        except Hang:
            tally["hangs"] += 1
            _keep(keep, name, drawn, "hang")
        except AssertionError as exc:
            kind = "inputs changed" if "input changed" in str(exc) else "broken invariants"
            tally[kind] += 1
            _keep(keep, name, drawn, f"{kind}: {exc}")
        except Exception:  # noqa: BLE001 - a crash: recorded, and the run goes on
            tally["crashes"] += 1
            _keep(keep, name, drawn, traceback.format_exc())
        finally:
            signal.alarm(0)
            faulthandler.cancel_dump_traceback_later()

    return one


def _keep(folder: Path, target: str, drawn: Any, why: str) -> None:
    n = len(list(folder.glob("*.txt")))
    (folder / f"{n:04d}.txt").write_text(f"{target}\n{why}\n\n{drawn!r}\n"[:200_000], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, help="also write the result as JSON here")
    parser.add_argument("--keep", type=Path, default=Path("fuzz-findings"), help="folder for inputs that crashed or hung")
    args = parser.parse_args(argv)
    result = run(args.minutes, args.keep, args.seed)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    bad = sum(result["totals"][k] for k in ("crashes", "broken invariants", "hangs", "inputs changed"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
