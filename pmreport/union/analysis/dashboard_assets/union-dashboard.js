/* pmreport union dashboard: draws the union report's published tables (#union-data, exactly union-tables.json)
   as a chart with a table of the same figures beside it, filtered by cycle and breakdown (#union-facets).
   Text from the tables goes into the page with textContent, never as HTML, and into plotly escaped.
   Hidden figures ([c]) have no value: charts leave them as gaps, marked with their symbol. */
(function () {
  'use strict';

  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  var CONFIG = {
    displaylogo: false, responsive: true, scrollZoom: false, showSendToCloud: false, plotlyServerURL: '',
    showEditInChartStudio: false, showLink: false,
    modeBarButtonsToRemove: ['sendChartToCloud', 'zoom2d', 'pan2d', 'select2d', 'lasso2d', 'zoomIn2d', 'zoomOut2d',
      'autoScale2d', 'resetScale2d'],
    toImageButtonOptions: {format: 'png', filename: 'union-dashboard-chart', scale: 2}
  };

  var data = JSON.parse(document.getElementById('union-data').textContent);
  var facets = JSON.parse(document.getElementById('union-facets').textContent);
  var cycleSelect = document.getElementById('cycle-filter');
  var breakdownSelect = document.getElementById('breakdown-filter');
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
  function plain(text) { return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'); }
  function wrapLabel(text, width) {
    var words = String(text).split(/\s+/), lines = [], line = '';
    words.forEach(function (word) {
      if (line && (line + ' ' + word).length > width) { lines.push(line); line = word; } else { line = line ? line + ' ' + word : word; }
    });
    if (line) { lines.push(line); }
    return lines.map(plain).join('<br>');
  }
  function own(map, key) { return map && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : ''; }
  function notExact(cell) { return Boolean(cell.symbol) || typeof cell.value !== 'number'; }
  function valueOf(cell) { return notExact(cell) ? null : cell.value; }
  function meaning(table, symbol) { return own(table.symbols, symbol) || 'see the key to the symbols'; }

  /* The column a chart draws: the last percentage, else the last average, else none (the counts are drawn). */
  function chartColumn(table) {
    var pick = -1;
    ['percent', 'mean'].some(function (kind) {
      table.columns.forEach(function (c, j) { if (c.kind === kind) { pick = j; } });
      return pick >= 0;
    });
    return pick;
  }
  function countColumns(table) {
    var out = [];
    table.columns.forEach(function (c, j) { if (c.kind === 'count') { out.push(j); } });
    return out;
  }
  function charted(table) {
    return table.rows.length > 0 && (chartColumn(table) >= 0 || countColumns(table).length > 0);
  }

  function cellNode(table, cell) {
    var node = el('td', 'num');
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
    table.columns.forEach(function (column) { var th = el('th', 'num', column.label); th.scope = 'col'; tr.appendChild(th); });
    head.appendChild(tr);
    tbl.appendChild(head);
    var body = el('tbody');
    table.rows.forEach(function (row) {
      var r = el('tr'), th = el('th', null, row.label);
      th.scope = 'row';
      r.appendChild(th);
      row.cells.forEach(function (cell) { r.appendChild(cellNode(table, cell)); });
      body.appendChild(r);
    });
    tbl.appendChild(body);
    wrap.appendChild(tbl);
    return wrap;
  }

  function axisFor(kind, title) {
    var axis = {title: {text: plain(title)}, automargin: true, rangemode: 'tozero', fixedrange: true, gridcolor: '#dfe3e6'};
    if (kind === 'percent') { axis.range = [0, 100]; axis.ticksuffix = '%'; }
    return axis;
  }

  /* One bar a row (the chart column), or, for a table of counts only, one bar a count column of each row. */
  function figureFor(table) {
    var j = chartColumn(table), annotations = [], traces;
    if (j >= 0) {
      var labels = table.rows.map(function (row) { return wrapLabel(row.label, 28); });
      var cells = table.rows.map(function (row) { return row.cells[j]; });
      cells.forEach(function (c, i) {
        if (notExact(c)) {
          annotations.push({x: 0, y: labels[i], xref: 'x', yref: 'y', xanchor: 'left', showarrow: false,
            text: plain(c.text), font: {color: '#505a5f'}});
        }
      });
      traces = [{type: 'bar', orientation: 'h', name: plain(table.columns[j].label), y: labels, x: cells.map(valueOf),
        text: cells.map(function (c) { return notExact(c) ? '' : plain(c.text); }), textposition: 'outside',
        cliponaxis: false, marker: {color: PALETTE[0]}, hovertemplate: '%{y}: %{text}<extra></extra>'}];
      return {traces: traces, annotations: annotations, xaxis: axisFor(table.columns[j].kind, table.columns[j].label),
        yaxis: {automargin: true, autorange: 'reversed', fixedrange: true, type: 'category'},
        height: 110 + 42 * table.rows.length, legend: false};
    }
    var counts = countColumns(table);
    var names = counts.map(function (k) { return wrapLabel(table.columns[k].label, 18); });
    traces = table.rows.map(function (row, r) {
      var cs = counts.map(function (k) { return row.cells[k]; });
      cs.forEach(function (c, i) {
        if (notExact(c)) {
          annotations.push({x: names[i], y: 0, xref: 'x', yref: 'paper', yanchor: 'bottom', yshift: 4 + 16 * r,
            showarrow: false, text: plain((table.rows.length > 1 ? row.label + ' ' : '') + c.text), font: {color: '#505a5f'}});
        }
      });
      return {type: 'bar', name: plain(row.label), x: names, y: cs.map(valueOf),
        text: cs.map(function (c) { return notExact(c) ? '' : plain(c.text); }), textposition: 'outside', cliponaxis: false,
        marker: {color: PALETTE[r % PALETTE.length]}, hovertemplate: plain(row.label) + ', %{x}: %{text}<extra></extra>'};
    });
    return {traces: traces, annotations: annotations, xaxis: {type: 'category', automargin: true, fixedrange: true},
      yaxis: axisFor('count', 'Number'), height: 320, legend: table.rows.length > 1};
  }

  function drawChart(box, fig) {
    var layout = {
      height: fig.height, margin: {l: 8, r: 36, t: fig.legend ? 8 : 16, b: 8}, font: {family: FONT, size: 13, color: '#0b0c0c'},
      colorway: PALETTE, paper_bgcolor: '#ffffff', plot_bgcolor: '#ffffff', showlegend: fig.legend,
      legend: {orientation: 'h', x: 0, y: 1, yanchor: 'bottom'}, xaxis: fig.xaxis, yaxis: fig.yaxis,
      annotations: fig.annotations, barmode: 'group', bargap: 0.35, hovermode: 'closest'
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

  function blockNode(table, index, pending) {
    var article = el('article', 'table-block');
    article.setAttribute('data-table-index', String(index));
    article.appendChild(el('h3', null, table.title));
    if (table.description) { article.appendChild(el('p', 'description', table.description)); }
    if (!table.rows.length) {
      article.appendChild(el('p', 'withheld', 'This table is withheld to protect the confidentiality of individual members of staff.'));
    } else {
      var pair = el('div', !charted(table) ? 'pair single' : table.columns.length > 3 ? 'pair stacked' : 'pair');
      if (charted(table)) {
        var chart = el('div', 'chart');
        chart.setAttribute('role', 'img');
        chart.setAttribute('aria-label', 'Chart: ' + table.title + '. The same figures are in the table beside it.');
        chart.setAttribute('data-table-index', String(index));
        pair.appendChild(chart);
        pending.push({box: chart, make: function () { return figureFor(table); }});
      }
      pair.appendChild(tableNode(table, 'cap-' + index));
      article.appendChild(pair);
      var note = hiddenNote(table);
      if (note) { article.appendChild(note); }
    }
    if (table.footnotes && table.footnotes.length) {
      var notes = el('ul', 'footnotes');
      table.footnotes.forEach(function (text) { notes.appendChild(el('li', null, text)); });
      article.appendChild(notes);
    }
    return article;
  }

  function shown(i, cycle, breakdown) {
    var f = facets[i];
    return (f.cycle === null || f.cycle === cycle) && (!breakdown || f.breakdown === breakdown);
  }

  function render() {
    var cycle = cycleSelect.value, breakdown = breakdownSelect.value;
    document.body.removeAttribute('data-rendered');
    plots.forEach(function (box) { window.Plotly.purge(box); });
    plots = [];
    sectionsBox.textContent = '';
    var pending = [], nTables = 0, order = [], groups = {};
    data.tables.forEach(function (table, i) {
      if (!shown(i, cycle, breakdown)) { return; }
      var b = facets[i].breakdown;
      if (!groups[b]) { groups[b] = []; order.push(b); }
      groups[b].push(i);
    });
    order.forEach(function (b, k) {
      var panel = el('section', 'panel');
      panel.id = 'breakdown-' + k;
      panel.setAttribute('data-breakdown', b);
      panel.setAttribute('aria-labelledby', panel.id + '-heading');
      var heading = el('h2', null, b === 'All schools together' ? b : 'By ' + b.toLowerCase());
      heading.id = panel.id + '-heading';
      panel.appendChild(heading);
      groups[b].forEach(function (i) { panel.appendChild(blockNode(data.tables[i], i, pending)); nTables += 1; });
      sectionsBox.appendChild(panel);
    });
    if (!nTables) {
      sectionsBox.appendChild(el('p', 'empty', 'The union report published no table for this choice.'));
    }
    renders += 1;
    var thisRender = renders;
    statusLine.textContent = !data.tables.length ? 'The union report published no table.' :
      'Showing ' + (cycle || 'every cycle') + ', ' + (breakdown ? 'figures by ' + breakdown.toLowerCase() : 'every breakdown') +
      ': ' + nTables + ' tables and ' + pending.length + ' charts.';
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

  function chartFailed(box, err) {
    if (window.Plotly) { window.Plotly.purge(box); }
    box.className = 'chart chart-failed';
    box.removeAttribute('role');
    box.textContent = 'This chart could not be drawn. Its figures are all in the table.';
    if (window.console) { window.console.error('pmreport union dashboard: a chart could not be drawn:', err); }
  }

  function resizeAll() { plots.forEach(function (box) { window.Plotly.Plots.resize(box); }); }

  cycleSelect.addEventListener('change', render);
  breakdownSelect.addEventListener('change', render);
  window.addEventListener('beforeprint', resizeAll);
  window.addEventListener('afterprint', resizeAll);
  render();
}());
