// Draws the figures the server built (analytics/figures.py): each `[data-figure]` element names the
// json_script element holding {data, layout}. plotly.js is the vendored copy; nothing else is fetched.
(function () {
  "use strict";
  const config = { responsive: true, displaylogo: false, displayModeBar: false };
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    const source = document.getElementById(element.dataset.figure);
    if (!source) return;
    const figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout, config);
  });
})();
