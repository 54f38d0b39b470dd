// duban charts: every page that has charts embeds their data as JSON in
// <script type="application/json" id="chart-data">; this file turns each into an ECharts chart.
// The same numbers are in the page's tables, so the page works without JavaScript.
(function () {
  "use strict";
  var node = document.getElementById("chart-data");
  if (!node || typeof echarts === "undefined") return;
  var specs;
  try {
    specs = JSON.parse(node.textContent);
  } catch (e) {
    return;
  }
  var font = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';
  var charts = [];
  specs.forEach(function (spec) {
    var el = document.getElementById(spec.el);
    if (!el) return;
    el.textContent = "";
    el.style.display = "block";
    var horizontal = !!spec.horizontal;
    var catAxis = {
      type: "category",
      data: spec.categories,
      axisLabel: { fontFamily: font, interval: 0, width: horizontal ? 150 : 80, overflow: "truncate" },
      inverse: horizontal,
    };
    var valAxis = { type: "value", minInterval: 1, axisLabel: { fontFamily: font } };
    if (spec.percent) {
      valAxis.max = 100;
      valAxis.axisLabel.formatter = "{value}%";
    }
    var series = spec.series.map(function (s) {
      var out = {
        name: s.name,
        type: spec.kind === "bar" ? "bar" : "line",
        data: s.data,
        itemStyle: { color: s.colour },
        emphasis: { focus: "series" },
      };
      if (spec.stack) out.stack = "total";
      if (spec.kind === "area") {
        out.areaStyle = { opacity: 0.75 };
        out.symbol = "none";
        out.lineStyle = { width: 1 };
      }
      if (spec.kind === "line") {
        out.smooth = false;
        if (s.dashed) out.lineStyle = { type: "dashed" };
      }
      if (spec.kind === "bar") out.barMaxWidth = 28;
      return out;
    });
    var option = {
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", axisPointer: { type: spec.kind === "bar" ? "shadow" : "line" } },
      legend: { top: 0, textStyle: { fontFamily: font } },
      grid: { left: 10, right: 24, top: 36, bottom: 10, containLabel: true },
      xAxis: horizontal ? valAxis : catAxis,
      yAxis: horizontal ? catAxis : valAxis,
      series: series,
      animation: false,
    };
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    if (spec.links) {
      chart.on("click", function (p) {
        var url = spec.links[p.dataIndex];
        if (url) window.location.href = url;
      });
    }
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
  document.documentElement.setAttribute("data-charts", String(charts.length));
})();
