"""The headteacher's annual report to governors (policy §10), anonymised and proven so.

    from pmreport import jobs
    content = jobs.governors_content(data, cycle="2025/26")  # the rules checked, then every table made by ONE gate
    report = publish(content)                                # gate.publish(): the audit of all of them, or DisclosureRisk
    jobs.write_governors_report(data, "out")                 # out/governors/ and out/head_confidential/, atomically

This package renders what the analyses give it: :func:`build_content` takes the policy's rules
already checked (``compliance``), :func:`pmreport.report.writer.write_report` takes moderation and
the dashboard's renderer; :mod:`pmreport.jobs` runs the analyses and calls them. Modules: ``content``
(the sections, through the gate; the person-level measures it joins to the gate's microdata are
:mod:`pmreport.disclosure.person_measures`), ``summary`` and ``commentary`` (page 1), ``words``
(headings, introductions, dates), ``charts`` (which chart suits a table, and its plotly figure),
``fit`` (tables split to fit the page), ``html`` + ``templates``, ``docx``, ``pdf``, ``head_pack``
(the head's confidential workbook) and ``writer`` (audit first, render into a temporary folder,
then move into place).

``report`` (report.json, the hand-over to the governors' dashboard)::

    {"title", "draft": null | {"rows_left_out": {sheet: rows}, "total", "text"},
     "left_out": [{"analysis", "sheet", "field", "left_out", "why", "whole"}],
     "school": {"name", "phase", "local_authority"}, "cycle", "cycles", "generated",
     "policy", "symbols": {"c", "u", "low", "x", "z"},
     "summary": [{"section", "heading", "sentences": [{"text", "figures": [{"table", "row", "column", "value"}]}]}],
     "sections": [{"id", "heading", "intro",
                   "tables": [{"id", "cycle", "staff_group", "chart": {"type", "value_column"},
                               ...every key of SafeTable.to_public_dict()}]}],
     "method", "audit": {"passed", "tables_checked", "hidden_cells"}}

Each cell is ``{"value", "text", "shown"}``, ``{"symbol", "text", "shown"}`` or, for a count that cannot be
shown exactly, its band ``{"low", "high", "text", "shown": "interval"}`` ("5 or fewer", "at least 20"; beside
it a percentage column gives the band of percentages in the same form, ``low`` and ``high`` in per cent: "up to
5%", "95% or more") (``shown``: exact, interval, hidden or none), with ``"process": true`` on a whole-school process figure
published exactly. ``summary``
(page 1, :mod:`pmreport.report.summary`) quotes only published figures, exactly or as their band, each referenced. ``draft`` is set
when validation set rows aside: every governors' file then says DRAFT and which rows were left out.
``left_out`` lists what the report could not make from the workbook (a column only some tables need is
missing, or no row of a sheet could be used), in pmreport's own sheet and column names
(:meth:`pmreport.validation.left_out.LeftOut.public_dict`); the report says it in a sentence under its
opening notice. ``chart`` is explained in :mod:`pmreport.report.charts`. Only ``generated`` differs between two
runs on the same input.
"""

from __future__ import annotations

from pmreport.report.content import ReportContent, build_content, publish

__all__ = ["ReportContent", "build_content", "publish"]
