/* pmreport governors' dashboard: draws the panels from the JSON payload in #dashboard-data.
   Every piece of text from the report goes into the page with textContent (never as HTML), and
   into plotly escaped, because plotly reads a few HTML-like tags in labels. Hidden figures ([c])
   have no value in the payload; charts leave them as gaps and mark them with their symbol. */
(function () {
  'use strict';

  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
  var PATTERNS = ['', '/', '.', 'x', '\\', '+', '-', '|'];
  var DASHES = ['solid', 'dash', 'dot', 'dashdot'];
  /* Every series its own look: a colour, then (past eight series) a hatching or a dash as well. */
  function colourOf(n) { return PALETTE[n % PALETTE.length]; }
  function patternOf(n) { return PATTERNS[(n + Math.floor(n / PALETTE.length)) % PATTERNS.length]; }
  function dashOf(n) { return DASHES[Math.floor(n / PALETTE.length) % DASHES.length]; }
  var GROUPS = {all: 'all staff', teachers: 'teachers', support: 'support staff'};
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  /* plotly.js 4 adds a "Share chart" button that sends a chart to Plotly Cloud: never, from this page. */
  var CONFIG = {
    displaylogo: false, responsive: true, scrollZoom: false, showSendToCloud: false, plotlyServerURL: '',
    showEditInChartStudio: false, showLink: false,
    modeBarButtonsToRemove: ['sendChartToCloud', 'zoom2d', 'pan2d', 'select2d', 'lasso2d', 'zoomIn2d', 'zoomOut2d',
      'autoScale2d', 'resetScale2d'],
    toImageButtonOptions: {format: 'png', filename: 'governors-dashboard-chart', scale: 2}
  };

  var data = JSON.parse(document.getElementById('dashboard-data').textContent);
  var cycleSelect = document.getElementById('cycle-filter');
  var groupSelect = document.getElementById('group-filter');
  var tilesBox = document.getElementById('tiles');
  var sectionsBox = document.getElementById('sections');
  var glanceBox = document.getElementById('glance');
  var statusLine = document.getElementById('status');
  var plots = [];
  var renders = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function plain(text) {
    return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  function wrapLabel(text, width) {
    var words = String(text).split(/\s+/), lines = [], line = '';
    words.forEach(function (word) {
      if (line && (line + ' ' + word).length > width) { lines.push(line); line = word; } else { line = line ? line + ' ' + word : word; }
    });
    if (line) { lines.push(line); }
    return lines.map(plain).join('<br>');
  }

  function isCycle(cycle) { return data.cycles.indexOf(cycle) >= 0; }
  function slug(cycle) { return String(cycle).replace(/\//g, '-'); }
  function charted(table) { return table.chart.type !== 'none' && table.rows.length > 0; }
  /* "2024/25: Met (%)" -> ["2024/25", "Met (%)"]; null for a label without a cycle in front */
  function cyclePart(label) {
    var k = label.indexOf(': ');
    return k > 0 && isCycle(label.slice(0, k)) ? [label.slice(0, k), label.slice(k + 2)] : null;
  }
  /* A table comparing cycles (its columns are "<cycle>: ...") is shown for its cycle and every later one. */
  function isTrend(table) { return table.columns.some(function (c) { return cyclePart(c.label) !== null; }); }
  function forCycle(table, cycle) {
    if (!isCycle(table.cycle)) { return true; }
    if (isTrend(table)) { return data.cycles.indexOf(table.cycle) <= data.cycles.indexOf(cycle); }
    return table.cycle === cycle;
  }
  function shown(table, cycle, group) { return table.staff_group === group && forCycle(table, cycle); }
  function own(map, key) { return map && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : ''; }
  function citation(label) { return own(data.citations, label); }
  function withCitation(label) { return citation(label) ? label + ' (' + citation(label) + ')' : label; }
  function columnIndex(table, label) {
    for (var j = 0; j < table.columns.length; j += 1) { if (table.columns[j].label === label) { return j; } }
    return -1;
  }
  function meaning(table, symbol) {
    return own(table && table.symbols, symbol) || own(data.symbols, symbol) || 'see the key to the symbols';
  }
  /* a cell with no exact figure: a symbol, or a range in place of a count ("5 or fewer") */
  function notExact(cell) { return Boolean(cell.symbol) || typeof cell.value !== 'number'; }
  function valueOf(cell) { return notExact(cell) ? null : cell.value; }

  function cellNode(tag, table, cell) {
    var node = el(tag, 'num');
    if (cell.symbol) {
      node.className = 'num sym';
      node.setAttribute('data-symbol', cell.symbol);
      var abbr = el('abbr', null, cell.text);
      abbr.title = meaning(table, cell.symbol);
      node.appendChild(abbr);
    } else {
      node.textContent = cell.text;
    }
    return node;
  }

  /* ---- the table beside each chart ---- */
  function tableNode(table, captionId) {
    var wrap = el('div', 'table-wrap');
    wrap.tabIndex = 0;
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-labelledby', captionId);
    var tbl = el('table', 'figures');
    var caption = el('caption', null, 'Figures: ' + table.title);
    caption.id = captionId;
    tbl.appendChild(caption);
    var head = el('thead'), tr = el('tr');
    var corner = el('th', null, table.row_header || '');
    corner.scope = 'col';
    if (!table.row_header) { corner.appendChild(el('span', 'visually-hidden', 'Group')); }
    tr.appendChild(corner);
    table.columns.forEach(function (column) {
      var th = el('th', 'num', column.label);
      th.scope = 'col';
      tr.appendChild(th);
    });
    head.appendChild(tr);
    tbl.appendChild(head);
    var body = el('tbody');
    table.rows.forEach(function (row) {
      var r = el('tr'), th = el('th', null, row.label);
      th.scope = 'row';
      if (citation(row.label)) { th.appendChild(el('span', 'cite', 'Policy ' + citation(row.label))); }
      r.appendChild(th);
      row.cells.forEach(function (cell) { r.appendChild(cellNode('td', table, cell)); });
      body.appendChild(r);
    });
    tbl.appendChild(body);
    wrap.appendChild(tbl);
    return wrap;
  }

  /* ---- charts ---- */
  function axisFor(kind, label) {
    var axis = {title: {text: plain(label)}, automargin: true, zeroline: true, zerolinecolor: '#505a5f',
      gridcolor: '#dfe3e6', fixedrange: true};
    if (kind === 'percent') { axis.range = [0, 112]; axis.ticksuffix = '%'; axis.tickvals = [0, 25, 50, 75, 100]; }
    if (kind === 'size' || kind === 'count') { axis.rangemode = 'tozero'; }
    return axis;
  }

  function barFigure(table) {
    var j = columnIndex(table, table.chart.value_column), column = table.columns[j];
    var labels = table.rows.map(function (row) { return wrapLabel(withCitation(row.label), 44); });
    var cells = table.rows.map(function (row) { return row.cells[j]; });
    var trace = {
      type: 'bar', orientation: 'h', name: plain(column.label), y: labels, x: cells.map(valueOf),
      text: cells.map(function (c) { return notExact(c) ? '' : plain(c.text); }), textposition: 'outside',
      cliponaxis: false, marker: {color: PALETTE[0]},
      hovertemplate: '%{y}: %{text}<extra></extra>'
    };
    var annotations = [];
    cells.forEach(function (c, i) {
      if (notExact(c)) {
        annotations.push({x: 0, y: labels[i], xref: 'x', yref: 'y', xanchor: 'left', showarrow: false,
          text: plain(c.text), font: {color: '#505a5f'}});
      }
    });
    return {traces: [trace], annotations: annotations, xaxis: axisFor(column.kind, column.label),
      yaxis: {automargin: true, autorange: 'reversed', fixedrange: true, type: 'category'},
      height: 70 + 42 * table.rows.length, legend: false};
  }

  function stackedFigure(table) {
    var labels = table.rows.map(function (row) { return wrapLabel(withCitation(row.label), 44); });
    var traces = [];
    table.columns.forEach(function (column, j) {
      if (column.kind !== 'count') { return; }
      var n = traces.length;
      var cells = table.rows.map(function (row) { return row.cells[j]; });
      traces.push({
        type: 'bar', orientation: 'h', name: plain(column.label), y: labels, x: cells.map(valueOf),
        text: cells.map(function (c) { return notExact(c) ? '' : plain(c.text); }), textposition: 'inside',
        insidetextanchor: 'middle',
        marker: {color: colourOf(n),
          pattern: {shape: patternOf(n), fillmode: 'overlay', fgcolor: '#ffffff', fgopacity: 0.5,
            solidity: 0.2}},
        hovertemplate: '%{y}, ' + plain(column.label) + ': %{text}<extra></extra>'
      });
    });
    var annotations = [];
    table.rows.forEach(function (row, i) {
      var end = 0, hidden = [];
      table.columns.forEach(function (column, j) {
        if (column.kind !== 'count') { return; }
        var c = row.cells[j];
        if (notExact(c)) { hidden.push(column.label + ' ' + c.text); } else { end += c.value; }
      });
      if (hidden.length) {
        annotations.push({x: end, y: labels[i], xref: 'x', yref: 'y', xanchor: 'left', showarrow: false,
          text: plain(hidden.join(', ')), font: {color: '#505a5f'}});
      }
    });
    return {traces: traces, annotations: annotations, barmode: 'stack',
      xaxis: {title: {text: 'Number of staff'}, automargin: true, rangemode: 'tozero', fixedrange: true, gridcolor: '#dfe3e6'},
      yaxis: {automargin: true, autorange: 'reversed', fixedrange: true, type: 'category'},
      height: 120 + 46 * table.rows.length + 24 * Math.max(0, Math.ceil(traces.length / 3) - 1), legend: true};
  }

  /* One line per row across the cycles the table compares: the columns "<cycle>: <measure>", where
     <measure> is the measure of chart.value_column ("2025/26: Met their objectives (%)"). */
  function lineFigure(table) {
    var parts = cyclePart(table.chart.value_column) || ['', table.chart.value_column];
    var points = [];
    table.columns.forEach(function (column, j) {
      var p = cyclePart(column.label);
      if (p && p[1] === parts[1]) { points.push({j: j, cycle: p[0], kind: column.kind}); }
    });
    var markers = ['circle', 'square', 'diamond', 'triangle-up', 'cross', 'x', 'star', 'hexagon'];
    var x = points.map(function (p) { return plain(p.cycle); });
    var annotations = [];
    var traces = table.rows.map(function (row, r) {
      var cells = points.map(function (p) { return row.cells[p.j]; });
      cells.forEach(function (c, i) {
        if (notExact(c)) {
          annotations.push({x: x[i], y: 0, xref: 'x', yref: 'paper', yanchor: 'bottom', yshift: 4 + 16 * r,
            showarrow: false, text: plain((table.rows.length > 1 ? row.label + ' ' : '') + c.text), font: {color: '#505a5f'}});
        }
      });
      var colour = colourOf(r);
      return {
        type: 'scatter', mode: 'lines+markers+text', name: plain(row.label), x: x, y: cells.map(valueOf),
        text: cells.map(function (c) { return notExact(c) ? '' : plain(c.text); }), textposition: 'top center',
        connectgaps: false, cliponaxis: false, line: {color: colour, width: 3, dash: dashOf(r)},
        marker: {color: colour, size: 10, symbol: markers[r % markers.length]},
        hovertemplate: plain(row.label) + ', %{x}: %{text}<extra></extra>'
      };
    });
    var kind = points.length ? points[points.length - 1].kind : 'count';
    return {traces: traces, annotations: annotations,
      xaxis: {type: 'category', automargin: true, fixedrange: true, title: {text: 'Cycle'}},
      yaxis: axisFor(kind, parts[1]), height: 320, legend: true};
  }

  function figureFor(table) {
    if (table.chart.type === 'stacked_bar') { return stackedFigure(table); }
    if (table.chart.type === 'line') { return lineFigure(table); }
    return barFigure(table);
  }

  function drawChart(box, fig) {
    var layout = {
      height: fig.height, margin: {l: 8, r: 36, t: fig.legend ? 8 : 16, b: 8}, font: {family: FONT, size: 13, color: '#0b0c0c'},
      colorway: PALETTE, paper_bgcolor: '#ffffff', plot_bgcolor: '#ffffff', showlegend: fig.legend,
      /* maxheight 1: the legend may take the whole height it needs; no entry hides behind a scrollbar */
      legend: {orientation: 'h', x: 0, y: 1, yanchor: 'bottom', traceorder: 'normal', maxheight: 1},
      xaxis: fig.xaxis, yaxis: fig.yaxis, annotations: fig.annotations, barmode: fig.barmode || 'group',
      bargap: 0.35, hovermode: 'closest', uniformtext: {minsize: 11, mode: 'hide'}
    };
    plots.push(box);
    return window.Plotly.newPlot(box, fig.traces, layout, CONFIG);
  }

  function hiddenNote(table) {
    var used = {};
    table.rows.forEach(function (row) { row.cells.forEach(function (c) { if (c.symbol) { used[c.symbol] = true; } }); });
    var symbols = Object.keys(used);
    if (!symbols.length) { return null; }
    var text = symbols.map(function (s) { return '[' + s + '] ' + meaning(table, s); }).join('; ') + '.';
    if (charted(table)) { text += ' In the chart these figures are left as gaps, marked with their symbol: never drawn as zero.'; }
    return el('p', 'gap-note', text);
  }

  /* ---- one table: heading, chart, table of figures, notes ---- */
  function blockNode(table, promises) {
    var article = el('article', 'table-block');
    article.setAttribute('data-table-id', table.id);
    var headingId = 'h-' + slug(table.id);
    var heading = el('h3', null, table.title);
    heading.id = headingId;
    article.appendChild(heading);
    if (table.description) { article.appendChild(el('p', 'description', table.description)); }
    if (!table.rows.length) {
      article.appendChild(el('p', 'withheld', 'This table is withheld to protect the confidentiality of individual members of staff.'));
    } else {
      var pair = el('div', !charted(table) ? 'pair single' : table.columns.length > 3 ? 'pair stacked' : 'pair');
      if (charted(table)) {
        var chart = el('div', 'chart');
        chart.setAttribute('role', 'img');
        chart.setAttribute('aria-label', 'Chart: ' + table.title + '. The same figures are in the table beside it.');
        chart.setAttribute('data-table-id', table.id);
        pair.appendChild(chart);
        promises.push({box: chart, make: function () { return figureFor(table); }});
      }
      pair.appendChild(tableNode(table, 'cap-' + slug(table.id)));
      article.appendChild(pair);
      var note = hiddenNote(table);
      if (note) { article.appendChild(note); }
    }
    if (table.footnotes.length) {
      var notes = el('ul', 'footnotes');
      table.footnotes.forEach(function (text) { notes.appendChild(el('li', null, text)); });
      article.appendChild(notes);
    }
    return article;
  }

  /* ---- trends at a glance: the percentages of every comparison of cycles, one line per measure ---- */
  function trendSeries(tables, cycle) {
    var series = {}, order = [];
    tables.filter(isTrend).forEach(function (table) {
      table.columns.forEach(function (column, j) {
        var p = cyclePart(column.label);
        if (!p || column.kind !== 'percent' || data.cycles.indexOf(p[0]) > data.cycles.indexOf(cycle)) { return; }
        table.rows.forEach(function (row) {
          var key = p[1] + '\n' + row.label;
          if (!series[key]) {
            series[key] = {measure: p[1].replace(/ \(%\)$/, ''), group: row.label, points: {}, conflict: false};
            order.push(key);
          }
          var one = series[key], cell = row.cells[j], before = one.points[p[0]];
          if (before && before.text !== cell.text) { one.conflict = true; }  /* never guess between two tables */
          one.points[p[0]] = cell;
        });
      });
    });
    return order.map(function (k) { return series[k]; }).filter(function (one) {
      return !one.conflict && Object.keys(one.points).some(function (c) { return !one.points[c].symbol; });
    });
  }

  function glanceTable(series, cycles) {
    var wrap = el('div', 'table-wrap');
    wrap.tabIndex = 0;
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-labelledby', 'cap-trend-glance');
    var tbl = el('table', 'figures');
    var caption = el('caption', null, 'Figures: trends at a glance (percentages)');
    caption.id = 'cap-trend-glance';
    tbl.appendChild(caption);
    var head = el('thead'), tr = el('tr'), corner = el('th', null, 'Measure');
    corner.scope = 'col';
    tr.appendChild(corner);
    cycles.forEach(function (c) { var th = el('th', 'num', c); th.scope = 'col'; tr.appendChild(th); });
    head.appendChild(tr);
    tbl.appendChild(head);
    var body = el('tbody');
    series.forEach(function (one) {
      var r = el('tr'), th = el('th', null, one.measure);
      th.scope = 'row';
      th.appendChild(el('span', 'group', one.group));
      r.appendChild(th);
      cycles.forEach(function (c) {
        var cell = one.points[c];
        if (cell) { r.appendChild(cellNode('td', null, cell)); return; }
        var td = el('td', 'num missing', '–');
        td.appendChild(el('span', 'visually-hidden', ' not in the report'));
        r.appendChild(td);
      });
      body.appendChild(r);
    });
    tbl.appendChild(body);
    wrap.appendChild(tbl);
    return wrap;
  }

  function glancePanel(tables, cycle, pending) {
    var series = trendSeries(tables, cycle);
    if (!series.length) { return null; }
    var cycles = data.cycles.filter(function (c) {
      return series.some(function (one) { return one.points[c]; });
    });
    var panel = el('section', 'panel glance');
    panel.id = 'trend-glance';
    panel.setAttribute('aria-labelledby', 'trend-glance-heading');
    var heading = el('h2', null, 'Trends at a glance');
    heading.id = 'trend-glance-heading';
    panel.appendChild(heading);
    panel.appendChild(el('p', 'intro', 'The percentages from the comparisons between cycles, joined into one line for ' +
      'each measure. The comparison tables themselves are further down.'));
    var pair = el('div', 'pair');
    var chart = el('div', 'chart');
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', 'Line chart: trends at a glance. The same figures are in the table beside it.');
    chart.setAttribute('data-chart', 'trend-glance');
    pair.appendChild(chart);
    pair.appendChild(glanceTable(series, cycles));
    panel.appendChild(pair);
    pending.push({box: chart, make: function () { return glanceFigure(series, cycles); }});
    return panel;
  }

  function glanceFigure(series, cycles) {
    var markers = ['circle', 'square', 'diamond', 'triangle-up', 'cross', 'x', 'star', 'hexagon'];
    var x = cycles.map(plain);
    var traces = series.map(function (one, r) {
      var colour = colourOf(r);
      var cells = cycles.map(function (c) { return one.points[c] || null; });
      return {
        type: 'scatter', mode: 'lines+markers', name: plain(one.measure), x: x,
        y: cells.map(function (c) { return c && !notExact(c) ? c.value : null; }),
        text: cells.map(function (c) { return c ? plain(c.text) : ''; }), connectgaps: false,
        line: {color: colour, width: 3, dash: dashOf(r)}, marker: {color: colour, size: 10, symbol: markers[r % markers.length]},
        hovertemplate: plain(one.measure) + ', %{x}: %{text}<extra></extra>'
      };
    });
    return {traces: traces, annotations: [], height: 340, legend: true,
      xaxis: {type: 'category', automargin: true, fixedrange: true, title: {text: 'Cycle'}},
      yaxis: axisFor('percent', 'Share of staff (%)')};
  }

  /* ---- headline figures: one card per item of policy section 10, made by pmreport (report/headlines.py)
     from the same published cells the report's summary quotes; each says exactly what it counts ---- */
  function tileNodes(cycle, group) {
    var cards = own(own(data.headlines, cycle), group) || [];
    return cards.map(function (card) {
      var tile = el('div', 'tile');
      tile.setAttribute('data-section', card.section);
      tile.appendChild(el('h3', null, card.item.replace(/^\d+\.\s*/, '')));
      tile.appendChild(el('p', 'figure', card.figure));
      tile.appendChild(el('p', 'what', card.label));
      if (card.note) { tile.appendChild(el('p', 'detail', card.note)); }
      tile.appendChild(el('p', 'detail', 'Table: ' + card.source));
      return tile;
    });
  }

  /* The one sentence that stands for a section's tables with nothing to show (pmreport/report/fit.py words it
     the same way for the printed report). */
  function nothingSentence(tables) {
    var titles = tables.map(function (t) { return '\u201c' + t.title + '\u201d'; });
    var listed = titles.length === 1 ? titles[0] : titles.slice(0, -1).join(', ') + ' and ' + titles[titles.length - 1];
    if (titles.length === 1) {
      return 'No figures can be shown for ' + listed + ': the numbers of people are small enough that any figure ' +
        'could identify someone.';
    }
    return 'No figures can be shown for these ' + titles.length + ' tables: ' + listed + '. The numbers of people are ' +
      'small enough that any figure could identify someone.';
  }

  /* ---- the whole page for the chosen cycle and staff group ---- */
  function render() {
    var cycle = cycleSelect.value, group = groupSelect.value;
    document.body.removeAttribute('data-rendered');
    plots.forEach(function (box) { window.Plotly.purge(box); });
    plots = [];
    tilesBox.textContent = '';
    sectionsBox.textContent = '';
    var pending = [], nTables = 0;
    glanceBox.textContent = '';
    var glance = glancePanel(data.sections.reduce(function (all, section) {
      return all.concat(section.tables.filter(function (t) { return shown(t, cycle, group); }));
    }, []), cycle, pending);
    if (glance) { glanceBox.appendChild(glance); }
    data.sections.forEach(function (section) {
      var all = section.tables.filter(function (t) { return shown(t, cycle, group); });
      var quiet = all.filter(function (t) { return (data.nothing_to_show || []).indexOf(t.id) >= 0; });
      var tables = all.filter(function (t) { return quiet.indexOf(t) < 0; });
      var panel = el('section', 'panel');
      panel.id = 'section-' + slug(section.id);
      panel.setAttribute('aria-labelledby', panel.id + '-heading');
      var heading = el('h2', null, section.heading);
      heading.id = panel.id + '-heading';
      panel.appendChild(heading);
      if (section.intro) { panel.appendChild(el('p', 'intro', section.intro)); }
      if (quiet.length) { panel.appendChild(el('p', 'nothing-shown', nothingSentence(quiet))); }
      if (!all.length) {
        var elsewhere = section.tables.some(function (t) { return t.staff_group === 'all' && forCycle(t, cycle); });
        panel.appendChild(el('p', 'empty', 'There are no figures in this section for ' + GROUPS[group] + ' in ' + cycle + '.' +
          (elsewhere ? ' Choose "All staff" to see the figures for everyone.' : '')));
      }
      tables.forEach(function (t) { panel.appendChild(blockNode(t, pending)); nTables += 1; });
      sectionsBox.appendChild(panel);
    });
    tileNodes(cycle, group).forEach(function (tile) { tilesBox.appendChild(tile); });
    if (!tilesBox.childNodes.length) { tilesBox.appendChild(el('p', 'empty', 'No headline figures for this choice.')); }
    renders += 1;
    var thisRender = renders;
    statusLine.textContent = 'Showing ' + cycle + ', ' + GROUPS[group] + ': ' + nTables + ' tables and ' +
      pending.length + ' charts.';
    var drawn = pending.map(function (p) {
      try {
        return drawChart(p.box, p.make()).catch(function (err) { chartFailed(p.box, err); });
      } catch (err) {
        chartFailed(p.box, err);
        return Promise.resolve();
      }
    });
    return Promise.all(drawn).then(function () {
      if (thisRender === renders) { document.body.setAttribute('data-rendered', String(renders)); }
    });
  }

  /* A chart that cannot be drawn says so in its place; the rest of the page, and its table, still show. */
  function chartFailed(box, err) {
    if (window.Plotly) { window.Plotly.purge(box); }
    box.className = 'chart chart-failed';
    box.removeAttribute('role');
    box.textContent = 'This chart could not be drawn. Its figures are all in the table.';
    if (window.console) { window.console.error('pmreport dashboard: a chart could not be drawn:', err); }
  }

  function resizeAll() {
    plots.forEach(function (box) { window.Plotly.Plots.resize(box); });
  }

  cycleSelect.addEventListener('change', render);
  groupSelect.addEventListener('change', render);
  window.addEventListener('beforeprint', resizeAll);
  window.addEventListener('afterprint', resizeAll);
  render();
}());
