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
  // <button data-copy="#input-id" data-copied="已复制">: copies the input's text (the
  // Clipboard API where the page is secure, else the selection and execCommand).
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest ? ev.target.closest("button[data-copy]") : null;
    if (!button) return;
    var input = document.querySelector(button.dataset.copy);
    if (!input) return;
    var done = function () { button.textContent = button.dataset.copied || button.textContent; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done);
    } else {
      input.focus(); input.select();
      try { if (document.execCommand("copy")) done(); } catch (e) { /* the text stays selected */ }
    }
  });
})();
