"""The union store's version and its views for the common questions (made by ``pmreport union ingest``).

``store_info`` holds the store's schema version (:data:`STORE_VERSION`), the return format the
pmreport that last loaded returns into it reads, and that pmreport's version. A store made by an earlier pmreport is upgraded when it is next opened for loading
(new tables and columns added, the views made again); a store made by a later pmreport is refused,
with a message, rather than written in a layout this version does not know.

The views answer the questions an analyst asks most, with each characteristic at one level of detail
for everyone, as the report analyses it (a plain ``GROUP BY`` over returns of different detail gives
wrong answers). They run outside the disclosure gate: see ``docs/union-store.md``.
"""

from __future__ import annotations

from typing import Any

from pmreport.union.equality_sheet import ETHNIC_GROUPS, OVER_50, PART_TIME, TEACHING, UNDER_50
from pmreport.union.return_schema import RETURN_FORMAT

#: The store's layout. 1: tables only (before this module); 2: the equality table, ``store_info`` and the views.
STORE_VERSION = 2


def _in(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _age(column: str) -> str:
    return (f"CASE WHEN {column} IN ({_in(UNDER_50)}) THEN 'under_50' "
            f"WHEN {column} IN ({_in(OVER_50)}) THEN '50_and_over' ELSE {column} END")


def _ethnic(column: str) -> str:
    whens = " ".join(f"WHEN {column} = '{code}' THEN '{group}'" for code, group in ETHNIC_GROUPS.items())
    return f"CASE {whens} ELSE {column} END"


#: name -> (one row per, what it answers, SQL)
VIEWS: dict[str, tuple[str, str, str]] = {
    "pay_by_characteristic": (
        "school, cycle, characteristic, value, role group and working pattern",
        "The equality tables with values at the level analysed (age under 50 / 50 and over; ethnic groups White, "
        "Mixed, Asian, Black, Other). Sum `pay_decisions` and `progressed` over schools for a share; compare "
        "within schools for a gap.",
        "SELECT cycle, urn, local_authority, phase, size_band, characteristic, "
        f"CASE characteristic WHEN 'age_band' THEN {_age('value')} WHEN 'ethnicity_group' THEN {_ethnic('value')} "
        "ELSE value END AS value, role_group, working_pattern, staff, in_scope, pay_decisions, progressed "
        "FROM equality"),
    "people_analysed": (
        "member of staff per cycle",
        "The people table with characteristics at one level for everyone (age, ethnic group, working pattern) and "
        "the flags the report uses: `teacher`, `pay_decided`, `progressed`.",
        "SELECT cycle, urn, local_authority, phase, size_band, person, role_group, "
        f"role_group IN ({_in(TEACHING)}) AS teacher, sex, {_age('age_band')} AS age_band, "
        f"{_ethnic('ethnicity_group')} AS ethnicity_group, "
        f"CASE WHEN fte_band = 'full_time' THEN 'full_time' WHEN fte_band IN ({_in(PART_TIME)}) THEN 'part_time' "
        "ELSE fte_band END AS working_pattern, disability, pregnancy_maternity, in_scope, "
        "pay_eligible = 'yes' AND pay_decision IN ('progress', 'no_progress') AS pay_decided, "
        "pay_decision = 'progress' AS progressed, objectives, pm_observation_minutes, rule_deadline "
        "FROM people"),
    "school_summary": (
        "school per cycle",
        "Each school's totals: staff, staff in scope, pay decisions and progressions, reviews by the deadline, "
        "objectives set.",
        "SELECT s.cycle, s.urn, s.local_authority, s.phase, s.size_band, s.staff, "
        "count(p.person) AS people_rows, "
        "count(*) FILTER (WHERE p.in_scope = 'yes') AS in_scope, "
        "count(*) FILTER (WHERE p.pay_eligible = 'yes' AND p.pay_decision IN ('progress', 'no_progress')) "
        "AS pay_decisions, "
        "count(*) FILTER (WHERE p.pay_eligible = 'yes' AND p.pay_decision = 'progress') AS progressed, "
        "count(*) FILTER (WHERE p.rule_deadline = 'met') AS deadline_met, "
        "count(*) FILTER (WHERE p.rule_deadline = 'breached') AS deadline_breached, "
        "coalesce(sum(p.objectives), 0) AS objectives "
        "FROM schools s LEFT JOIN people p ON p.return_id = s.return_id "
        "GROUP BY s.cycle, s.urn, s.local_authority, s.phase, s.size_band, s.staff"),
    "compliance_by_rule": (
        "cycle, phase and rule",
        "Each rule's units met, breached, not recorded and not applicable, summed over schools, and the schools "
        "behind them.",
        "SELECT cycle, phase, rule, count(DISTINCT urn) AS schools, sum(units) AS units, sum(met) AS met, "
        "sum(breached) AS breached, sum(not_recorded) AS not_recorded, sum(not_applicable) AS not_applicable "
        "FROM compliance GROUP BY cycle, phase, rule"),
    "current_returns": (
        "return whose rows are in the tables",
        "The returns held now (one per school and cycle), with when each was made and loaded.",
        "SELECT return_id, file, urn, cycle, made_at, ingested_at, rows FROM returns WHERE status = 'current'"),
}


def stored_version(con: Any) -> int:
    """The store's schema version (1 for a store made before versions were kept; 0 for a new, empty file)."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "store_info" in tables:
        row = con.execute("SELECT value FROM store_info WHERE key = 'store_version'").fetchone()
        return int(row[0]) if row else 1
    return 1 if "people" in tables else 0


def refuse_newer(con: Any, path: Any) -> None:
    """Stop, with a message, when the store was made by a later pmreport than this one."""
    version = stored_version(con)
    if version > STORE_VERSION:
        from pmreport.errors import InputUnusable

        raise InputUnusable(f"The union store {path} was made by a later version of pmreport (store version {version}; "
                            f"this one knows up to {STORE_VERSION}), so it was not opened.",
                            "Use the version of pmreport that made it, or a later one.")


def create_views(con: Any) -> None:
    """Record the store's version and (re)make the views. Run after the tables exist, in a writable store."""
    from pmreport import __version__

    con.execute("CREATE TABLE IF NOT EXISTS store_info (key VARCHAR PRIMARY KEY, value VARCHAR)")
    info = {"store_version": str(STORE_VERSION), "return_format": str(RETURN_FORMAT), "pmreport_version": __version__}
    for key, value in info.items():
        con.execute("INSERT OR REPLACE INTO store_info VALUES (?, ?)", [key, value])
    for name, (_, _, sql) in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
