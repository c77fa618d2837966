// Campaign dashboard: completion per organization (bars) and per month (bars + rate line).
(function () {
  const figures = JSON.parse(document.getElementById("figures").textContent);
  const rate = (d, t) => (t ? Math.round((d * 1000) / t) / 10 : 0);

  const orgs = echarts.init(document.getElementById("chart-orgs"), null, { locale: "ZH" });
  orgs.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["已完成", "应完成", "完成率"] },
    grid: { left: 40, right: 50, bottom: 90 },
    xAxis: { type: "category", data: figures.orgs.map((o) => o.name), axisLabel: { rotate: 30, interval: 0 } },
    yAxis: [{ type: "value", name: "项" }, { type: "value", name: "%", max: 100 }],
    series: [
      { name: "已完成", type: "bar", data: figures.orgs.map((o) => o.done), itemStyle: { color: "#2fb344" } },
      { name: "应完成", type: "bar", data: figures.orgs.map((o) => o.total), itemStyle: { color: "#c8d3e1" } },
      { name: "完成率", type: "line", yAxisIndex: 1, data: figures.orgs.map((o) => rate(o.done, o.total)) },
    ],
  });

  const months = echarts.init(document.getElementById("chart-months"), null, { locale: "ZH" });
  months.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["已完成", "应完成", "完成率"] },
    xAxis: { type: "category", data: figures.months.map((m) => m.month) },
    yAxis: [{ type: "value", name: "项" }, { type: "value", name: "%", max: 100 }],
    series: [
      { name: "已完成", type: "bar", data: figures.months.map((m) => m.done), itemStyle: { color: "#2fb344" } },
      { name: "应完成", type: "bar", data: figures.months.map((m) => m.total), itemStyle: { color: "#c8d3e1" } },
      { name: "完成率", type: "line", yAxisIndex: 1, data: figures.months.map((m) => rate(m.done, m.total)) },
    ],
  });
  window.addEventListener("resize", () => { orgs.resize(); months.resize(); });
})();
