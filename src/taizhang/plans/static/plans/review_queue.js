// The review queue's "全选" box ticks or clears every row's box (rows belong to #bulk-form).
document.addEventListener("change", function (event) {
  if (event.target.id !== "select-all") return;
  document.querySelectorAll("input.review-pick").forEach(function (box) {
    box.checked = event.target.checked;
  });
});
