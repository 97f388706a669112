"""The report's charts are plotly's JSON form, built without plotly's (slow) Figure objects: this checks
that plotly itself accepts every one, and that a chart draws only what its table publishes."""

from __future__ import annotations

import pytest

from pmreport.jobs import governors_content
from pmreport.report import publish
from pmreport.report.charts import figure
from pmreport.synth import Effects, generate


@pytest.fixture(scope="module")
def report():
    school = generate("secondary", seed=7, n_staff=90, cycles=2, effects=Effects.all_breaches(0.05))
    return publish(governors_content(school.data))


def _charted(report):
    return [t for s in report["sections"] for t in s["tables"] if t["chart"]["type"] != "none"]


def test_every_chart_is_a_valid_plotly_figure(report):
    import plotly.graph_objects as go

    tables = _charted(report)
    assert tables
    for table in tables:
        spec = figure(table)
        go.Figure(spec)  # raises ValueError on any property plotly does not know or a wrong value


def test_a_chart_never_draws_a_hidden_figure(report):
    checked = 0
    for table in _charted(report):
        spec = figure(table)
        kind = table["chart"]["type"]
        if kind == "line":
            continue
        labels = [c["label"] for c in table["columns"]]
        cols = ([labels.index(table["chart"]["value_column"])] if kind == "bar"
                else [i for i, c in enumerate(table["columns"]) if c["kind"] == "count"])
        assert [t["name"] for t in spec["data"]] == [labels[i] for i in cols]
        for trace, c in zip(spec["data"], cols, strict=True):
            for row, x in zip(table["rows"], trace["x"], strict=True):
                cell = row["cells"][c]
                if "value" not in cell:  # hidden ([c]) or published as a band ("5 or fewer")
                    assert x is None, (table["title"], row["label"])  # a gap, never a zero nor a guess in a band
                    checked += 1
                else:
                    assert x == cell["value"]
    assert checked > 0  # the school has hidden figures in its charts, so the test means something
