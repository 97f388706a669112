"""The compliance summary as a rich table for the terminal: counts and rates, nobody named."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from pmreport.compliance.outcomes import Outcome
from pmreport.compliance.results import ComplianceResult
from pmreport.compliance.scope import SCOPE_REASONS


def _cell(count: int, rate: float | None) -> str:
    return f"{count}" if rate is None else f"{count} ({rate:.0%})"


def scope_line(result: ComplianceResult) -> str:
    s = result.scope
    out = [f"{s['staff']} staff, {s['in_scope']} in scope."]
    excluded = [f"{n} {SCOPE_REASONS[code].split(' (')[0]}" for code, n in s["out_of_scope_by_reason"].items() if n]
    if excluded:
        out.append("Out of scope: " + "; ".join(excluded) + ".")
    if s["long_absence_noted"]:
        out.append(f"Long absence (over {s['long_absence_days_over']} days) noted for {s['long_absence_noted']} (§4.4).")
    return " ".join(out)


def summary_table(result: ComplianceResult, school_name: str | None = None) -> Group:
    """A heading, the scope line and one table row per rule."""
    title = f"Performance management policy checks, {result.cycle}"
    if school_name:
        title += f" — {school_name}"
    table = Table(title=title, box=box.SIMPLE_HEAD, header_style="bold", title_justify="left", pad_edge=False)
    table.add_column("Rule", min_width=20, ratio=1)
    table.add_column("Policy", max_width=10)
    table.add_column("Checked", justify="right")
    table.add_column("Met", justify="right", style="green")
    table.add_column(Outcome.BREACHED.label, justify="right", style="red")
    table.add_column("Not\nrecorded", justify="right", style="yellow")
    for r in result.requirements:
        c, rt = result.counts(r.id), result.rates(r.id)
        name = r.title
        if c["in_scope"] == 0:
            table.add_row(name, r.citation, "0", "–", "–", "–")
            continue
        table.add_row(
            name, r.citation, str(c["in_scope"]), _cell(c["met"], rt["met_rate"]),
            _cell(c["breached"], rt["breached_rate"]), _cell(c["not_recorded"], rt["not_recorded_rate"]),
        )
    note = Text(
        "'Not recorded' means a date or answer the rule needs is blank: it is never counted as a pass. "
        "Add --exceptions-out FILE.xlsx for the named list (confidential: for the headteacher only).",
        style="dim",
    )
    return Group(Text(scope_line(result)), table, *worth_a_look_lines(result), note)


def worth_a_look_lines(result: ComplianceResult) -> list[Text]:
    """The workload indicators, each with its source: worth a look, never counted as breaches of the policy."""
    if not result.indicators:
        return []
    lines = [Text("Worth a look (workload indicators, not breaches of the policy):", style="bold")]
    for r in result.indicators:
        c = result.counts(r.id)
        name = r.title.replace(" (workload flag)", "")
        units = {"person": "people"}.get(r.unit, r.unit + "s")
        lines.append(Text(f"  {name}: {c['breached']} of {c['in_scope']} {units} checked (source: {r.source})."))
    return lines
