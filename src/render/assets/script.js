
(function () {
  'use strict';
  function key(cell) {
    var v = cell ? cell.getAttribute('data-sort') : '';
    if (v === null) { v = cell.textContent.trim(); }
    var n = Number(v);
    return v !== '' && !isNaN(n) ? n : v.toLowerCase();
  }
  function compare(x, y) {
    if (typeof x === 'number' && typeof y === 'number') { return x - y; }
    if (typeof x === 'number') { return -1; }
    if (typeof y === 'number') { return 1; }
    return x.localeCompare(y);
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var heads = table.querySelectorAll('thead th');
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      th.classList.add('sort');
      function sort() {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var c = compare(key(a.cells[col]), key(b.cells[col]));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
      });
    });
    var label = table.getAttribute('data-filter');
    if (!label) { return; }
    var input = document.createElement('input');
    input.type = 'search';
    input.className = 'filter';
    input.placeholder = label;
    input.setAttribute('aria-label', label);
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(body.rows, function (r) {
        r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
    var holder = table.parentNode.classList.contains('scroll') ? table.parentNode : table;
    holder.parentNode.insertBefore(input, holder);
  });
})();
