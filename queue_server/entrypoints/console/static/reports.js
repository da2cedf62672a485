/* The ticket report's chart: served and absent per row (bars), p90 waits and service times (lines). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var canvas = document.getElementById("chart");
  if (!window.Chart || !canvas || !data.labels.length) { if (canvas) canvas.hidden = true; return; }
  new window.Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: "Dilayani / Served", data: data.served, backgroundColor: "#0b5cad", yAxisID: "count" },
        { type: "bar", label: "Tidak hadir / No-show", data: data.no_show, backgroundColor: "#b25d00", yAxisID: "count" },
        { type: "line", label: "Tunggu p90 (menit) / p90 wait (min)", data: data.wait_p90, borderColor: "#b3261e", yAxisID: "minutes" },
        { type: "line", label: "Layanan p90 (menit) / p90 service (min)", data: data.service_p90, borderColor: "#1b7f3b", yAxisID: "minutes" }
      ]
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        count: { position: "left", beginAtZero: true, title: { display: true, text: "Nomor / Tickets" } },
        minutes: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: "Menit / Minutes" } }
      }
    }
  });
}());
