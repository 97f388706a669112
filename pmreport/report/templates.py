"""The governors' report page (Jinja2, autoescaped) and its style sheet. Self-contained: no fonts,
scripts, styles or images are fetched from anywhere."""

from __future__ import annotations

CSS = """
:root { --ink: #1a1a1a; --muted: #4a4a4a; --rule: #8c8c8c; --head: #f0f0f0; --link: #0b57a4; }
* { box-sizing: border-box; }
html { font-size: 100%; }
body { margin: 0; color: var(--ink); background: #ffffff; line-height: 1.5;
       font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
.page { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
a { color: var(--link); }
a:focus, [tabindex]:focus { outline: 3px solid #E69F00; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #ffffff; padding: .5rem; }
.skip:focus { left: .5rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 .75rem; padding-top: .5rem; border-top: 4px solid #0072B2; }
h3 { font-size: 1.15rem; margin: 2rem 0 .25rem; }
.meta { margin: .1rem 0; color: var(--muted); }
.notice { border-left: 4px solid #0072B2; background: #f4f8fb; padding: .75rem 1rem; margin: 1rem 0; }
.intro { max-width: 48rem; }
.contents { list-style: none; padding-left: 0; }
.contents li { margin: .2rem 0; }
.description { margin: 0 0 .75rem; color: var(--muted); }
figure.chart { margin: .5rem 0 .75rem; }
figure.chart figcaption { font-size: .9rem; color: var(--muted); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: .25rem 0 .5rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; caption-side: top; }
th, td { border: 1px solid var(--rule); padding: .3rem .55rem; vertical-align: top; }
thead th { background: var(--head); text-align: left; font-weight: 600; }
tbody th { text-align: left; font-weight: normal; }
td { text-align: right; white-space: nowrap; }
thead th { overflow-wrap: normal; word-break: normal; hyphens: manual; }
td.text { text-align: left; white-space: normal; }
abbr { text-decoration: none; border-bottom: 1px dotted var(--muted); }
.footnotes { font-size: .85rem; color: var(--muted); margin: .25rem 0 0; padding-left: 1.1rem; }
.withheld { font-style: italic; }
.draft { border: 3px solid #D55E00; background: #fff4ec; padding: .75rem 1rem; margin: 0 0 1rem; }
.summary p { max-width: 48rem; }
.commentary { border-left: 4px solid #009E73; padding: .25rem 1rem; margin: 1rem 0; }
.commentary h4 { margin: .75rem 0 .25rem; }
.actions-heading { margin-bottom: .25rem; font-weight: 600; }
.nothing-shown { max-width: 48rem; font-style: italic; }
footer { margin-top: 3rem; font-size: .85rem; color: var(--muted); border-top: 1px solid var(--rule); padding-top: .75rem; }
@page { size: A4; margin: 15mm; }  /* the running head and page numbers: in the page's own <style> */
@media print {
  html, body { height: auto !important; }
  .modebar-container { display: none !important; }
  .skip { display: none; }
  .page { max-width: none; padding: 0; }
  main > section, nav { break-before: page; page-break-before: always; }
  article.table-block { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  .table-wrap { overflow: visible; }
  /* The tables are split into parts that fit the page at this size (pmreport/report/fit.py): none is clipped. */
  table { font-size: .8rem; }
  th, td { padding: .2rem .35rem; }
}
"""

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pmreport">
<title>{% if r.draft %}DRAFT: {% endif %}{{ r.title }}: {{ r.school.name }}, {{ r.cycle }}</title>
<style>{{ css }}
@page { @top-left { content: {{ running_head }}; font: 8pt Arial, "Liberation Sans", sans-serif; color: #4a4a4a; }
        @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 8pt Arial, "Liberation Sans", sans-serif; color: #4a4a4a; } }</style>
{% if plotly_js %}<script>{{ plotly_js }}</script>{% endif %}
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<div class="page">
<header>
{% if r.draft %}<p class="draft" role="alert"><strong>{{ r.draft.text }}</strong></p>
{% endif %}<h1>{% if r.draft %}DRAFT: {% endif %}{{ r.title }}</h1>
{% set where = [r.school.name, (phase ~ " school") if phase else "", r.school.local_authority] | select | join(", ") %}{% if where %}<p class="meta">{{ where }}</p>{% endif %}
<p class="meta">Performance management cycle {{ r.cycle }}. Report written {{ r.generated }}.</p>
<p class="notice">This report describes how the school's performance management policy worked in {{ r.cycle }}. As section 10 of the policy requires, it contains no information that would enable any individual to be identified: figures of what the school did for all its staff are shown exactly, and figures about small numbers of people's outcomes are given as a range (&ldquo;5 or fewer&rdquo;) or replaced by <abbr title="{{ r.symbols.c }}">[c]</abbr>. Section 7 explains the method and the symbols.</p>
{% if left_out_text %}<p class="notice left-out" role="note"><strong>Not in this report.</strong> {{ left_out_text }}</p>
{% endif %}</header>
{% if r.summary or r.commentary %}<section id="summary" class="summary" aria-labelledby="summary-heading">
<h2 id="summary-heading">{{ summary_heading }}</h2>
{% for part in r.summary %}<p><strong>{{ part.heading }}.</strong> {% for s in part.sentences %}{{ s.text }} {% endfor %}</p>
{% endfor %}{% if r.commentary %}<div class="commentary">
<h3>{{ commentary_heading }}</h3>
{% for c in r.commentary %}<h4>{{ c.heading }}</h4>
{% for p in c.commentary %}<p>{{ p }}</p>
{% endfor %}{% if c.actions %}<p class="actions-heading">Planned actions:</p>
<ul class="actions">
{% for a in c.actions %}<li>{{ a }}</li>
{% endfor %}</ul>
{% endif %}{% endfor %}</div>
{% endif %}</section>
{% endif %}<nav aria-labelledby="contents">
<h2 id="contents">Contents</h2>
<ul class="contents">
{% for s in r.sections %}<li><a href="#{{ s.id }}">{{ s.heading }}</a></li>
{% endfor %}<li><a href="#method">{{ method_heading }}</a></li>
</ul>
</nav>
<main id="main">
{% for v in views %}{% set s = v.section %}
<section id="{{ s.id }}" aria-labelledby="{{ s.id }}-heading">
<h2 id="{{ s.id }}-heading">{{ s.heading }}</h2>
<p class="intro">{{ s.intro }}</p>
{% if v.nothing %}<p class="nothing-shown">{{ v.nothing }}</p>
{% endif %}{% for t, parts in v.tables %}
<article class="table-block" id="{{ t.id }}" aria-labelledby="{{ t.id }}-heading">
<h3 id="{{ t.id }}-heading">{{ t.title }}</h3>
<p class="description">{{ t.description }}</p>
{% if charts[t.id] %}
<figure class="chart" aria-describedby="{{ t.id }}-table">
<div role="img" aria-label="{{ alts[t.id] }}">{{ charts[t.id] }}</div>
<figcaption>Chart of the figures in the table below. Hidden figures are not drawn.</figcaption>
</figure>
{% endif %}
{% for p in parts %}
<div class="table-wrap">
<table id="{{ t.id }}-table{% if not loop.first %}-{{ loop.index }}{% endif %}">
<caption>{{ t.title }}{% if p.part %} ({{ p.part }}){% endif %}</caption>
<thead><tr><th scope="col">{{ t.row_header or "Staff" }}</th>{% for c in p.columns %}<th scope="col">{{ c.label }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in p.rows %}<tr><th scope="row">{{ row.label }}</th>{% for cell in row.cells %}<td>{% if cell.symbol %}<abbr title="{{ r.symbols[cell.symbol] }}">{{ cell.text }}</abbr>{% else %}{{ cell.text }}{% endif %}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
</div>
{% endfor %}
{% if t.footnotes %}<ul class="footnotes">
{% for f in t.footnotes %}<li>{{ f }}</li>
{% endfor %}</ul>{% endif %}
</article>
{% endfor %}
</section>
{% endfor %}
<section id="method" aria-labelledby="method-heading">
<h2 id="method-heading">{{ method_heading }}</h2>
<p>{{ r.method }}</p>
<table>
<caption>Symbols used in the tables</caption>
<thead><tr><th scope="col">Symbol</th><th scope="col">Meaning</th></tr></thead>
<tbody>
{% for s, meaning in r.symbols.items() %}<tr><th scope="row">[{{ s }}]</th><td class="text">{{ meaning }}</td></tr>
{% endfor %}</tbody>
</table>
<p>Disclosure audit: {% if r.audit.passed %}passed{% else %}failed{% endif %}. {{ r.audit.tables_checked }} tables and {{ r.audit.hidden_cells }} hidden figures were checked together; none of the hidden figures, and nobody's outcome, could be worked out from what is published.</p>
</section>
</main>
<footer>Written by pmreport from the school's performance management records. The figures are for the governing body's monitoring of the policy (section 10).</footer>
</div>
</body>
</html>
"""
