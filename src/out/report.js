// The audit page's only script: sorting and filtering of its tables, and
// opening a rule's drill-down when a link targets it or the page prints.
// It fetches nothing; the page reads the same without it.
(function () {
  "use strict";
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function key(row, col, numeric) {
    var cell = row.cells[col];
    if (!cell) return numeric ? -1 : "";
    if (numeric) return Number(cell.getAttribute("data-v"));
    return cell.textContent.trim().toLowerCase();
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = rows.length > 0 && rows.every(function (r) {
      return r.cells[col] && r.cells[col].hasAttribute("data-v");
    });
    var now = th.getAttribute("aria-sort");
    // first click: numbers largest first, words A to Z; then it flips
    var up = now ? now === "descending" : !numeric;
    rows.sort(function (a, b) {
      var x = key(a, col, numeric), y = key(b, col, numeric);
      var d = numeric ? x - y : x.localeCompare(y);
      return up ? d : -d;
    });
    each(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", up ? "ascending" : "descending");
    each(rows, function (r) { body.appendChild(r); });
  }
  function filter(table, text, count) {
    var q = text.trim().toLowerCase(), shown = 0, rows = table.tBodies[0].rows;
    each(rows, function (r) {
      var hit = q === "" || r.textContent.toLowerCase().indexOf(q) >= 0;
      r.hidden = !hit;
      if (hit) shown++;
    });
    count.textContent = q === "" ? "" : shown + " of " + rows.length + " rows";
  }
  each(document.querySelectorAll("table.sortable"), function (table) {
    each(table.tHead.rows[0].cells, function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort";
      while (th.firstChild) b.appendChild(th.firstChild);
      b.title = "Sort by this column";
      th.appendChild(b);
      b.addEventListener("click", function () { sortBy(table, col, th); });
    });
    var box = document.createElement("div"), input = document.createElement("input");
    var count = document.createElement("span");
    box.className = "filter";
    count.className = "count";
    input.type = "search";
    input.placeholder = "Filter rows";
    input.setAttribute("aria-label", "Filter: " + (table.getAttribute("aria-label") || "rows"));
    box.appendChild(input);
    box.appendChild(count);
    table.parentNode.insertBefore(box, table);
    input.addEventListener("input", function () { filter(table, input.value, count); });
  });
  function openTarget() {
    var el = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (el && el.tagName === "DETAILS") el.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  window.addEventListener("beforeprint", function () {
    each(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
  document.documentElement.classList.add("js");
})();
