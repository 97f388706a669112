/* pmreport governors' dashboard: draws the panels from the JSON payload in #dashboard-data.
   Every piece of text from the report goes into the page with textContent (never as HTML), and
   into plotly escaped, because plotly reads a few HTML-like tags in labels. Hidden figures ([c])
   have no value in the payload; charts leave them as gaps and mark them with their symbol. */
(function () {
  'use strict';

  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
  var PATTERNS = ['', '/', '.', 'x', '\\', '+', '-', '|'];
  var GROUPS = {all: 'all staff', teachers: 'teachers', support: 'support staff'};
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  var CONFIG = {
    displaylogo: false, responsive: true, scrollZoom: false,
    modeBarButtonsToRemove: ['zoom2d', 'pan2d', 'select2d', 'lasso2d', 'zoomIn2d', 'zoomOut2d',
      'autoScale2d', 'resetScale2d'],
    toImageButtonOptions: {format: 'png', filename: 'governors-dashboard-chart', scale: 2}
  };

  var data = JSON.parse(document.getElementById('dashboard-data').textContent);
  var cycleSelect = document.getElementById('cycle-filter');
  var groupSelect = document.getElementById('group-filter');
  var tilesBox = document.getElementById('tiles');
  var sectionsBox = document.getElementById('sections');
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
  function shown(table, cycle, group) {
    return table.staff_group === group && (table.cycle === cycle || !isCycle(table.cycle));
  }
  function columnIndex(table, label) {
    for (var j = 0; j < table.columns.length; j += 1) { if (table.columns[j].label === label) { return j; } }
    return -1;
  }
  function meaning(table, symbol) {
    return (table && table.symbols[symbol]) || data.symbols[symbol] || 'see the key to the symbols';
  }
  function valueOf(cell) { return cell.symbol ? null : cell.value; }

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
    var labels = table.rows.map(function (row) { return wrapLabel(row.label, 42); });
    var cells = table.rows.map(function (row) { return row.cells[j]; });
    var trace = {
      type: 'bar', orientation: 'h', name: plain(column.label), y: labels, x: cells.map(valueOf),
      text: cells.map(function (c) { return c.symbol ? '' : plain(c.text); }), textposition: 'outside',
      cliponaxis: false, marker: {color: PALETTE[0]},
      hovertemplate: '%{y}: %{text}<extra></extra>'
    };
    var annotations = [];
    cells.forEach(function (c, i) {
      if (c.symbol) {
        annotations.push({x: 0, y: labels[i], xref: 'x', yref: 'y', xanchor: 'left', showarrow: false,
          text: plain(c.text), font: {color: '#505a5f'}});
      }
    });
    return {traces: [trace], annotations: annotations, xaxis: axisFor(column.kind, column.label),
      yaxis: {automargin: true, autorange: 'reversed', fixedrange: true, type: 'category'},
      height: 70 + 42 * table.rows.length, legend: false};
  }

  function stackedFigure(table) {
    var labels = table.rows.map(function (row) { return wrapLabel(row.label, 42); });
    var traces = [];
    table.columns.forEach(function (column, j) {
      if (column.kind !== 'count') { return; }
      var n = traces.length;
      var cells = table.rows.map(function (row) { return row.cells[j]; });
      traces.push({
        type: 'bar', orientation: 'h', name: plain(column.label), y: labels, x: cells.map(valueOf),
        text: cells.map(function (c) { return c.symbol ? '' : plain(c.text); }), textposition: 'inside',
        insidetextanchor: 'middle',
        marker: {color: PALETTE[n % PALETTE.length],
          pattern: {shape: PATTERNS[n % PATTERNS.length], fgcolor: '#ffffff', solidity: 0.25}},
        hovertemplate: '%{y}, ' + plain(column.label) + ': %{text}<extra></extra>'
      });
    });
    return {traces: traces, annotations: [], barmode: 'stack',
      xaxis: {title: {text: 'Number of staff'}, automargin: true, rangemode: 'tozero', fixedrange: true, gridcolor: '#dfe3e6'},
      yaxis: {automargin: true, autorange: 'reversed', fixedrange: true, type: 'category'},
      height: 120 + 46 * table.rows.length, legend: true};
  }

  function lineFigure(table) {
    var j = columnIndex(table, table.chart.value_column), column = table.columns[j];
    var labels = table.rows.map(function (row) { return plain(row.label); });
    var cells = table.rows.map(function (row) { return row.cells[j]; });
    var trace = {
      type: 'scatter', mode: 'lines+markers+text', name: plain(column.label), x: labels, y: cells.map(valueOf),
      text: cells.map(function (c) { return c.symbol ? '' : plain(c.text); }), textposition: 'top center',
      connectgaps: false, cliponaxis: false, line: {color: PALETTE[0], width: 3},
      marker: {color: PALETTE[0], size: 10, symbol: 'circle'}, hovertemplate: '%{x}: %{text}<extra></extra>'
    };
    var annotations = [];
    cells.forEach(function (c, i) {
      if (c.symbol) {
        annotations.push({x: labels[i], y: 0, xref: 'x', yref: 'paper', yanchor: 'bottom', showarrow: false,
          text: plain(c.text), font: {color: '#505a5f'}});
      }
    });
    var yaxis = axisFor(column.kind, column.label);
    return {traces: [trace], annotations: annotations,
      xaxis: {type: 'category', automargin: true, fixedrange: true, title: {text: plain(table.row_header || '')}},
      yaxis: yaxis, height: 320, legend: false};
  }

  function figureFor(table) {
    if (table.chart.type === 'stacked_bar') { return stackedFigure(table); }
    if (table.chart.type === 'line') { return lineFigure(table); }
    return barFigure(table);
  }

  function drawChart(box, table) {
    var fig = figureFor(table);
    var layout = {
      height: fig.height, margin: {l: 8, r: 36, t: fig.legend ? 8 : 16, b: 8}, font: {family: FONT, size: 13, color: '#0b0c0c'},
      colorway: PALETTE, paper_bgcolor: '#ffffff', plot_bgcolor: '#ffffff', showlegend: fig.legend,
      legend: {orientation: 'h', x: 0, y: 1, yanchor: 'bottom', traceorder: 'normal'},
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
    return el('p', 'gap-note', symbols.map(function (s) { return '[' + s + '] ' + meaning(table, s); }).join('; ') +
      '. Hidden figures are left as gaps in the chart, never drawn as zero.');
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
      var pair = el('div', charted(table) ? 'pair' : 'pair single');
      if (charted(table)) {
        var chart = el('div', 'chart');
        chart.setAttribute('role', 'img');
        chart.setAttribute('aria-label', 'Chart: ' + table.title + '. The same figures are in the table beside it.');
        chart.setAttribute('data-table-id', table.id);
        pair.appendChild(chart);
        promises.push({box: chart, table: table});
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

  /* ---- headline figures: the first charted figure of each section ---- */
  function findTable(id, group) {
    for (var s = 0; s < data.sections.length; s += 1) {
      var tables = data.sections[s].tables;
      for (var t = 0; t < tables.length; t += 1) {
        if (tables[t].id === id && tables[t].staff_group === group) { return tables[t]; }
      }
    }
    return null;
  }

  function previousFigure(table, cycle, rowLabel, columnLabel) {
    var k = data.cycles.indexOf(cycle);
    if (k <= 0 || table.id.indexOf(slug(cycle)) < 0) { return null; }
    var earlier = data.cycles[k - 1];
    var other = findTable(table.id.replace(slug(cycle), slug(earlier)), table.staff_group);
    if (!other) { return null; }
    var j = columnIndex(other, columnLabel);
    for (var i = 0; i < other.rows.length; i += 1) {
      if (other.rows[i].label === rowLabel && j >= 0) { return {cycle: earlier, table: other, cell: other.rows[i].cells[j]}; }
    }
    return null;
  }

  function tileNode(section, table, cycle) {
    var j = columnIndex(table, table.chart.value_column);
    if (j < 0) { j = table.columns.findIndex(function (c) { return c.kind === 'count'; }); }
    if (j < 0) { return null; }
    var row = table.rows[0], cell = row.cells[j];
    var tile = el('div', 'tile');
    tile.appendChild(el('h3', null, section.heading.replace(/^\d+\.\s*/, '')));
    var figure = cellNode('p', table, cell);
    figure.className += ' figure';
    tile.appendChild(figure);
    tile.appendChild(el('p', 'what', table.columns[j].label + ': ' + row.label));
    var prev = previousFigure(table, cycle, row.label, table.columns[j].label);
    if (prev) { tile.appendChild(el('p', 'prev', prev.cycle + ': ' + prev.cell.text)); }
    return tile;
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
    data.sections.forEach(function (section) {
      var tables = section.tables.filter(function (t) { return shown(t, cycle, group); });
      var panel = el('section', 'panel');
      panel.id = 'section-' + slug(section.id);
      panel.setAttribute('aria-labelledby', panel.id + '-heading');
      var heading = el('h2', null, section.heading);
      heading.id = panel.id + '-heading';
      panel.appendChild(heading);
      if (section.intro) { panel.appendChild(el('p', 'intro', section.intro)); }
      if (!tables.length) {
        var elsewhere = section.tables.some(function (t) { return t.staff_group !== group && (t.cycle === cycle || !isCycle(t.cycle)); });
        panel.appendChild(el('p', 'empty', 'There are no figures in this section for ' + GROUPS[group] + ' in ' + cycle + '.' +
          (elsewhere ? ' Choose "All staff" to see the figures for everyone.' : '')));
      }
      tables.forEach(function (t) { panel.appendChild(blockNode(t, pending)); nTables += 1; });
      sectionsBox.appendChild(panel);
      var first = tables.filter(function (t) { return t.cycle === cycle && charted(t); })[0];
      var tile = first ? tileNode(section, first, cycle) : null;
      if (tile) { tilesBox.appendChild(tile); }
    });
    if (!tilesBox.childNodes.length) { tilesBox.appendChild(el('p', 'empty', 'No headline figures for this choice.')); }
    renders += 1;
    var thisRender = renders;
    statusLine.textContent = 'Showing ' + cycle + ', ' + GROUPS[group] + ': ' + nTables + ' tables and ' +
      pending.length + ' charts.';
    var drawn = pending.map(function (p) { return drawChart(p.box, p.table); });
    return Promise.all(drawn).then(function () {
      if (thisRender === renders) { document.body.setAttribute('data-rendered', String(renders)); }
    });
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
