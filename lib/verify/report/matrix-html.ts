import { subgraphOf } from './mermaid';
import { SegmentMatrix } from '../segment-matrix';

/**
 * One self-contained HTML page (no network access: styles, script and data inline) with the segment
 * matrix, filters by stack, platform and segment, and the explanation of a cell when it is clicked.
 */
export function formatMatrixHtml(matrix: SegmentMatrix, explanations: ReadonlyMap<string, string>, title = 'Microsegmentation matrix'): string {
  const data = {
    rows: matrix.rows,
    columns: matrix.columns,
    endpoints: matrix.endpoints.map((endpoint) => ({ ...endpoint, group: subgraphOf(endpoint) })),
    cells: matrix.cells.map((cell) => ({ ...cell, explanation: explanations.get(`${cell.from}\u0000${cell.to}`) ?? '' })),
  };
  // JSON inside a script element: `<` written as \u003c so no text can close the element
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1rem; color: #222; }
.filters { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.filters label { display: flex; flex-direction: column; font-size: .85rem; }
table { border-collapse: collapse; font-size: .8rem; }
th, td { border: 1px solid #ccc; padding: .2rem .4rem; text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: #f4f4f4; }
td.allowed { background: #e6f4ea; cursor: pointer; }
td.none { color: #999; cursor: pointer; }
td.unenforced { background: #fff4e5; cursor: pointer; }
td.selected { outline: 2px solid #1a73e8; }
#explanation { white-space: pre-wrap; background: #f8f8f8; border: 1px solid #ddd; padding: .5rem; margin-top: 1rem; font-size: .8rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Rows send, columns receive. Click a cell for every enforcement point and rule that decides it.</p>
<div class="filters">
<label>Stack <select id="filter-stack"><option value="">all</option></select></label>
<label>Platform <select id="filter-platform"><option value="">all</option></select></label>
<label>Segment (name contains) <input id="filter-segment" type="search"></label>
</div>
<table id="matrix"><thead></thead><tbody></tbody></table>
<pre id="explanation">Click a cell.</pre>
<script type="application/json" id="matrix-data">${json}</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById('matrix-data').textContent);
  var byName = {};
  data.endpoints.forEach(function (e) { byName[e.name] = e; });
  var cells = {};
  data.cells.forEach(function (c) { cells[c.from + '\\u0000' + c.to] = c; });
  var stack = document.getElementById('filter-stack');
  var platform = document.getElementById('filter-platform');
  var segment = document.getElementById('filter-segment');
  function options(select, values) {
    values.sort().forEach(function (v) { var o = document.createElement('option'); o.value = v; o.textContent = v; select.appendChild(o); });
  }
  function unique(list) { return list.filter(function (v, i) { return list.indexOf(v) === i; }); }
  options(stack, unique([].concat.apply([], data.endpoints.map(function (e) { return e.stacks; }))));
  options(platform, unique([].concat.apply([], data.endpoints.map(function (e) { return e.platforms; }))));
  function isExternal(name) { return byName[name] !== undefined && byName[name].kind === 'external'; }
  function keepSegment(name) {
    var e = byName[name];
    if (!e) return true;
    if (stack.value && e.stacks.indexOf(stack.value) < 0) return false;
    if (platform.value && e.platforms.indexOf(platform.value) < 0) return false;
    return !segment.value || name.indexOf(segment.value) >= 0;
  }
  function allows(c) { return c !== undefined && c.enforced && c.allowed.length > 0; }
  // an external peer stays while it reaches, or is reached by, a kept segment (as the CLI's filters do)
  function keepRow(name) {
    if (!isExternal(name)) return keepSegment(name);
    return data.columns.some(function (to) { return !isExternal(to) && keepSegment(to) && allows(cells[name + '\\u0000' + to]); });
  }
  function keepColumn(name) {
    if (!isExternal(name)) return keepSegment(name);
    return data.rows.some(function (from) { return !isExternal(from) && keepSegment(from) && allows(cells[from + '\\u0000' + name]); });
  }
  function text(c) { if (!c) return ''; if (!c.enforced) return 'unenforced'; return c.allowed.length ? c.allowed.join(', ') : '-'; }
  function render() {
    var rows = data.rows.filter(keepRow);
    var columns = data.columns.filter(keepColumn);
    var head = document.querySelector('#matrix thead');
    var body = document.querySelector('#matrix tbody');
    head.innerHTML = '';
    body.innerHTML = '';
    var hr = document.createElement('tr');
    var corner = document.createElement('th');
    corner.textContent = 'from \\\\ to';
    hr.appendChild(corner);
    columns.forEach(function (name) { var th = document.createElement('th'); th.textContent = name; th.title = byName[name] ? byName[name].group : ''; hr.appendChild(th); });
    head.appendChild(hr);
    rows.forEach(function (row) {
      var tr = document.createElement('tr');
      var th = document.createElement('th');
      th.textContent = row;
      th.title = byName[row] ? byName[row].group : '';
      tr.appendChild(th);
      columns.forEach(function (column) {
        var c = cells[row + '\\u0000' + column];
        var td = document.createElement('td');
        td.textContent = text(c);
        td.dataset.from = row;
        td.dataset.to = column;
        td.className = !c ? '' : !c.enforced ? 'unenforced' : c.allowed.length ? 'allowed' : 'none';
        if (c) td.addEventListener('click', function () {
          document.querySelectorAll('td.selected').forEach(function (s) { s.classList.remove('selected'); });
          td.classList.add('selected');
          document.getElementById('explanation').textContent = row + ' -> ' + column + '\\n\\n' + (c.explanation || 'no explanation recorded');
        });
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }
  [stack, platform].forEach(function (el) { el.addEventListener('change', render); });
  segment.addEventListener('input', render);
  render();
})();
</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
