// The leaders' report page: plain JavaScript and the vendored Chart.js, no build step, nothing from outside the
// province's network. Every figure comes from /api/v1/reports/*, called with the provincial officer's token.
(function () {
  "use strict";
  const zoneNames = { urban: "Đô thị", lowland: "Đồng bằng", midland: "Trung du", mountainous: "Miền núi", "-": "Chưa xác định" };
  const zoneColors = { urban: "#1f77b4", lowland: "#2ca02c", midland: "#ff7f0e", mountainous: "#8a1c1c", "-": "#999999" };
  const charts = {};
  Chart.defaults.animation = false;   // figures for decisions, not motion; also what a screenshot or a printout shows
  const $ = (id) => document.getElementById(id);
  const pct = (v) => (v === null || v === undefined ? "—" : (v * 100).toFixed(1) + " %");

  function defaults() {
    const to = new Date();
    const from = new Date(to.getFullYear() - 1, to.getMonth() + 1, 1);
    const iso = (d) => d.toISOString().slice(0, 10);
    $("from").value = $("from").value || iso(from);
    $("to").value = $("to").value || iso(to);
    $("token").value = sessionStorage.getItem("osw-token") || "";
  }

  async function get(path) {
    const response = await fetch(path, { headers: { Authorization: "Bearer " + $("token").value.trim(), Accept: "application/json" } });
    if (response.status === 401) throw new Error("Mã truy cập không hợp lệ hoặc đã hết hạn.");
    if (response.status === 403) throw new Error("Chỉ cán bộ cấp tỉnh được xem báo cáo.");
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || problem.title || "Lỗi " + response.status);
    }
    return response.json();
  }

  const vnd = (v) => (v === null || v === undefined ? "—" : Number(v).toLocaleString("vi-VN"));

  function fill(tableId, rows) {
    $(tableId).querySelector("tbody").replaceChildren(...rows.map((values) => {
      const row = document.createElement("tr");
      values.forEach((value, i) => {
        const cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.scope = "row";
        cell.textContent = String(value);
        row.appendChild(cell);
      });
      return row;
    }));
  }

  function draw(id, config, points) {
    if (charts[id]) charts[id].destroy();
    charts[id] = new Chart($(id), config);
    $(id).dataset.points = String(points);
  }

  function series(trend, field) {
    const months = [...new Set(trend.points.map((p) => p.month))];
    const bySeries = {};
    for (const p of trend.points) (bySeries[p.series] = bySeries[p.series] || {})[p.month] = p[field];
    const datasets = Object.keys(bySeries).map((s) => ({
      label: zoneNames[s] || s, borderColor: zoneColors[s], backgroundColor: zoneColors[s], tension: 0, spanGaps: true,
      data: months.map((m) => (bySeries[s][m] === undefined ? null : bySeries[s][m])),
    }));
    const count = datasets.reduce((n, d) => n + d.data.filter((v) => v !== null).length, 0);
    return { labels: months, datasets, count };
  }

  async function load(event) {
    if (event) event.preventDefault();
    sessionStorage.setItem("osw-token", $("token").value.trim());
    document.body.dataset.state = "loading";
    $("status").textContent = "Đang tải…";
    const period = "from=" + $("from").value + "&to=" + $("to").value;
    const months = "from=" + $("from").value.slice(0, 7) + "&to=" + $("to").value.slice(0, 7);
    try {
      const [indicators, trend, equity, wards, payZones, payMonths] = await Promise.all([
        get("/api/v1/reports/indicators?" + period),
        get("/api/v1/reports/trend?" + period + "&groupBy=zone"),
        get("/api/v1/reports/equity?" + period),
        get("/api/v1/reports/summary?" + period + "&groupBy=ward"),
        get("/api/v1/reports/payments?" + months + "&groupBy=zone"),
        get("/api/v1/reports/payments?" + months + "&groupBy=month"),
      ]);
      $("kpi-ontime").textContent = pct(indicators.onTimeRate);
      $("kpi-online").textContent = pct(indicators.onlineShare);
      $("kpi-satisfaction").textContent = pct(indicators.satisfaction);
      $("kpi-volume").textContent = indicators.received + " / " + indicators.resolved;

      const onTime = series(trend, "onTimeRate");
      draw("chart-ontime", { type: "line", data: onTime, options: { scales: { y: { min: 0, max: 1, ticks: { callback: (v) => v * 100 + " %" } } } } }, onTime.count);
      const backlog = series(trend, "backlog");
      draw("chart-backlog", { type: "line", data: backlog, options: { scales: { y: { beginAtZero: true } } } }, backlog.count);
      const waiting = series(trend, "averageWorkingDaysToDecide");
      draw("chart-waiting", { type: "line", data: waiting, options: { scales: { y: { beginAtZero: true } } } }, waiting.count);
      draw("chart-equity", {
        type: "bar",
        data: {
          labels: equity.zones.map((z) => zoneNames[z.zone] || z.zone),
          datasets: [
            { label: "Hồ sơ / 1.000 dân", data: equity.zones.map((z) => z.applicationsPerThousand), backgroundColor: "#8a1c1c", yAxisID: "y" },
            { label: "Tỷ lệ đúng hạn", data: equity.zones.map((z) => z.onTimeRate), backgroundColor: "#1f77b4", yAxisID: "rate" },
          ],
        },
        options: { scales: { y: { beginAtZero: true, position: "left" }, rate: { min: 0, max: 1, position: "right" } } },
      }, equity.zones.length);

      const body = $("wards").querySelector("tbody");
      body.replaceChildren(...wards.lines.map((l) => {
        const row = document.createElement("tr");
        for (const value of [l.group, l.groupName || "", l.received, l.resolved, pct(l.onTimeRate), l.averageWorkingDaysToDecide ?? "—", l.late, pct(l.satisfaction)]) {
          const cell = document.createElement("td");
          cell.textContent = String(value);
          row.appendChild(cell);
        }
        return row;
      }));
      $("unpaid-months").textContent = String(payZones.unpaidMonthsOver);
      const perThousand = {};
      for (const z of equity.zones) perThousand[z.zone] = z.paidVndPerThousand;
      fill("payments-zones", payZones.lines.concat([payZones.total]).map((l) => [
        l.group === "total" ? "Toàn tỉnh" : zoneNames[l.group] || l.group, vnd(l.issuedLines), vnd(l.issuedVnd), vnd(l.paidLines), vnd(l.paidVnd),
        vnd(l.failedLines + l.unclaimedLines + l.wrongAccountLines), vnd(l.unreportedLines), pct(l.cashlessShareOfAmount), vnd(l.arrearsVnd),
        vnd(l.unpaidEntitlements), l.group === "total" ? "—" : vnd(perThousand[l.group]),
      ]));
      fill("payments-months", payMonths.lines.map((l) => [
        l.group, vnd(l.issuedLines), vnd(l.issuedVnd), vnd(l.paidLines), pct(l.issuedVnd === 0 ? null : l.paidVnd / l.issuedVnd),
        pct(l.cashlessShareOfLines), vnd(l.arrearsVnd), vnd(l.unpaidEntitlements),
      ]));
      $("status").textContent = "";
      document.body.dataset.state = "ready";
    } catch (error) {
      $("status").textContent = error.message;
      document.body.dataset.state = "error";
    }
  }

  defaults();
  $("controls").addEventListener("submit", load);
  if ($("token").value) load();
})();
