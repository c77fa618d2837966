// Attendance checklist of a meeting/study form: live 应到/实到/缺席 summary and "all present".
// A static file, not an inline script: the Content-Security-Policy allows scripts from this site only.
(function () {
  function summarise() {
    var rows = document.querySelectorAll("#attendance-checklist tbody tr[data-member]");
    var e = 0, p = 0;
    rows.forEach(function (tr) {
      var c = tr.querySelector("input.att:checked");
      if (!c || c.value === "none") return;
      e += 1; if (c.value === "present") p += 1;
    });
    var badge = document.getElementById("attendance-summary");
    if (badge) badge.textContent = badge.dataset.template.replace("E", e).replace("P", p).replace("A", e - p);
  }
  document.addEventListener("change", function (ev) { if (ev.target.classList.contains("att")) summarise(); });
  document.addEventListener("click", function (ev) {
    if (ev.target.id !== "all-present") return;
    document.querySelectorAll("#attendance-checklist input.att[value=present]").forEach(function (r) {
      var tr = r.closest("tr"); var c = tr.querySelector("input.att:checked");
      if (!c || c.value !== "none") r.checked = true;
    });
    summarise();
  });
  document.body.addEventListener("htmx:afterSwap", summarise);
})();
