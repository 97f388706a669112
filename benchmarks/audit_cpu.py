"""CPU seconds of one `pmreport report FILE --out DIR --no-pdf`, run in this process, and of its disclosure audit.

    python benchmarks/audit_cpu.py pmreport/sample_data/secondary.xlsx
    python benchmarks/audit_cpu.py /tmp/s400.xlsx --out /tmp/s400-report

CPU time (``time.process_time``: user and system time of this process) rather than wall time, so a busy
machine changes the figures less. Printed: the whole run's CPU seconds (importing the libraries included),
the CPU seconds spent inside the disclosure audit (every call of ``audit``: the gate's checks of each new
table and the final full audit), how many audits were run, how many times the integer solver ran (and how
many of those were in the final full audit, where the colleague's attack is checked), and peak memory. The report's outputs are written to ``--out`` (a temporary folder by default) as usual.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time

START = time.process_time()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook")
    parser.add_argument("--out", help="folder for the report (default: a temporary folder)")
    args = parser.parse_args()

    import pmreport.disclosure.audit  # noqa: F401  (the package exports a function of the same name)
    import pmreport.disclosure.gate  # noqa: F401
    import pmreport.disclosure.solver  # noqa: F401

    audit_module = sys.modules["pmreport.disclosure.audit"]
    gate_module = sys.modules["pmreport.disclosure.gate"]
    solver = sys.modules["pmreport.disclosure.solver"]
    counts = {"audits": 0, "audit_cpu": 0.0, "solver_calls": 0, "in_final_audit": 0}
    final = [False]

    minimise = solver.Block.minimise

    def counted_minimise(self, objective, lower):  # type: ignore[no-untyped-def]
        before = self.solves
        try:
            return minimise(self, objective, lower)
        finally:
            counts["solver_calls"] += self.solves - before
            if final[0]:
                counts["in_final_audit"] += self.solves - before

    audit = audit_module.audit

    def timed_audit(*a, **k):  # type: ignore[no-untyped-def]
        counts["audits"] += 1
        started = time.process_time()
        try:
            return audit(*a, **k)
        finally:
            counts["audit_cpu"] += time.process_time() - started

    check = gate_module.DisclosureGate.check

    def marked_check(self):  # type: ignore[no-untyped-def]
        final[0] = True
        try:
            return check(self)
        finally:
            final[0] = False

    solver.Block.minimise = counted_minimise
    gate_module.DisclosureGate.check = marked_check
    audit_module.audit = gate_module.audit = timed_audit

    from pmreport.cli import main as cli

    out = args.out or tempfile.mkdtemp(prefix="audit-cpu-")
    sys.argv = ["pmreport", "report", args.workbook, "--out", out, "--no-pdf"]
    code = 0
    try:
        cli()
    except SystemExit as exc:
        code = int(exc.code or 0)
    print(json.dumps({"workbook": args.workbook, "exit": code, "cpu_s": round(time.process_time() - START, 2),
                      "audit_cpu_s": round(counts["audit_cpu"], 2), "audits": counts["audits"],
                      "solver_calls": counts["solver_calls"], "of_which_final_audit": counts["in_final_audit"],
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


if __name__ == "__main__":
    main()
