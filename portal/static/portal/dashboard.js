// The dashboard: live values of the chosen device, its energy today by hour and one metric's series.
// Everything comes from the JSON API with the browser's session; plotly.js is served locally.
(function () {
  "use strict";
  const root = document.getElementById("dashboard");
  const devicePicker = document.getElementById("device");
  if (!devicePicker) return;
  const metricPicker = document.getElementById("metric");
  const intervalPicker = document.getElementById("interval");
  const energyChart = document.getElementById("energy-chart");
  const status = document.getElementById("status");
  const units = JSON.parse(document.getElementById("metric-units").textContent);
  const api = root.dataset.api;
  const clientQuery = root.dataset.clientQuery;
  const REFRESH_MS = 10000;

  function url(path, params) {
    const query = new URLSearchParams(params);
    if (clientQuery) new URLSearchParams(clientQuery).forEach((value, key) => query.set(key, value));
    return `${api}/${path}?${query}`;
  }

  async function get(path, params) {
    const response = await fetch(url(path, params), { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body.detail || `${response.status} ${response.statusText}`);
    }
    return response.json();
  }

  const language = document.documentElement.lang || "pt-BR";
  const timeZone = root.dataset.timeZone;
  const clock = new Intl.DateTimeFormat(language, { dateStyle: "short", timeStyle: "medium", timeZone });

  function format(value, fractionDigits) {
    const magnitude = Math.abs(value);
    const digits = fractionDigits ?? (magnitude >= 1000 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3);
    return new Intl.NumberFormat(language, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
  }

  function liveShow(latest) {
    const live = document.getElementById("live");
    live.replaceChildren();
    document.getElementById("latest-at").textContent = latest.ts ? clock.format(new Date(latest.ts)) : "—";
    const names = Object.keys(latest.metrics).sort();
    for (const name of names) {
      const cell = document.createElement("div");
      const label = document.createElement("span");
      label.className = "name";
      label.textContent = name;
      const value = document.createElement("span");
      value.className = "value";
      value.textContent = `${format(latest.metrics[name])} ${units[name] || ""}`;
      cell.append(label, value);
      live.append(cell);
    }
    metricsOffer(names);
  }

  function metricsOffer(names) {
    const current = metricPicker.value;
    const offered = Array.from(metricPicker.options, (option) => option.value);
    if (names.length === 0 || names.join() === offered.join()) return;
    metricPicker.replaceChildren(...names.map((name) => new Option(name, name)));
    metricPicker.value = names.includes(current) ? current : names.includes("power") ? "power" : names[0];
  }

  function total(periods, field) {
    return periods.reduce((sum, period) => sum + period[field], 0);
  }

  function energyPlot(periods) {
    const x = periods.map((period) => period.period);
    for (const [id, field] of [["total-import", "import_kwh"], ["total-export", "export_kwh"], ["total-net", "net_kwh"]]) {
      document.getElementById(id).textContent = format(total(periods, field), 2);
    }
    // Injection is drawn below the axis: the sign convention of `power`, shown.
    Plotly.react(energyChart, [
      { type: "bar", name: energyChart.dataset.importLabel, x, y: periods.map((period) => period.import_kwh), marker: { color: "#b35c00" } },
      { type: "bar", name: energyChart.dataset.exportLabel, x, y: periods.map((period) => -period.export_kwh), marker: { color: "#0a7d4f" } },
    ], { barmode: "relative", margin: { t: 10, r: 10 }, yaxis: { title: { text: "kWh" } }, legend: { orientation: "h" } },
    { responsive: true, displaylogo: false });
  }

  function seriesPlot(series) {
    const points = series.points.slice().reverse();
    Plotly.react("series-chart", [
      { type: "scatter", mode: "lines", name: series.metric, x: points.map((p) => p.ts), y: points.map((p) => p.value) },
    ], { margin: { t: 10, r: 10 }, yaxis: { title: { text: `${series.metric} ${units[series.metric] || ""}` } } },
    { responsive: true, displaylogo: false });
  }

  async function refresh() {
    const device = devicePicker.value;
    try {
      liveShow(await get(`devices/${device}/latest`, {}));
      const [periods, series] = await Promise.all([
        get("energy", { device_id: device, interval: intervalPicker.value }),
        get("metrics", { device_id: device, metric: metricPicker.value, limit: 2880 }),
      ]);
      energyPlot(periods);
      seriesPlot(series);
      status.textContent = "";
    } catch (error) {
      status.textContent = error.message;
    }
  }

  devicePicker.addEventListener("change", refresh);
  metricPicker.addEventListener("change", refresh);
  intervalPicker.addEventListener("change", refresh);
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
