"""Which columns may ever reach a governor or a union, and which may not.

Names, staff ids and other direct identifiers, free text and individual dates are refused
outright, as an outcome, a breakdown or a population filter. A population is never filtered on a
protected characteristic: that would be a breakdown by it, and with ``by=`` a cross-tabulation.
"""

from __future__ import annotations

from pmreport.disclosure.microdata import Microdata
from pmreport.disclosure.policy import DisclosurePolicy
from pmreport.disclosure.query import Query
from pmreport.disclosure.refusals import DisclosureRefused

REFUSED = ("direct_identifier", "free_text")


def refusal(md: Microdata, column: str) -> str | None:
    """Why ``column`` may not be published (``None`` when it may)."""
    if column not in md.frame.columns:
        return f"the data has no column {column!r}"
    sensitivity, is_date = md.column_sensitivity(column)
    if sensitivity == "direct_identifier":
        return f"{column!r} identifies people directly (a name or reference)"
    if sensitivity == "free_text":
        return f"{column!r} is free text"
    if is_date:
        return f"{column!r} holds individual dates"
    return None


def query_problems(md: Microdata, query: Query, policy: DisclosurePolicy) -> list[tuple[str, str]]:
    """Every reason the policy forbids ``query``, as (finding code, message) pairs."""
    problems = []
    for column in query.columns:
        why = refusal(md, column)
        if why:
            problems.append(("refused_column", f"A table may not be built on {why}."))
    filtered = [c for c in query.population.columns if c in policy.characteristics
                or md.column_sensitivity(c)[0] == "special_category"]
    if filtered:
        problems.append(("cross_tabulation", f"The population is filtered on {', '.join(filtered)}: a protected "
                         "characteristic may only be used as the one breakdown of a table (by=)."))
    if query.by is not None and query.by == query.outcome:
        problems.append(("cross_tabulation", "A table cannot be broken down by its own outcome."))
    return problems


def check_query(md: Microdata, query: Query, policy: DisclosurePolicy) -> None:
    """Raise :class:`DisclosureRefused` when the policy forbids ``query``."""
    problems = query_problems(md, query, policy)
    if problems:
        raise DisclosureRefused(problems[0][1], "Only counts, rates and averages of outcomes, by at most one "
                                "characteristic, can be published.")
