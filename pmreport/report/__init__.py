"""The headteacher's annual report to governors (policy §10), anonymised and proven so.

    from pmreport.report import build_content, publish, write_report
    content = build_content(data, cycle="2025/26")   # every table from ONE disclosure gate
    report = publish(content)                         # gate.publish(): the audit, or DisclosureRisk
    write_report(data, out_dir)                       # governors/ and head_confidential/, atomically

See docs/disclosure.md for the disclosure control and report.json's shape in content.py.
"""

from __future__ import annotations

from pmreport.report.content import ReportContent, build_content, publish

__all__ = ["ReportContent", "build_content", "publish"]
