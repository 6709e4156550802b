// Dashboards: each chart is drawn from the accessible table beside it, so the two always
// show the same numbers (no data travels in an inline script; the CSP forbids those).
(function () {
  "use strict";
  var palette = ["#206bc4", "#2fb344", "#f76707", "#d63939", "#ae3ec9", "#0ca678", "#4263eb", "#f59f00"];

  function cellNumber(cell) {
    var text = (cell.textContent || "").trim().replace(",", ".");
    var value = parseFloat(text);
    return isNaN(value) ? null : value;
  }

  function draw(canvas) {
    var table = document.getElementById(canvas.dataset.table);
    if (!table || typeof Chart === "undefined") { return; }
    var headers = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent.trim(); });
    var rows = Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return r.cells.length === headers.length; });
    var labels = rows.map(function (r) { return r.cells[0].textContent.trim(); });
    var datasets = [];
    for (var col = 1; col < headers.length; col++) {
      var data = rows.map(function (r) { return cellNumber(r.cells[col]); });
      if (data.every(function (v) { return v === null; })) { continue; }
      var colour = palette[(col - 1) % palette.length];
      datasets.push({ label: headers[col], data: data, backgroundColor: colour, borderColor: colour, tension: 0.2 });
    }
    var stacked = canvas.dataset.stacked === "1";
    canvas.chart = new Chart(canvas, {
      type: canvas.dataset.chart,
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true } }
      }
    });
    canvas.dataset.rendered = String(datasets.length);
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
    var period = document.getElementById("f-period");
    if (period) {
      period.addEventListener("change", function () {
        if (period.value !== "custom") { period.form.submit(); }
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
