// Taizhang's own behaviour shared by every page. Scripts live in static files only: the
// Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) refuses inline scripts and handlers.
(function () {
  // <select data-navigate="?query"> whose options' values are URLs: choosing one opens it.
  document.addEventListener("change", function (ev) {
    var select = ev.target;
    if (select.matches && select.matches("select[data-navigate]") && select.value) {
      window.location.href = select.value + (select.dataset.navigate || "");
    }
  });
  // <input data-select-on-focus>: a read-only address selected whole, ready to copy.
  document.addEventListener("focusin", function (ev) {
    if (ev.target.matches && ev.target.matches("input[data-select-on-focus]")) ev.target.select();
  });
})();
