/* Developer Tools: copy buttons. The Content-Security-Policy allows no inline script, so the
   buttons carry data attributes:
   <button data-copy="ID">          copies the text of the element with that id (a code block)
   <button data-copy-text="TEXT">   copies TEXT (an icon's name)
   data-copied="…" is the label shown for a moment once copied. */
(function () {
  "use strict";
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "dt-offscreen";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-copy], [data-copy-text]") : null;
    if (!button) { return; }
    var text = button.getAttribute("data-copy-text");
    if (text === null) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) { return; }
      text = source.textContent;
    }
    copy(text).then(function () {
      var label = button.getAttribute("data-copied");
      if (!label || button.classList.contains("dt-done")) { return; }
      var before = button.textContent;
      button.textContent = label;
      button.classList.add("dt-done");
      window.setTimeout(function () { button.textContent = before; button.classList.remove("dt-done"); }, 1500);
    });
  });
})();
